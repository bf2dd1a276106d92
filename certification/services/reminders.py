"""Deadline reminders: who still has something to do, when to remind them, and the sending.

Planning asks "which reminders are due on or before today?", never "due exactly today", so a day
the scheduler was down is caught up: for each target only the latest offset already due is
planned (a reminder 7 days before supersedes the missed one 14 days before). Rows are inserted
with ignore_conflicts on the unique (rule, offset, user, unit, cycle) key, chunk by chunk, so a
national cycle is planned in bounded memory and a second sweep plans nothing new.

Dispatch claims a user's due rows with one conditional UPDATE inside a transaction that also writes
the in-app notifications and the e-mails (one per reminder, or one digest) to the outbox; a worker
that dies mid-way rolls everything back, and a second worker finds nothing left to claim.
"""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, Min, OuterRef, Q, QuerySet
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from certification.models import (
    Assessment,
    AssessmentStatus,
    Audience,
    Channel,
    Cycle,
    CycleStep,
    DeadlineExtension,
    EmailMode,
    ExclusionRule,
    Notification,
    NotificationPreference,
    OutgoingMail,
    Registration,
    RegistrationStatus,
    Reminder,
    ReminderRule,
    ReminderStatus,
    ReviewLevel,
    YearlyResult,
)
from certification.services.notifications import (
    absolute_url,
    compose_mail,
    publish_after_commit,
    publish_deliveries,
    publish_task,
)
from units.jurisdiction import area_levels_at, level_in_charge_of
from units.models import Area, Role, RoleAssignment, Unit, User


@dataclass(frozen=True)
class Item:
    """A unit with something still to do for a step (or a dossier waiting for someone)."""

    unit_id: int
    name: str
    unit_type: str
    area_path: str
    managing_level: str
    awaiting_level: str = ""
    delegated_one_level_down: bool = False  # Art. 10.5: reviewed and decided one level down


@dataclass(frozen=True)
class Target:
    """One recipient to remind about one item, at the latest offset already due."""

    rule_id: int
    cycle_id: int
    user_id: int
    unit_id: int
    unit_name: str
    due_on: datetime.date
    offset_days: int
    extended: bool

    @property
    def send_on(self) -> datetime.date:
        return self.due_on + datetime.timedelta(days=self.offset_days)


def latest_due_offset(
    offsets: Iterable[int],
    due_on: datetime.date,
    today: datetime.date,
    *,
    catch_up_days: int | None = None,
) -> int | None:
    """The latest offset whose day has come: a missed reminder is replaced by the next one, and a
    reminder before the deadline is never sent once the deadline has passed. With
    `catch_up_days`, a reminder whose day is further back than that is not caught up any more."""
    due = [
        offset
        for offset in offsets
        if due_on + datetime.timedelta(days=offset) <= today and (offset > 0 or today <= due_on)
    ]
    if not due:
        return None
    latest = max(due)
    if catch_up_days is not None and (today - due_on).days - latest > catch_up_days:
        return None
    return latest


# --- What is still to do -------------------------------------------------------------------------


def _units_of(cycle: Cycle, today: datetime.date) -> QuerySet[Unit]:
    # Unit types without a calendar have no deadline: iter_targets skips them. Not filtering them
    # here keeps the chunk query on the primary key's range, the cheapest plan at any size.
    units = Unit.objects.active(today)
    if cycle.province_id:
        return units.filter(area__path__startswith=cycle.province.path)
    # A national cycle covers the provinces without a cycle of their own (Cycle.for_area).
    own = Cycle.objects.filter(year=cycle.year, province__isnull=False)
    for path in own.values_list("province__path", flat=True):
        units = units.exclude(area__path__startswith=path)
    return units


DISPATCH_REMINDERS_TASK = "certification.dispatch_reminders"
UNIT_FIELDS = (
    "pk",
    "name",
    "unit_type",
    "area__path",
    "managing_level",
    "delegated_one_level_down",
)
EXCLUSION_FIELDS = ("is_armed_forces", "enterprise_size", "school_level")
DOSSIER_FIELDS = (
    "unit_id",
    "unit__name",
    "unit__unit_type",
    "unit__area__path",
    "unit__managing_level",
    "awaiting_level",
    "unit__delegated_one_level_down",
)


