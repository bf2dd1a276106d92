"""The user's notifications: the list behind the bell, mark as read, the e-mail preference."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import ListView

from certification.forms.notifications import NotificationPreferenceForm
from certification.models import EmailMode, Notification, NotificationPreference
from certification.services import notifications as notification_services


class NotificationListView(ListView):
    """The signed-in user's notifications, newest first, with their e-mail preference."""

    template_name = "certification/notification_list.html"
    paginate_by = settings.NOTIFICATION_LIST_PAGE_SIZE
    context_object_name = "notifications"

    def get_queryset(self):
        mine = Notification.objects.for_user(self.request.user)
        today = timezone.localdate()
        self.showing_archive = self.request.GET.get("archive") == "1"
        chosen = mine.archived(today) if self.showing_archive else mine.current(today)
        return chosen.order_by("-created_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        preference = NotificationPreference.objects.filter(user=self.request.user).first()
        # Without a saved row the portal sends one e-mail per reminder: show that as chosen.
        mode = preference.email_mode if preference else EmailMode.EACH
        context.update(
            preference_form=NotificationPreferenceForm(
                instance=preference, initial={"email_mode": mode}
            ),
            showing_archive=self.showing_archive,
            archived_count=Notification.objects.for_user(self.request.user)
            .archived(timezone.localdate())
            .count(),
        )
        return context


@require_GET
def notification_count(request):
    """The bell's unread count, fetched by static/js/notification-bell.js after each page load."""
    unread = (
        Notification.objects.for_user(request.user).current(timezone.localdate()).unread().count()
    )
    label = ngettext("%(count)s unread notification", "%(count)s unread notifications", unread)
    return JsonResponse({"unread": unread, "label": label % {"count": unread}})


@require_POST
def notification_read(request, pk: int):
    """Marks one of the user's notifications read and follows its link (another's: 404)."""
    notification = Notification.objects.for_user(request.user).filter(pk=pk).first()
    if notification is None:
        raise Http404
    notification_services.mark_read(request.user, notification_id=pk, now=timezone.now())
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.url)
    return redirect("certification:notification-list")


@require_POST
def notification_read_all(request):
    count = notification_services.mark_read(request.user, now=timezone.now())
    messages.success(request, _("%(count)s notification(s) marked as read.") % {"count": count})
    return redirect("certification:notification-list")


@require_POST
def notification_preference(request):
    """Saves whether reminders come one e-mail each or as one daily digest."""
    preference = NotificationPreference.objects.filter(user=request.user).first()
    form = NotificationPreferenceForm(request.POST, instance=preference)
    if form.is_valid():
        notification_services.set_email_mode(request.user, form.cleaned_data["email_mode"])
        messages.success(request, _("Your e-mail preference was saved."))
    else:
        messages.error(request, _("Choose how you want to receive reminders."))
    return redirect("certification:notification-list")
