"""Deadline reminders and notifications.

`ReminderRule` is data (what to remind, when, to whom, in which words); `Reminder` is the log and
the idempotency key: one row per (rule, offset, target, cycle), so nothing is reminded twice.
`Notification` is the in-app bell; `OutgoingMail` is the transactional outbox every e-mail of the
portal goes through, claimed by a conditional UPDATE before it is handed to SMTP.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_comma_separated_integer_list
from django.db import models
from django.db.models import Q
from django.template import Template, TemplateSyntaxError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from certification.models.cycles import Cycle, CycleStep
from units.models import ChoiceLabels, Unit, User


class Audience(models.TextChoices):
    UNIT_REPRESENTATIVE = "unit_representative", _("the unit's representatives")
    REVIEWER = "reviewer", _("the reviewer in charge")
    DECISION_MAKER = "decision_maker", _("the decision maker in charge")
    SUPERVISOR = "supervisor", _("the supervisor one level up (overdue items only)")


# The default wording, in Vietnamese, stored in each rule by migration 0005 and editable there.
# Placeholders: {{ unit }}, {{ step }}, {{ deadline }}, {{ days_left }}, {{ days_overdue }},
# {{ link }}, {{ recipient }}, {{ year }}.
DEFAULT_SUBJECT = (
    "{% if days_left >= 0 %}[ANTT] Còn {{ days_left }} ngày: hạn {{ step }} của {{ unit }}"
    "{% else %}[ANTT] Quá hạn {{ days_overdue }} ngày: {{ step }} của {{ unit }}{% endif %}"
)
DEFAULT_TEXT = """Kính gửi {{ recipient }},

{% if days_left >= 0 %}Hạn {{ step }} năm {{ year }} của {{ unit }} là ngày {{ deadline }} \
(còn {{ days_left }} ngày).{% else %}Hạn {{ step }} năm {{ year }} của {{ unit }} là ngày \
{{ deadline }}; đến nay đã quá hạn {{ days_overdue }} ngày.{% endif %}