def pending_items(step: str, cycle: Cycle, today: datetime.date) -> tuple[QuerySet, str]:
    """The rows of whoever still has something to do for the step, and their unit key field.

    Registration: eligible active units without a submitted or acknowledged registration.
    Dossier: units whose registration is acknowledged and whose dossier is missing, a draft or
    returned. Review: dossiers waiting for a reviewer. Decision: recommended dossiers not decided.
    """
    registrations = Registration.objects.filter(cycle=cycle, unit=OuterRef("pk"))
    if step == CycleStep.REGISTRATION:
        units = _units_of(cycle, today).exclude(
            Exists(
                registrations.filter(
                    status__in=[RegistrationStatus.SUBMITTED, RegistrationStatus.ACKNOWLEDGED]
                )
            )
        )
        return units.values_list(*UNIT_FIELDS, *EXCLUSION_FIELDS), "pk"
    if step == CycleStep.DOSSIER:
        filed = Assessment.objects.filter(cycle=cycle, unit=OuterRef("pk")).exclude(
            status__in=[AssessmentStatus.DRAFT, AssessmentStatus.RETURNED]
        )
        units = (
            _units_of(cycle, today)
            .filter(Exists(registrations.filter(status=RegistrationStatus.ACKNOWLEDGED)))
            .exclude(Exists(filed))
        )
        return units.values_list(*UNIT_FIELDS, *EXCLUSION_FIELDS), "pk"
    dossiers = Assessment.objects.filter(cycle=cycle)
    if step == CycleStep.REVIEW:
        dossiers = dossiers.filter(
            status__in=[AssessmentStatus.SUBMITTED, AssessmentStatus.APPRAISED]
        )
    else:
        dossiers = dossiers.filter(status=AssessmentStatus.RECOMMENDED).exclude(
            Exists(YearlyResult.objects.filter(cycle=cycle, unit=OuterRef("unit")))
        )
    return dossiers.values_list(*DOSSIER_FIELDS), "unit_id"


def _pages(rows: QuerySet, key: str, *, unit_ids, chunk_size: int) -> Iterator[list[tuple]]:
    if unit_ids is not None:
        ids = sorted(set(unit_ids))
        for start in range(0, len(ids), chunk_size):
            page = list(
                rows.filter(**{f"{key}__in": ids[start : start + chunk_size]}).order_by(key)
            )
            if page:
                yield page
        return
    bounds = rows.order_by().aggregate(low=Min(key), high=Max(key))
    if bounds["low"] is None:
        return
    for low in range(bounds["low"], bounds["high"] + 1, chunk_size):
        # A range of ids, not "the next N after the last": the database walks the primary key
        # instead of sorting every pending row for each chunk.
        page = list(
            rows.filter(**{f"{key}__gte": low, f"{key}__lt": low + chunk_size}).order_by(key)
        )
        if page:
            yield page


def _item_chunks(
    step: str,
    cycle: Cycle,
    today: datetime.date,
    *,
    unit_ids: Iterable[int] | None,
    chunk_size: int,
) -> Iterator[list[Item]]:
    """Pages through the pending items by ranges of unit ids: one bounded query per chunk."""
    rows, key = pending_items(step, cycle, today)
    criteria_set = cycle.criteria_set
    check_exclusion = criteria_set.exclusion_rule != ExclusionRule.NONE
    # The set's exclusion depends on a handful of fields with few values: decide each once.
    excluded: dict[tuple, bool] = {}
    for page in _pages(rows, key, unit_ids=unit_ids, chunk_size=chunk_size):
        items = []
        for row in page:
            if step in (CycleStep.REGISTRATION, CycleStep.DOSSIER):
                unit_id, name, unit_type, path, managing, delegated, *exclusion = row
                if check_exclusion:
                    profile = (unit_type, *exclusion)
                    if profile not in excluded:
                        fields = dict(zip(EXCLUSION_FIELDS, exclusion, strict=True))
                        unit = Unit(unit_type=unit_type, **fields)
                        excluded[profile] = bool(criteria_set.exclusion_reason(unit))
                    if excluded[profile]:
                        continue
                items.append(
                    Item(
                        unit_id, name, unit_type, path, managing, delegated_one_level_down=delegated
                    )
                )
            else:
                items.append(Item(*row))
        yield items


