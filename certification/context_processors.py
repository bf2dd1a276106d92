"""The signed-in user's unread notification count, counted only if a template reads it.

The navbar's bell does not: it fetches the count after the page loads (views.notifications), so
no page pays a query for it; the notification list reads it here.
"""

from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from certification.models import Notification
from units.jurisdiction import jurisdiction_of
from units.models import AREA_ROLES


def notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notification_count": SimpleLazyObject(
            lambda: (
                Notification.objects.for_user(user).current(timezone.localdate()).unread().count()
            )
        )
    }


def navigation(request):
    """Whether the menu offers the area screens (registrations, the dossier queue): a unit
    representative only has their own unit, reached from the home page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def shows_area_screens():
        scope = jurisdiction_of(user)
        return scope.sees_everything or bool(scope.roles & set(AREA_ROLES))

    return {"shows_area_screens": SimpleLazyObject(shows_area_screens)}