Xem và thực hiện tại: {{ link }}
"""
DEFAULT_HTML = """<p>Kính gửi {{ recipient }},</p>
<p>{% if days_left >= 0 %}Hạn <strong>{{ step }}</strong> năm {{ year }} của \
<strong>{{ unit }}</strong> là ngày <strong>{{ deadline }}</strong> (còn {{ days_left }} ngày).\
{% else %}Hạn <strong>{{ step }}</strong> năm {{ year }} của <strong>{{ unit }}</strong> là ngày \
<strong>{{ deadline }}</strong>; đến nay đã <strong>quá hạn {{ days_overdue }} ngày</strong>.\
{% endif %}</p>
<p><a href="{{ link }}">Xem và thực hiện</a></p>
"""


def _validate_template(value: str) -> None:
    try:
        Template(value)
    except TemplateSyntaxError as error:
        raise ValidationError(
            gettext("This template cannot be read: %(error)s") % {"error": error}
        ) from error


def _parse_days(value: str) -> tuple[int, ...]:
    return tuple(sorted({int(part) for part in value.split(",") if part.strip()}, reverse=True))


class ReminderRule(ChoiceLabels):
    """What to remind before and after one deadline, to whom, and in which words."""

    name = models.CharField(_("name"), max_length=120)
    step = models.CharField(_("deadline"), max_length=20, choices=CycleStep.choices)
    audience = models.CharField(_("audience"), max_length=30, choices=Audience.choices)
    cycle = models.ForeignKey(
        Cycle,
        verbose_name=_("cycle"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminder_rules",
        help_text=_("Leave empty to apply the rule to every cycle."),
    )
    days_before = models.CharField(
        _("days before the deadline"),
        max_length=60,
        blank=True,
        default="14,7,3,1",
        validators=[validate_comma_separated_integer_list],
        help_text=_("Comma-separated, e.g. 14,7,3,1. Ignored for the supervisor."),
    )
    days_after = models.CharField(
        _("days after the deadline (overdue)"),
        max_length=60,
        blank=True,
        default="1,7",
        validators=[validate_comma_separated_integer_list],
        help_text=_("Comma-separated, e.g. 1,7."),
    )
    subject_template = models.CharField(
        _("subject"), max_length=300, default=DEFAULT_SUBJECT, validators=[_validate_template]
    )
    text_template = models.TextField(
        _("text"), default=DEFAULT_TEXT, validators=[_validate_template]
    )
    html_template = models.TextField(
        _("HTML"), default=DEFAULT_HTML, validators=[_validate_template]
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("reminder rule")
        verbose_name_plural = _("reminder rules")
        ordering = ["step", "audience", "pk"]

    def __str__(self):
        return self.name

    @property
    def offsets(self) -> tuple[int, ...]:
        """Days relative to the deadline, earliest first: −14 is 14 days before, 7 is 7 overdue."""
        before = () if self.audience == Audience.SUPERVISOR else _parse_days(self.days_before)
        after = _parse_days(self.days_after)
        return tuple(sorted({-days for days in before} | set(after)))


class ReminderStatus(models.TextChoices):
    PENDING = "pending", _("due, not yet sent")
    SENT = "sent", _("sent")


class Channel(models.TextChoices):
    EMAIL = "email", _("e-mail and in-app")
    DIGEST = "digest", _("daily digest and in-app")
    IN_APP = "in_app", _("in-app only (no e-mail address)")


class ReminderQuerySet(models.QuerySet):
    def due(self, today) -> ReminderQuerySet:
        """Planned, not yet sent, and due on or before today (so a missed day is caught up)."""
        return self.filter(status=ReminderStatus.PENDING, send_on__lte=today)


class Reminder(ChoiceLabels):
    """One reminder of one rule, at one offset, for one target (user and unit) in one cycle.

    The unique constraint is the idempotency key: planning inserts with ignore_conflicts, and a
    send claims its row with a conditional UPDATE, so nothing is reminded twice.
    """

    rule = models.ForeignKey(
        ReminderRule, verbose_name=_("rule"), on_delete=models.CASCADE, related_name="reminders"
    )
    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="reminders"
    )
    offset_days = models.SmallIntegerField(
        _("days from the deadline"), help_text=_("Negative: before the deadline; positive: after.")
    )
    user = models.ForeignKey(
        User, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="reminders"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="reminders"
    )
    due_on = models.DateField(_("deadline"))
    send_on = models.DateField(_("to send on"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.PENDING
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, blank=True)
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    queued_at = models.DateTimeField(
        _("handed to a dispatch task at"), null=True, blank=True, editable=False
    )
    mail = models.ForeignKey(
        "OutgoingMail",
        verbose_name=_("e-mail"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reminders",
    )
    created_at = models.DateTimeField(_("planned at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminder log")
        ordering = ["-send_on", "-pk"]
        constraints = [
            # Its index also serves planning's "what is already planned for these units?".
            models.UniqueConstraint(
                fields=["rule", "cycle", "unit", "user", "offset_days"],
                name="reminder_once_per_rule_offset_target_cycle",
            ),
            models.CheckConstraint(
                name="reminder_status_valid", condition=Q(status__in=ReminderStatus.values)
            ),
        ]
        indexes = [
            # The sweep's dispatch: the users with due, unsent reminders, in user order, and
            # one user's due reminders (the claim).
            models.Index(fields=["status", "user", "send_on"], name="reminder_due_idx"),
        ]

    def __str__(self):
        return f"{self.rule} — {self.unit} → {self.user} ({self.offset_display})"

    @property
    def offset_display(self) -> str:
        if self.offset_days < 0:
            return gettext("%(days)s days before") % {"days": -self.offset_days}
        if self.offset_days == 0:
            return gettext("on the day")
        return gettext("%(days)s days overdue") % {"days": self.offset_days}


class MailStatus(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    SENDING = "sending", _("being sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed after the last attempt")


class OutgoingMailQuerySet(models.QuerySet):
    def claimable(self, now, claim_expiry) -> OutgoingMailQuerySet:
        """Waiting mails whose next attempt is due, and claims whose worker died (expired)."""
        return self.filter(
            Q(status=MailStatus.PENDING, next_attempt_at__lte=now)
            | Q(status=MailStatus.SENDING, claimed_at__lt=now - claim_expiry)
        )

    def to_queue(self, now, claim_expiry, requeue_after=None) -> OutgoingMailQuerySet:
        """What the drain hands to the workers: claimable rows never queued (the broker was down,
        or a failed attempt's backoff is over), expired claims, and — with `requeue_after`, when
        the broker holds nothing waiting — rows handed that long ago and still not claimed, whose
        task was lost with its worker or its broker."""
        lost = Q(status=MailStatus.SENDING) | Q(queued_at__isnull=True)
        if requeue_after is not None:
            lost |= Q(queued_at__lt=now - requeue_after)
        return self.claimable(now, claim_expiry).filter(lost)


class OutgoingMail(ChoiceLabels):
    """The e-mail outbox: written in the sender's transaction, delivered by a worker later."""

    user = models.ForeignKey(
        User,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    to = models.EmailField(_("to"))
    event = models.CharField(_("event"), max_length=60)
    subject = models.CharField(_("subject"), max_length=300)
    text = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MailStatus.choices, default=MailStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    queued_at = models.DateTimeField(_("handed to the broker at"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OutgoingMailQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="mail_status_valid", condition=Q(status__in=MailStatus.values)
            ),
        ]
        indexes = [
            # The drain: pending mails by next attempt, and expired claims.
            models.Index(fields=["status", "next_attempt_at"], name="mail_drain_idx"),
        ]

    def __str__(self):
        return f"{self.to}: {self.subject}"


class AttemptOutcome(models.TextChoices):
    SENDING = "sending", _("being sent")
    SENT = "sent", _("accepted by the mail server")
    FAILED = "failed", _("refused or unreachable")
    LOST = "lost", _("worker stopped mid-send (claim expired)")


class MailAttempt(ChoiceLabels):
    """One attempt to send an outbox row: when, how it ended, and its error. Append-only, so
    every attempt's error is kept, not only the last one."""

    mail = models.ForeignKey(
        OutgoingMail,
        verbose_name=_("e-mail"),
        on_delete=models.CASCADE,
        related_name="attempt_log",
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"),
        max_length=10,
        choices=AttemptOutcome.choices,
        default=AttemptOutcome.SENDING,
    )
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["mail", "number"]
        constraints = [
            models.UniqueConstraint(fields=["mail", "number"], name="mail_attempt_once"),
            models.CheckConstraint(
                name="mail_attempt_outcome_valid",
                condition=Q(outcome__in=AttemptOutcome.values),
            ),
        ]

    def __str__(self):
        return f"{self.mail_id} #{self.number}: {self.get_outcome_display()}"


NOTIFICATION_ADDRESS = re.compile(r"\S+://\S+")


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user) -> NotificationQuerySet:
        return self.filter(user=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)

    def current(self, today) -> NotificationQuerySet:
        """This year's notifications: the bell counts them, the list shows them first."""
        return self.filter(created_at__date__gte=today.replace(month=1, day=1))

    def archived(self, today) -> NotificationQuerySet:
        """Earlier years' notifications: kept, listed apart, never counted as unread."""
        return self.filter(created_at__date__lt=today.replace(month=1, day=1))


class Notification(models.Model):
    """An in-app notification: the bell's count and the list of the user's messages."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.CharField(_("event"), max_length=60)
    subject = models.CharField(_("subject"), max_length=300)
    message = models.TextField(_("message"))
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The bell: a user's unread count, on every page.
            models.Index(fields=["user", "read_at"], name="notification_unread_idx"),
        ]

    def __str__(self):
        return f"{self.user}: {self.subject}"

    @property
    def summary(self) -> str:
        """The message's first line that says something: not the salutation ("Kính gửi …,"),
        not a bare address (the page links to the object itself)."""
        for line in self.message.splitlines():
            line = NOTIFICATION_ADDRESS.sub("", line).strip().rstrip(":").strip()
            if line and not line.endswith(","):
                return line
        return ""


class EmailMode(models.TextChoices):
    EACH = "each", _("one e-mail per reminder")
    DIGEST = "digest", _("one daily digest listing all my pending items")


class NotificationPreference(ChoiceLabels):
    """How a user wants reminders by e-mail; without a row, one e-mail per reminder."""

    user = models.OneToOneField(
        User,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email_mode = models.CharField(
        _("reminder e-mails"), max_length=10, choices=EmailMode.choices, default=EmailMode.EACH
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return f"{self.user}: {self.get_email_mode_display()}"