# --- Who -----------------------------------------------------------------------------------------


class AreaRoles:
    """Reviewers and decision makers by area, loaded once per sweep (thousands, not millions)."""

    def __init__(self):
        self.holders: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
        rows = RoleAssignment.objects.filter(
            role__in=[Role.REVIEWER, Role.DECISION_MAKER], user__is_active=True
        ).values_list("role", "area__path", "area__level", "user_id")
        for role, path, level, user_id in rows.iterator():
            self.holders[(role, path)].append((level, user_id))

    def above(self, role: str, area_path: str, review_level: str) -> list[int]:
        """Holders of the role at the review level whose area contains the given area."""
        levels = area_levels_at(review_level)
        return [
            user_id
            for path in Area.ancestor_paths(area_path)
            for level, user_id in self.holders.get((role, path), ())
            if level in levels
        ]


def recipients(
    rule: ReminderRule, item: Item, representatives: dict[int, list[int]], roles: AreaRoles
) -> list[int]:
    """Who the rule reminds about the item; the supervisor is one level above whoever is late."""
    managing = level_in_charge_of(item)
    if rule.audience == Audience.UNIT_REPRESENTATIVE:
        return representatives.get(item.unit_id, [])
    if rule.audience == Audience.REVIEWER:
        level = item.awaiting_level if rule.step == CycleStep.REVIEW else managing
        return roles.above(Role.REVIEWER, item.area_path, level) if level else []
    if rule.audience == Audience.DECISION_MAKER:
        return roles.above(Role.DECISION_MAKER, item.area_path, managing)
    # Supervisor: the unit is late → the reviewer in charge of it; the commune police are late →
    # the provincial police; the commune's People's Committee is late → the province's.
    if rule.step in (CycleStep.REGISTRATION, CycleStep.DOSSIER):
        return roles.above(Role.REVIEWER, item.area_path, managing)
    if rule.step == CycleStep.REVIEW and item.awaiting_level == ReviewLevel.COMMUNE:
        return roles.above(Role.REVIEWER, item.area_path, ReviewLevel.PROVINCE)
    if rule.step == CycleStep.DECISION and managing == ReviewLevel.COMMUNE:
        return roles.above(Role.DECISION_MAKER, item.area_path, ReviewLevel.PROVINCE)
    return []


def _representatives(unit_ids: list[int]) -> dict[int, list[int]]:
    by_unit = defaultdict(list)
    rows = RoleAssignment.objects.filter(
        role=Role.UNIT_REPRESENTATIVE, unit_id__in=unit_ids, user__is_active=True
    ).values_list("unit_id", "user_id")
    for unit_id, user_id in rows:
        by_unit[unit_id].append(user_id)
    return by_unit


# --- When ----------------------------------------------------------------------------------------


def _deadlines_by_type(cycle: Cycle, step: str) -> dict[str, datetime.date]:
    return {calendar.unit_type: calendar.due_on(step) for calendar in cycle.calendars.all()}


def rule_in_season(
    rule: ReminderRule, cycle: Cycle, today: datetime.date, deadlines: dict[str, datetime.date]
) -> bool:
    """Whether any target of the rule can be due today: a cheap test before scanning units."""
    offsets = rule.offsets
    if not offsets or not deadlines:
        return False
    latest = max(deadlines.values())
    extended = DeadlineExtension.objects.filter(cycle=cycle, step=rule.step).aggregate(
        latest=Max("due_on")
    )["latest"]
    if extended and extended > latest:
        latest = extended
    first_day = min(deadlines.values()) + datetime.timedelta(days=min(offsets))
    last_day = latest + datetime.timedelta(days=max(offsets) + settings.REMINDER_CATCH_UP_DAYS)
    return first_day <= today <= last_day


