"""Admin for reminders: the rules (data), the reminder log, the outbox, and running the sweep."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from certification import tasks
from certification.models import (
    MailAttempt,
    Notification,
    NotificationPreference,
    OutgoingMail,
    Reminder,
    ReminderRule,
)
from certification.services.notifications import publish_task, resend_mails
from certification.services.reminders import preview_recipients

PREVIEW_LIMIT = 200


@admin.register(ReminderRule)
class ReminderRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "step", "audience", "days_before", "days_after", "cycle", "is_active"]
    list_filter = ["is_active", "step", "audience"]
    list_editable = ["is_active"]
    list_select_related = ["cycle__province"]
    search_fields = ["name"]
    autocomplete_fields = ["cycle"]
    actions = ["preview"]
    fieldsets = [
        (None, {"fields": ["name", "step", "audience", "cycle", "is_active"]}),
        (_("When"), {"fields": ["days_before", "days_after"]}),
        (
            _("Message"),
            {
                "fields": ["subject_template", "text_template", "html_template"],
                "description": _(
                    "Placeholders: {{ unit }}, {{ deadline }}, {{ days_left }} (negative once "
                    "overdue), {{ days_overdue }}, {{ link }}, {{ recipient }}, {{ year }}, "
                    "{{ step }}."
                ),
            },
        ),
    ]

    def get_urls(self):
        return [
            path(
                "run-sweep/",
                self.admin_site.admin_view(require_POST(self.run_sweep_view)),
                name="certification_reminderrule_run_sweep",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_run_sweep": self.has_change_permission(request),
        }
        return super().changelist_view(request, extra_context)

    def run_sweep_view(self, request):
        """Queues today's sweep now; the page never waits on a broker that is down."""
        if not self.has_change_permission(request):
            return redirect("admin:index")
        if not publish_task(tasks.sweep_reminders):
            self.message_user(
                request,
                _("The sweep could not be queued: the task broker is down. Try again later."),
                messages.ERROR,
            )
        else:
            self.message_user(
                request,
                _("Today's reminder sweep was queued; the reminder log fills as it runs."),
                messages.SUCCESS,
            )
        return redirect("admin:certification_reminderrule_changelist")

    @admin.action(description=_("Preview recipients: who would be reminded today, and why"))
    def preview(self, request, queryset: QuerySet[ReminderRule]):
        today = timezone.localdate()
        previews = []
        for rule in queryset.select_related("cycle"):
            lines, total = preview_recipients(rule, today=today, limit=PREVIEW_LIMIT)
            previews.append({"rule": rule, "lines": lines, "total": total})
        return TemplateResponse(
            request,
            "admin/certification/reminderrule/preview.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Who would be reminded today"),
                "opts": self.model._meta,
                "today": today,
                "previews": previews,
                "limit": PREVIEW_LIMIT,
            },
        )


def _resend(modeladmin, request, mails: QuerySet[OutgoingMail]):
    ids = resend_mails(mails, now=timezone.now())
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d e-mail was put back in the outbox.",
            "%(count)d e-mails were put back in the outbox.",
            len(ids),
        )
        % {"count": len(ids)},
        messages.SUCCESS,
    )


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """The reminder log: who was reminded of what, when, by which channel, and what went wrong."""

    list_display = [
        "user",
        "unit",
        "rule",
        "offset",
        "send_on",
        "status",
        "channel",
        "delivery",
        "attempts",
        "sent_at",
        "error",
    ]
    list_filter = [
        "status",
        "channel",
        "mail__status",
        "rule__step",
        "rule",
        "cycle",
        "send_on",
    ]
    list_select_related = ["user", "unit", "rule", "mail"]
    search_fields = ["user__username", "user__last_name", "unit__name", "unit__code"]
    date_hierarchy = "send_on"
    actions = ["resend"]
    readonly_fields = [
        "rule",
        "cycle",
        "offset_days",
        "user",
        "unit",
        "due_on",
        "send_on",
        "status",
        "channel",
        "mail",
        "created_at",
        "sent_at",
        "delivery_attempts",
    ]
    exclude = ["claim_token", "queued_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("when"), ordering="offset_days")
    def offset(self, reminder):
        return reminder.offset_display

    @admin.display(description=_("e-mail"), ordering="mail__status")
    def delivery(self, reminder):
        return reminder.mail.get_status_display() if reminder.mail else "—"

    @admin.display(description=_("attempts"), ordering="mail__attempts")
    def attempts(self, reminder):
        return reminder.mail.attempts if reminder.mail else "—"

    @admin.display(description=_("error"))
    def error(self, reminder):
        return Truncator(reminder.mail.last_error).chars(80) if reminder.mail else ""

    @admin.display(description=_("delivery attempts"))
    def delivery_attempts(self, reminder):
        """Every attempt to send the reminder's e-mail: when, how it ended, its error."""
        if reminder.mail is None:
            return "—"
        return attempts_table(reminder.mail.attempt_log.all())

    def has_resend_permission(self, request):
        return request.user.has_perm("certification.change_outgoingmail")

    @admin.action(
        description=_("Re-send the e-mail of the selected reminders"), permissions=["resend"]
    )
    def resend(self, request, queryset):
        mails = OutgoingMail.objects.filter(pk__in=queryset.values("mail_id"))
        _resend(self, request, mails)


def attempts_table(attempts) -> str:
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                attempt.number,
                timezone.localtime(attempt.started_at).strftime("%d/%m/%Y %H:%M:%S"),
                timezone.localtime(attempt.finished_at).strftime("%d/%m/%Y %H:%M:%S")
                if attempt.finished_at
                else "—",
                attempt.get_outcome_display(),
                attempt.error,
            )
            for attempt in attempts
        ),
    )
    if not rows:
        return _("No attempt yet.")
    return format_html(
        "<table><thead><tr><th>#</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
        "<tbody>{}</tbody></table>",
        _("started at"),
        _("finished at"),
        _("outcome"),
        _("error"),
        rows,
    )


class MailAttemptInline(admin.TabularInline):
    model = MailAttempt
    fields = ["number", "started_at", "finished_at", "outcome", "error"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    """The outbox: every e-mail of the portal, each of its attempts and their errors."""

    inlines = [MailAttemptInline]

    list_display = ["to", "subject", "event", "status", "attempts", "sent_at", "short_error"]
    list_filter = ["status", "event", "created_at"]
    search_fields = ["to", "subject", "user__username"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"
    actions = ["resend"]
    readonly_fields = [
        "user",
        "to",
        "event",
        "subject",
        "text",
        "html",
        "status",
        "attempts",
        "next_attempt_at",
        "queued_at",
        "claimed_at",
        "sent_at",
        "last_error",
        "created_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("last error"))
    def short_error(self, mail):
        return Truncator(mail.last_error).chars(80)

    def has_resend_permission(self, request):
        return request.user.has_perm("certification.change_outgoingmail")

    @admin.action(description=_("Re-send the selected e-mails"), permissions=["resend"])
    def resend(self, request, queryset):
        _resend(self, request, queryset)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "subject", "event", "created_at", "read_at"]
    list_filter = ["event", "created_at"]
    search_fields = ["user__username", "subject"]
    list_select_related = ["user"]
    readonly_fields = ["user", "event", "subject", "message", "url", "created_at", "read_at"]

    def has_add_permission(self, request):
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email_mode"]
    list_filter = ["email_mode"]
    search_fields = ["user__username"]
    autocomplete_fields = ["user"]
