"""The signed-in user's unread notification count, counted only if a template reads it.

The navbar's bell does not: it fetches the count after the page loads (views.notifications), so
no page pays a query for it; the notification list reads it here.
"""

from django.utils.functional import SimpleLazyObject

from certification.models import Notification


def notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notification_count": SimpleLazyObject(
            lambda: Notification.objects.for_user(user).unread().count()
        )
    }