def cycles_for(rule: ReminderRule, today: datetime.date) -> QuerySet[Cycle]:
    cycles = Cycle.objects.select_related("criteria_set", "province").prefetch_related("calendars")
    if rule.cycle_id:
        return cycles.filter(pk=rule.cycle_id)
    # A cycle's deadlines fall in its year, the overdue reminders into January at the latest.
    return cycles.filter(year__in=[today.year - 1, today.year, today.year + 1])


def iter_targets(
    rule: ReminderRule,
    cycle: Cycle,
    *,
    today: datetime.date,
    unit_ids: Iterable[int] | None = None,
    roles: AreaRoles | None = None,
    chunk_size: int | None = None,
) -> Iterator[list[Target]]:
    """The rule's targets due on or before today, a chunk at a time (bounded memory)."""
    deadlines = _deadlines_by_type(cycle, rule.step)
    if unit_ids is None and not rule_in_season(rule, cycle, today, deadlines):
        return
    offsets = rule.offsets
    roles = roles or AreaRoles()
    chunk_size = chunk_size or settings.REMINDER_CHUNK_SIZE
    catch_up_days = settings.REMINDER_CATCH_UP_DAYS
    for items in _item_chunks(rule.step, cycle, today, unit_ids=unit_ids, chunk_size=chunk_size):
        ids = [item.unit_id for item in items]
        extensions = dict(
            DeadlineExtension.objects.filter(
                cycle=cycle, step=rule.step, unit_id__in=ids
            ).values_list("unit_id", "due_on")
        )
        representatives = (
            _representatives(ids) if rule.audience == Audience.UNIT_REPRESENTATIVE else {}
        )
        targets = []
        for item in items:
            due_on = extensions.get(item.unit_id) or deadlines.get(item.unit_type)
            offset = (
                latest_due_offset(offsets, due_on, today, catch_up_days=catch_up_days)
                if due_on
                else None
            )
            if offset is None:
                continue
            targets.extend(
                Target(
                    rule_id=rule.pk,
                    cycle_id=cycle.pk,
                    user_id=user_id,
                    unit_id=item.unit_id,
                    unit_name=item.name,
                    due_on=due_on,
                    offset_days=offset,
                    extended=item.unit_id in extensions,
                )
                for user_id in dict.fromkeys(recipients(rule, item, representatives, roles))
            )
        if targets:
            yield targets


# --- Planning ------------------------------------------------------------------------------------


def plan_reminders(
    *,
    today: datetime.date,
    rules: Iterable[ReminderRule] | None = None,
    chunk_size: int | None = None,
) -> int:
    """Idempotent: inserts every reminder due on or before today that is not planned yet.

    Returns the number of targets found due (already planned ones included).
    """
    if rules is None:
        rules = ReminderRule.objects.filter(is_active=True)
    roles = AreaRoles()
    found = 0
    for rule in rules:
        for cycle in cycles_for(rule, today):
            for targets in iter_targets(
                rule, cycle, today=today, roles=roles, chunk_size=chunk_size
            ):
                # Most days most targets are planned already (the latest offset due stays the
                # same for days): skip those cheaply; the unique key still settles any race.
                planned = set(
                    Reminder.objects.filter(
                        rule=rule, cycle=cycle, unit_id__in={t.unit_id for t in targets}
                    ).values_list("user_id", "unit_id", "offset_days")
                )
                Reminder.objects.bulk_create(
                    (
                        Reminder(
                            rule_id=target.rule_id,
                            cycle_id=target.cycle_id,
                            offset_days=target.offset_days,
                            user_id=target.user_id,
                            unit_id=target.unit_id,
                            due_on=target.due_on,
                            send_on=target.send_on,
                        )
                        for target in targets
                        if (target.user_id, target.unit_id, target.offset_days) not in planned
                    ),
                    ignore_conflicts=True,
                )
                found += len(targets)
    return found


def due_user_chunks(
    *,
    today: datetime.date,
    stale_before: datetime.datetime | None = None,
    chunk_size: int | None = None,
) -> Iterator[list[int]]:
    """The users with reminders due and not yet sent, in chunks of ids (keyset paging).

    With `stale_before`, only reminders not handed to a dispatch task since then (nor planned
    since then): those whose task was lost with its worker or its broker, or never published.
    """
    chunk_size = chunk_size or settings.REMINDER_CHUNK_SIZE
    rows = Reminder.objects.due(today)
    if stale_before is not None:
        rows = rows.filter(
            Q(queued_at__lt=stale_before) | Q(queued_at__isnull=True, created_at__lt=stale_before)
        )
    users = rows.values_list("user_id", flat=True).order_by("user_id")
    last = 0
    while True:
        ids = list(users.filter(user_id__gt=last).distinct()[:chunk_size])
        if not ids:
            return
        yield ids
        last = ids[-1]


def publish_dispatches(
    *,
    today: datetime.date,
    now: datetime.datetime,
    stale_before: datetime.datetime | None = None,
) -> int:
    """Fans the sending out: one dispatch task per chunk of users with due reminders, noted on
    their rows. Never waits on a broker that is down: it stops at the first chunk the broker
    refuses and the drain hands the rest later. With `stale_before`, only the rows not handed
    since then (see `due_user_chunks`). Returns the number of users handed."""
    handed = 0
    for user_ids in due_user_chunks(today=today, stale_before=stale_before):
        if not publish_task(DISPATCH_REMINDERS_TASK, args=(user_ids, today.isoformat())):
            break
        Reminder.objects.due(today).filter(user_id__in=user_ids).update(queued_at=now)
        handed += len(user_ids)
    return handed


def sweep(*, today: datetime.date, now: datetime.datetime) -> tuple[int, int]:
    """The whole sweep in this process (load_demo, the bench): plans what is due on or before
    today, then sends each user's reminders. Idempotent. Returns (targets due, reminders sent).

    The Celery task does the same but fans the sending out to workers in chunks of users.
    """
    found = plan_reminders(today=today)
    sent = 0
    for user_ids in due_user_chunks(today=today):
        sent += dispatch_to_users(user_ids, today=today, now=now)
    return found, sent


# --- Explaining ----------------------------------------------------------------------------------


def explain(rule: ReminderRule, target: Target, *, today: datetime.date) -> str:
    """Why the target is reminded today, in one sentence for the admin's preview."""
    what = {
        CycleStep.REGISTRATION: _("%(unit)s has not submitted its registration."),
        CycleStep.DOSSIER: _("%(unit)s has not submitted its dossier."),
        CycleStep.REVIEW: _("The dossier of %(unit)s is waiting for appraisal."),
        CycleStep.DECISION: _("The dossier of %(unit)s is recommended, waiting for the decision."),
    }[rule.step] % {"unit": target.unit_name}
    deadline = date_format(target.due_on, "SHORT_DATE_FORMAT")
    days = (target.due_on - today).days
    if days >= 0:
        when = _("Deadline %(date)s, %(days)s day(s) left.") % {"date": deadline, "days": days}
    else:
        when = _("Deadline %(date)s, overdue by %(days)s day(s).") % {
            "date": deadline,
            "days": -days,
        }
    parts = [what, when]
    if target.extended:
        parts.append(_("The unit was granted an extension."))
    if rule.audience == Audience.SUPERVISOR:
        parts.append(_("Escalated: the level below is overdue."))
    return " ".join(parts)


@dataclass(frozen=True)
class PreviewLine:
    user: User
    unit_name: str
    cycle: Cycle
    due_on: datetime.date
    offset_days: int
    why: str


def preview_recipients(
    rule: ReminderRule, *, today: datetime.date, limit: int = 200
) -> tuple[list[PreviewLine], int]:
    """Who the rule would remind today and why (not those already reminded): the first `limit`
    lines and the total. Writes nothing."""
    lines: list[tuple[Target, Cycle]] = []
    total = 0
    roles = AreaRoles()
    for cycle in cycles_for(rule, today):
        for targets in iter_targets(rule, cycle, today=today, roles=roles):
            planned = set(
                Reminder.objects.filter(
                    rule=rule, cycle=cycle, unit_id__in={t.unit_id for t in targets}
                )
                .exclude(status=ReminderStatus.PENDING)
                .values_list("user_id", "unit_id", "offset_days")
            )
            fresh = [t for t in targets if (t.user_id, t.unit_id, t.offset_days) not in planned]
            total += len(fresh)
            lines.extend((target, cycle) for target in fresh[: max(0, limit - len(lines))])
    users = User.objects.in_bulk({target.user_id for target, _cycle in lines})
    return [
        PreviewLine(
            user=users[target.user_id],
            unit_name=target.unit_name,
            cycle=cycle,
            due_on=target.due_on,
            offset_days=target.offset_days,
            why=explain(rule, target, today=today),
        )
        for target, cycle in lines
    ], total


# --- Sending -------------------------------------------------------------------------------------


def link_for(rule: ReminderRule, unit_id: int) -> str:
    """Where the recipient acts on the item."""
    unit_rep = rule.audience == Audience.UNIT_REPRESENTATIVE
    if rule.step == CycleStep.REGISTRATION:
        if unit_rep:
            return reverse("certification:unit-registration", args=[unit_id])
        return reverse("certification:registration-list")
    if rule.step == CycleStep.DOSSIER and unit_rep:
        return reverse("certification:unit-dossier", args=[unit_id])
    if rule.step == CycleStep.REVIEW:
        return reverse("certification:dossier-queue")
    if rule.step == CycleStep.DECISION and not unit_rep:
        return reverse("certification:decision-list")
    return reverse("units:unit-detail", args=[unit_id])


@dataclass(frozen=True)
class RenderedReminder:
    subject: str
    text: str
    html: str
    url: str


def render_reminder(reminder: Reminder, *, today: datetime.date) -> RenderedReminder:
    """The rule's Vietnamese subject, text and HTML filled in for one reminder."""
    rule = reminder.rule
    url = link_for(rule, reminder.unit_id)
    days_left = (reminder.due_on - today).days
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "unit": reminder.unit.name,
            "step": CycleStep(rule.step).label,
            "deadline": date_format(reminder.due_on, "SHORT_DATE_FORMAT"),
            "days_left": days_left,
            "days_overdue": max(0, -days_left),
            "link": absolute_url(url),
            "recipient": reminder.user.get_full_name() or reminder.user.username,
            "year": reminder.cycle.year,
        }
    subject = Template(rule.subject_template).render(Context(values, autoescape=False))
    return RenderedReminder(
        subject=" ".join(subject.split())[:300],
        text=Template(rule.text_template).render(Context(values, autoescape=False)),
        html=Template(rule.html_template).render(Context(values)),
        url=url,
    )


def _still_due(
    rows: list[Reminder], *, today: datetime.date, roles: AreaRoles | None = None
) -> tuple[list[Reminder], list]:
    """Splits claimed rows into those still due as planned and those overtaken by events (the
    unit acted, a deadline moved, a later offset is due): the latter are dropped, to be planned
    again if and when they fall due."""
    current: dict[tuple, Target] = {}
    roles = roles or AreaRoles()
    groups = defaultdict(list)
    for row in rows:
        groups[(row.rule_id, row.cycle_id)].append(row)
    for group in groups.values():
        rule, cycle = group[0].rule, group[0].cycle
        for targets in iter_targets(
            rule, cycle, today=today, unit_ids={row.unit_id for row in group}, roles=roles
        ):
            for target in targets:
                current[(target.rule_id, target.cycle_id, target.user_id, target.unit_id)] = target
    keep, drop = [], []
    for row in rows:
        target = current.get((row.rule_id, row.cycle_id, row.user_id, row.unit_id))
        if target is None or target.offset_days != row.offset_days:
            drop.append(row)
        else:
            row.due_on = target.due_on
            keep.append(row)
    return keep, drop


def email_mode(user: User) -> str:
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference.email_mode if preference else EmailMode.EACH


def dispatch_to_users(
    user_ids: Iterable[int], *, today: datetime.date, now: datetime.datetime
) -> int:
    """Sends the due reminders of each of these users (one transaction per user), then publishes
    their e-mails in a few tasks; returns the number of reminders sent. Idempotent."""
    sent = 0
    mail_ids: set[int] = set()
    roles = AreaRoles()  # once for the chunk, not once per user
    for user_id in user_ids:
        rows = dispatch_reminders(user_id, today=today, now=now, publish=False, roles=roles)
        sent += len(rows)
        mail_ids.update(row.mail_id for row in rows if row.mail_id)
    # Were this process to die before publishing, the drain would publish these rows.
    publish_deliveries(sorted(mail_ids))
    return sent


@transaction.atomic
def dispatch_reminders(
    user_id: int,
    *,
    today: datetime.date,
    now: datetime.datetime,
    publish: bool = True,
    roles: AreaRoles | None = None,
) -> list[Reminder]:
    """Idempotent: sends each of the user's due reminders once, as in-app notifications and
    e-mails (one per reminder, or one digest listing them all); returns the reminders sent.

    With `publish`, the e-mails' delivery is published after commit; without, the caller does.
    """
    token = uuid.uuid4()
    claimed = (
        Reminder.objects.due(today)
        .filter(user_id=user_id)
        .update(status=ReminderStatus.SENT, claim_token=token, sent_at=now)
    )
    if not claimed:
        return []
    rows = list(
        Reminder.objects.filter(claim_token=token)
        .select_related("rule", "cycle__criteria_set", "cycle__province", "unit", "user")
        .prefetch_related("cycle__calendars")
        .order_by("due_on", "unit__name", "pk")
    )
    rows, overtaken = _still_due(rows, today=today, roles=roles)
    Reminder.objects.filter(pk__in=[row.pk for row in overtaken]).delete()
    if not rows:
        return []
    user = rows[0].user
    rendered = [render_reminder(row, today=today) for row in rows]
    Notification.objects.bulk_create(
        Notification(
            user=user,
            event=f"reminder_{row.rule.step}",
            subject=message.subject,
            message=message.text,
            url=message.url,
            created_at=now,
        )
        for row, message in zip(rows, rendered, strict=True)
    )
    if not user.email:
        channel, mails = Channel.IN_APP, [None] * len(rows)
    elif email_mode(user) == EmailMode.DIGEST:
        digest = compose_mail(
            user,
            template="digest",
            context={
                "items": [{"subject": m.subject, "link": absolute_url(m.url)} for m in rendered],
                "today": today,
            },
            event="reminder_digest",
            now=now,
        )
        digest.save()
        channel, mails = Channel.DIGEST, [digest] * len(rows)
    else:
        mails = OutgoingMail.objects.bulk_create(
            compose_mail(
                user,
                template="reminder",
                context={
                    "subject": message.subject,
                    "text": message.text,
                    "html": mark_safe(message.html),  # rendered with autoescape on
                    "link": absolute_url(message.url),
                },
                event=f"reminder_{row.rule.step}",
                now=now,
            )
            for row, message in zip(rows, rendered, strict=True)
        )
        channel = Channel.EMAIL
    for row, mail in zip(rows, mails, strict=True):
        row.channel = channel
        row.mail = mail
    Reminder.objects.bulk_update(rows, ["channel", "mail", "due_on"])
    if publish:
        publish_after_commit(sorted({mail.pk for mail in mails if mail is not None}))
    return rows
