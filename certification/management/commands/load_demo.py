"""Loads a demo province shaped after the 2025 reform, with its units and one user per role.

The data are fixed lists (no randomness), so every run yields the same areas, units and users.
Codes and usernames are the natural keys: what already exists is kept as it is, only the demo
users' passwords follow --password. Codes are illustrative, not the official national list.

With the published criteria set TT124-2021 loaded, the province also gets this year's cycle, with
registrations in every state, and last year's, all acknowledged; both are filed through the
certification services, so every step is recorded with who did it and why. A year whose cycle
already exists is left alone.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.hashers import check_password, make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from certification.demo_data import (
    ABSORBED_UNITS,
    ANNULLED_UNIT_CODE,
    ANNULMENT_REASON,
    ANNULMENT_REFERENCE,
    CHANGE_REASON,
    COMMITMENT,
    COMMUNE_BY_CODE,
    COMMUNES,
    CRITERIA_SET_CODE,
    CURRENT_DOSSIERS,
    CURRENT_REGISTRATIONS,
    DEFAULT_PASSWORD,
    DOCUMENT_FILES,
    DOSSIER_DEPARTMENTS,
    DOSSIER_FIGURES,
    DOSSIER_FIGURES_LAST_YEAR,
    DOSSIER_FILES,
    DOSSIER_MODELS,
    DOSSIER_NOTES,
    DOSSIER_SUMMARY,
    EARLIER_RESULTS,
    EARLIER_YEARS,
    EARLY_REMINDER_RULE,
    EXTENSION_DAYS,
    EXTENSION_REASON,
    EXTENSION_UNIT_CODE,
    FIRST_REGISTRATION_DAY,
    HAMLET_MERGE_DAY,
    HAMLET_MERGE_REASON,
    HISTORY_YEARS,
    LAST_REGISTRATION_DAY,
    NOT_RECOGNISED_LAST_YEAR,
    OLD_AREA_OF_COMMUNE,
    OLD_AREAS,
    OLD_DECISIONS,
    OLD_PROVINCE_CODE,
    PAPER_DECISIONS,
    PREVIOUS_DOSSIERS,
    PREVIOUS_RESULTS,
    PROVINCE_CODE,
    PROVINCE_NAME,
    REFORM_DAY,
    REFORM_REASON,
    RESUBMITTED,
    RETURN_REASON,
    UNIT_BY_CODE,
    UNITS,
    USERS,
    WARD_DECISIONS_BEFORE,
    Dossier,
    N,
    PaperDecision,
    PlannedDossier,
    PlannedRegistration,
    R,
    Status,
)
from certification.filing import attach_dossier_documents, file_registration, pdf_upload
from certification.models import (
    REQUIRED_DOSSIER_DOCUMENTS,
    Assessment,
    Certificate,
    CriteriaSet,
    Cycle,
    CycleStep,
    Decision,
    DecisionCounter,
    DocumentKind,
    DossierDocumentKind,
    ForceRating,
    ItemAnswer,
    Registration,
    ReviewLevel,
    StatusCount,
    YearlyResult,
    review_levels,
)
from certification.services.assessment import (
    approve_assessment,
    refuse_assessment,
    save_answers,
    save_dossier_details,
    send_back_criteria,
    start_assessment,
    submit_assessment,
)
from certification.services.cycles import calendar_for, create_cycle, grant_extension
from certification.services.decisions import (
    annul_certificate,
    awaiting_decision,
    default_details,
    issue_decision,
    prepare_decision,
    record_decision,
)
from certification.services.registration import (
    acknowledge_registration,
    return_registration,
    start_registration,
)
from units.models import (
    Area,
    AreaKind,
    AreaLevel,
    ManagingLevel,
    Role,
    RoleAssignment,
    Unit,
    UnitAreaChange,
    UnitCount,
    UnitType,
    User,
)
from units.services import create_area, grant_role, record_succession


def _figures(plan: PlannedRegistration, *, fewer: int = 0) -> dict[str, int]:
    """The plan's figures; `fewer` households for an earlier year, when the area was smaller."""
    values = {}
    if plan.households:
        resident, registered = plan.households
        values["households_resident"] = resident - fewer
        values["households_registered"] = registered - fewer
    if plan.staff:
        values["staff_total"], values["staff_pledged"] = plan.staff
    if plan.students:
        values["students_total"], values["students_pledged"] = plan.students
    return values


def _demo_answers(assessment: Assessment, overrides) -> dict[int, dict]:
    """Every criterion "met" with a note, its items and its figures; then the plan's changes."""
    changes = dict(overrides)
    answers = {}
    for answer in assessment.answers.select_related("criterion"):
        criterion = answer.criterion
        parameters = criterion.parameters or {}
        values = {"answer": "met", "note": DOSSIER_NOTES.get(criterion.kind, "")}
        if "items" in parameters:
            values["items"] = {
                str(n): ItemAnswer.NONE for n in range(1, len(parameters["items"]) + 1)
            }
        figures = {}
        if "figures" in parameters:
            figures = {
                **{name: DOSSIER_FIGURES[name] for name in parameters["figures"]},
                **{
                    f"{name}_last_year": DOSSIER_FIGURES_LAST_YEAR[name]
                    for name in parameters["figures"]
                },
            }
        if "models_min" in parameters:
            figures["models_effective"] = DOSSIER_MODELS
        if "departments" in parameters:
            figures.update(DOSSIER_DEPARTMENTS)
        if figures:
            values["figures"] = figures
        if "force_rating" in parameters:
            values["rating"] = ForceRating.GOOD
        if "no_discipline" in parameters:
            values["disciplined"] = False
        answers[criterion.pk] = _merged(values, changes.get(criterion.number, {}))
    return answers


def _merged(values: dict, change: dict) -> dict:
    merged = {**values, **change}
    for name in ("items", "figures"):
        if name in change:
            merged[name] = {**values.get(name, {}), **change[name]}
    return merged


HELP = _(
    "Loads a demo province (Vĩnh Long after the 2025 reform: communes without districts) with its "
    "residential areas, agencies, enterprises and schools, and demo users for every role. Running "
    "it again changes nothing except the demo users' passwords."
)


class Command(BaseCommand):
    @property
    def help(self) -> str:
        # argparse needs a real string for the description, so translate only when it is shown.
        return str(HELP)

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=_("The password of every demo user (default: %(default)s)."),
        )

    def handle(self, *args, password: str, **options):
        with transaction.atomic():
            areas, areas_created = self._load_areas()
            areas_created += self._load_old_areas(areas)
            units_created = self._load_units(areas)
            units_created += self._load_old_units(areas)
            users, users_created, passwords_changed = self._load_users(password)
            roles_created = self._grant_roles(users, areas)
            cycle_summary = self._load_cycles(users, areas)
            dossier_summary = self._load_dossiers(users, areas)
            decision_summary = self._load_decisions(users, areas)
            # Units and results are written in bulk here, past the services: count them again.
            UnitCount.objects.recount()
            StatusCount.objects.recount()
        self.stdout.write(
            self.style.SUCCESS(
                gettext(
                    "Demo data: %(areas)d areas, %(units)d units, %(users)d users and "
                    "%(roles)d roles created; %(passwords)d passwords changed."
                )
                % {
                    "areas": areas_created,
                    "units": units_created,
                    "users": users_created,
                    "roles": roles_created,
                    "passwords": passwords_changed,
                }
            )
        )
        self.stdout.write(cycle_summary)
        if dossier_summary:
            self.stdout.write(dossier_summary)
        if decision_summary:
            self.stdout.write(decision_summary)
        reminder_summary = self._send_todays_reminders(areas)
        if reminder_summary:
            self.stdout.write(reminder_summary)
        self._print_table(areas, password)

    # --- Loading ---------------------------------------------------------------------------------

    def _load_areas(self) -> tuple[dict[str, Area], int]:
        codes = [PROVINCE_CODE, *COMMUNE_BY_CODE]
        areas = Area.objects.in_bulk(codes, field_name="code")
        created = 0
        if PROVINCE_CODE not in areas:
            areas[PROVINCE_CODE] = create_area(
                parent=None,
                code=PROVINCE_CODE,
                name=PROVINCE_NAME,
                level=AreaLevel.PROVINCE,
                kind=AreaKind.TINH,
                by=None,
            )
            created += 1
        province = areas[PROVINCE_CODE]
        for commune in COMMUNES:
            if commune.code in areas:
                continue
            areas[commune.code] = create_area(
                parent=province,
                code=commune.code,
                name=commune.name,
                level=AreaLevel.COMMUNE,
                kind=commune.kind,
                by=None,
            )
            created += 1
        return areas, created

    def _load_units(self, areas: dict[str, Area]) -> int:
        existing = set(Unit.objects.filter(code__in=UNIT_BY_CODE).values_list("code", flat=True))
        sequence_in_commune: dict[str, int] = {}
        new_units = []
        for spec in UNITS:
            # Numbered in plan order, so a unit's phone number does not depend on what exists.
            number = sequence_in_commune[spec.commune_code] = (
                sequence_in_commune.get(spec.commune_code, 0) + 1
            )
            if spec.code in existing:
                continue
            commune = COMMUNE_BY_CODE[spec.commune_code]
            address = f"{commune.name}, {PROVINCE_NAME}"
            if spec.unit_type != UnitType.COMMUNE:
                address = f"{spec.name}, {address}"
            unit = Unit(
                code=spec.code,
                name=spec.name,
                unit_type=spec.unit_type,
                residential_subtype=spec.residential_subtype,
                enterprise_size=spec.enterprise_size,
                school_level=spec.school_level,
                is_armed_forces=spec.is_armed_forces,
                active_from=spec.active_from,
                area=areas[spec.commune_code],
                managing_level=spec.managing_level,
                address=address,
                contact_email=f"{spec.code.lower()}@example.vn",
                contact_phone=(
                    f"{commune.phone_prefix} 38{COMMUNES.index(commune):02d} {number:03d}"
                ),
            )
            # Field checks only: uniqueness is settled above, the constraints by the database.
            unit.full_clean(exclude=["area"], validate_unique=False, validate_constraints=False)
            new_units.append(unit)
        if new_units:
            bulk_create_with_history(new_units, Unit, default_change_reason=CHANGE_REASON)
        return len(new_units)

    def _load_old_areas(self, areas: dict[str, Area]) -> int:
        """Tỉnh Trà Vinh and its areas as they stood until the reform, closed on the reform day
        and marked with what they were merged into."""
        existing = Area.objects.in_bulk([spec.code for spec in OLD_AREAS], field_name="code")
        created = 0
        for spec in OLD_AREAS:
            area = existing.get(spec.code)
            if area is None:
                area = create_area(
                    parent=areas[spec.parent_code] if spec.parent_code else None,
                    code=spec.code,
                    name=spec.name,
                    level=spec.level,
                    kind=spec.kind,
                    valid_to=REFORM_DAY,
                    by=None,
                )
                area.merged_into = areas[spec.merged_into_code]
                area._change_reason = REFORM_REASON
                area.save(update_fields=["merged_into"])
                created += 1
            areas[spec.code] = area
        return created

    def _load_old_units(self, areas: dict[str, Area]) -> int:
        """The ấp absorbed before the reform, the merge that formed Ấp Long Hưng, and the reform's
        moves of the two communes' residential areas from their old ward and commune."""
        existing = set(
            Unit.objects.filter(code__in=[spec.code for spec in ABSORBED_UNITS]).values_list(
                "code", flat=True
            )
        )
        new_units = []
        for spec in ABSORBED_UNITS:
            if spec.code in existing:
                continue
            area = areas[spec.old_area_code]
            new_units.append(
                Unit(
                    code=spec.code,
                    name=spec.name,
                    unit_type=UnitType.RESIDENTIAL_AREA,
                    residential_subtype=UNIT_BY_CODE[spec.successor_code].residential_subtype,
                    area=area,
                    managing_level=ManagingLevel.COMMUNE,
                    address=f"{spec.name}, {area.name}, Huyện Càng Long, Tỉnh Trà Vinh",
                )
            )
        if new_units:
            bulk_create_with_history(new_units, Unit, default_change_reason=CHANGE_REASON)
        by_successor: dict[str, list[str]] = {}
        for spec in ABSORBED_UNITS:
            by_successor.setdefault(spec.successor_code, []).append(spec.code)
        for successor_code, codes in by_successor.items():
            absorbed = Unit.objects.filter(code__in=codes, successor_link__isnull=True)
            if absorbed:
                record_succession(
                    Unit.objects.get(code=successor_code),
                    list(absorbed),
                    on=HAMLET_MERGE_DAY,
                    reason=HAMLET_MERGE_REASON,
                    by=None,
                )
        moved = Unit.objects.filter(
            area__code__in=OLD_AREA_OF_COMMUNE,
            unit_type=UnitType.RESIDENTIAL_AREA,
            area_changes__isnull=True,
        ).select_related("area")
        UnitAreaChange.objects.bulk_create(
            UnitAreaChange(
                unit=unit,
                old_area=areas[OLD_AREA_OF_COMMUNE[unit.area.code]],
                new_area=unit.area,
                changed_on=REFORM_DAY,
                reason=REFORM_REASON,
            )
            for unit in moved
        )
        return len(new_units)

    def _load_users(self, password: str) -> tuple[dict[str, User], int, int]:
        """Gets or creates the demo users; one password hash serves them all (hashing is slow)."""
        users = User.objects.in_bulk([spec.username for spec in USERS], field_name="username")
        matches = {
            stored: check_password(password, stored)
            for stored in {user.password for user in users.values()}
        }
        hashed = next((stored for stored, ok in sorted(matches.items()) if ok), None)
        hashed = hashed or make_password(password)

        outdated = [user for user in users.values() if not matches[user.password]]
        for user in outdated:
            user.password = hashed
        if outdated:
            User.objects.bulk_update(outdated, ["password"])

        created = 0
        for spec in USERS:
            if spec.username in users:
                continue
            user = User(
                username=spec.username,
                first_name=spec.first_name,
                last_name=spec.last_name,
                email=f"{spec.username}@example.vn",
                password=hashed,
            )
            user.save()
            users[spec.username] = user
            created += 1
        return users, created, len(outdated)

    def _grant_roles(self, users: dict[str, User], areas: dict[str, Area]) -> int:
        units = Unit.objects.in_bulk(
            [spec.unit_code for spec in USERS if spec.unit_code], field_name="code"
        )
        before = RoleAssignment.objects.count()
        for spec in USERS:
            grant_role(
                users[spec.username],
                spec.role,
                area=areas[spec.area_code] if spec.area_code else None,
                unit=units[spec.unit_code] if spec.unit_code else None,
                by=None,
            )
        return RoleAssignment.objects.count() - before

    # --- The demo cycles -------------------------------------------------------------------------

    def _load_cycles(self, users: dict[str, User], areas: dict[str, Area]) -> str:
        """This year's cycle with registrations in every state, and last year's for the history.

        Everything goes through the certification services, so each step is recorded with who
        did it and why. A year whose cycle already exists is left as it is.
        """
        criteria_set = (
            CriteriaSet.objects.published()
            .filter(code=CRITERIA_SET_CODE)
            .order_by("-version")
            .first()
        )
        if criteria_set is None:
            return self.style.WARNING(
                gettext("No published criteria set %(code)s: no demo cycle loaded.")
                % {"code": CRITERIA_SET_CODE}
            )
        province = areas[PROVINCE_CODE]
        year = timezone.localdate().year
        created = 0
        for cycle_year in (year - 1, year):
            if Cycle.objects.filter(year=cycle_year, province=province).exists():
                continue
            cycle = create_cycle(
                year=cycle_year, province=province, criteria_set=criteria_set, by=users["admin"]
            )
            # Tỉnh Vĩnh Long has the commune police appraise the bodies the province manages
            # before the province does (a per-cycle choice; the law's default is the province).
            Cycle.objects.filter(pk=cycle.pk).update(commune_police_appraise_first=True)
            cycle.commune_police_appraise_first = True
            created += self._register(cycle, users, current=cycle_year == year)
            if cycle_year == year:
                self._grant_demo_extension(cycle, users)
        cycle = Cycle.objects.get(year=year, province=province)
        by_status = dict(
            Registration.objects.filter(cycle=cycle)
            .values_list("status")
            .annotate(count=Count("pk"))
            .values_list("status", "count")
        )
        statuses = "; ".join(
            f"{label}: {by_status.get(value, 0)}" for value, label in Status.choices
        )
        return self.style.SUCCESS(
            gettext(
                "Demo cycles: %(created)d registrations created; this year's, %(year)d "
                "(%(criteria_set)s), by status: %(statuses)s."
            )
            % {
                "year": year,
                "criteria_set": cycle.criteria_set.code,
                "created": created,
                "statuses": statuses,
            }
        )

    def _register(self, cycle: Cycle, users: dict[str, User], *, current: bool) -> int:
        """Files the planned registrations; last year every one of them was acknowledged."""
        units = Unit.objects.select_related("area").in_bulk(
            [plan.unit_code for plan in CURRENT_REGISTRATIONS], field_name="code"
        )
        representatives = {spec.unit_code: users[spec.username] for spec in USERS if spec.unit_code}
        reviewers = {
            spec.area_code: users[spec.username] for spec in USERS if spec.role == Role.REVIEWER
        }
        first_day = datetime.date(cycle.year, *FIRST_REGISTRATION_DAY)
        last_day = datetime.date(cycle.year, *LAST_REGISTRATION_DAY)
        for index, plan in enumerate(CURRENT_REGISTRATIONS):
            unit = units[plan.unit_code]
            day = min(first_day + datetime.timedelta(days=2 * index), last_day)
            # Residential areas and commune-managed bodies go to the commune police, the rest to
            # the provincial police.
            reviewer_area = (
                unit.area.code if unit.managing_level == ManagingLevel.COMMUNE else PROVINCE_CODE
            )
            self._file_registration(
                cycle,
                plan,
                unit,
                day=day,
                at=datetime.time(8 + index % 9, 7 * index % 60),
                status=plan.status if current else Status.ACKNOWLEDGED,
                by=representatives.get(plan.unit_code),
                reviewer=reviewers[reviewer_area],
                fewer=0 if current else 2 + index % 5,
            )
        return len(CURRENT_REGISTRATIONS)

    def _file_registration(
        self,
        cycle: Cycle,
        plan: PlannedRegistration,
        unit: Unit,
        *,
        day: datetime.date,
        at: datetime.time,
        status: str,
        by: User | None,
        reviewer: User,
        fewer: int,
    ) -> None:
        values = {
            "registered_on": day,
            "signer_name": plan.signer_name,
            "signer_title": plan.signer_title,
            "commitment": COMMITMENT[unit.unit_type].format(unit=unit.name, year=cycle.year),
            **_figures(plan, fewer=fewer),
        }
        if status == Status.DRAFT:
            start_registration(cycle, unit, values=values, by=by, today=day)
            return

        def document(kind: str):
            document_year = cycle.year
            if status == Status.RETURNED and kind == DocumentKind.PARTY_RESOLUTION:
                # What the reviewer returns it for: last year's resolution was attached.
                document_year -= 1
            name, (month, day_of_month) = DOCUMENT_FILES[kind]
            name = name.format(year=document_year)
            dated = datetime.date(document_year, month, day_of_month)
            return pdf_upload(name, f"{unit.code} {name}"), dated

        now = timezone.make_aware(datetime.datetime.combine(day, at))
        registration = file_registration(
            cycle, unit, values=values, documents=document, day=day, now=now, by=by
        )
        if status == Status.ACKNOWLEDGED:
            acknowledge_registration(registration, by=reviewer)
        elif status == Status.RETURNED:
            reason = RETURN_REASON.format(previous=cycle.year - 1, year=cycle.year)
            return_registration(registration, by=reviewer, reason=reason)

    def _grant_demo_extension(self, cycle: Cycle, users: dict[str, User]) -> None:
        """Khu phố 2 (An Hội) has not registered; its new head gets a month from today."""
        unit = Unit.objects.get(code=EXTENSION_UNIT_CODE)
        due_on = timezone.localdate() + datetime.timedelta(days=EXTENSION_DAYS)
        normal = calendar_for(cycle, unit).registration_closes_on
        if due_on <= normal:  # still in Q1: the extension must go beyond the normal deadline
            due_on = normal + datetime.timedelta(days=EXTENSION_DAYS)
        grant_extension(
            cycle,
            unit,
            CycleStep.REGISTRATION,
            due_on=due_on,
            reason=EXTENSION_REASON,
            by=users["ca.tinh"],
        )

    # --- Reminders -------------------------------------------------------------------------------

    def _send_todays_reminders(self, areas: dict[str, Area]) -> str:
        """Runs today's reminder sweep, so the demo users find what is due in the bell and in
        var/mail/ at once rather than after beat's next daily run. Idempotent, as the sweep is.

        The demo cycle also gets an early reminder rule, made the first time the demo is loaded,
        whose reminder falls on that day: for Khu phố 2's extended registration deadline. The
        circular's own deadlines fall in Q1 and Q4 only, and the demo may be loaded any day.
        """
        # Imported here: the reminders belong to the certification app, the demo only runs them.
        from certification.models import Audience, ReminderRule
        from certification.services.cycles import deadline_for
        from certification.services.reminders import sweep

        today = timezone.localdate()
        cycle = Cycle.objects.filter(year=today.year, province=areas[PROVINCE_CODE]).first()
        if cycle is None:
            return ""
        extended = Unit.objects.get(code=EXTENSION_UNIT_CODE)
        due_on, _extension = deadline_for(cycle, extended, CycleStep.REGISTRATION)
        ReminderRule.objects.get_or_create(
            cycle=cycle,
            name=EARLY_REMINDER_RULE,
            defaults={
                "step": CycleStep.REGISTRATION,
                "audience": Audience.UNIT_REPRESENTATIVE,
                "days_before": str(max(0, (due_on - today).days)),
                "days_after": "",
            },
        )
        due, sent = sweep(today=today, now=timezone.now())
        return self.style.SUCCESS(
            gettext(
                "Reminders: %(due)d due today, %(sent)d sent now (the bell; e-mails through the "
                "Celery worker)."
            )
            % {"due": due, "sent": sent}
        )

    # --- The demo dossiers ----------------------------------------------------------------------

    def _load_dossiers(self, users: dict[str, User], areas: dict[str, Area]) -> str:
        """This year's dossiers in every state; last year's results and a commune not recommended.

        Filed through the assessment services on days inside each unit type's calendar, so every
        step is recorded with who did it and why. A unit that already has a dossier is left alone.
        """
        province = areas[PROVINCE_CODE]
        year = timezone.localdate().year
        cycles = {
            cycle.year: cycle
            for cycle in Cycle.objects.filter(province=province, year__in=(year - 1, year))
        }
        if year not in cycles:
            return ""
        created = 0
        if year - 1 in cycles:
            self._record_results(cycles[year - 1])
            created += self._file_dossiers(cycles[year - 1], PREVIOUS_DOSSIERS, users)
        created += self._file_dossiers(cycles[year], CURRENT_DOSSIERS, users)
        by_status = dict(
            Assessment.objects.filter(cycle=cycles[year])
            .values_list("status")
            .annotate(count=Count("pk"))
            .values_list("status", "count")
        )
        statuses = "; ".join(
            f"{label}: {by_status.get(value, 0)}" for value, label in Dossier.choices
        )
        return self.style.SUCCESS(
            gettext("Demo dossiers: %(created)d created; this year's by status: %(statuses)s.")
            % {"created": created, "statuses": statuses}
        )

    def _record_results(self, cycle: Cycle) -> None:
        """Last year's decisions on Phường Trà Vinh and its khóm (kept if already recorded)."""
        units = Unit.objects.in_bulk(list(PREVIOUS_RESULTS), field_name="code")
        for code, result in PREVIOUS_RESULTS.items():
            commune = units[code].unit_type == UnitType.COMMUNE
            YearlyResult.objects.get_or_create(
                cycle=cycle,
                unit=units[code],
                defaults={
                    "result": result,
                    # The khóm are decided before the ward, which is judged on them.
                    "decided_on": datetime.date(cycle.year, 11, 19)
                    if commune
                    else datetime.date(cycle.year, 11, 12),
                },
            )

    def _file_dossiers(self, cycle: Cycle, plans, users: dict[str, User]) -> int:
        codes = [plan.unit_code for plan in plans]
        registrations = {
            registration.unit.code: registration
            for registration in Registration.objects.filter(
                cycle=cycle, unit__code__in=codes, status=Status.ACKNOWLEDGED
            ).select_related("unit__area", "cycle")
        }
        existing = set(
            Assessment.objects.filter(cycle=cycle, unit__code__in=codes).values_list(
                "unit__code", flat=True
            )
        )
        representatives = {spec.unit_code: users[spec.username] for spec in USERS if spec.unit_code}
        reviewers = {
            spec.area_code: users[spec.username] for spec in USERS if spec.role == Role.REVIEWER
        }
        created = 0
        for plan in plans:
            registration = registrations.get(plan.unit_code)
            if registration is None or plan.unit_code in existing:
                continue
            unit = registration.unit
            reviewer_at = {
                ReviewLevel.COMMUNE: reviewers.get(unit.area.code, users["admin"]),
                ReviewLevel.PROVINCE: reviewers[PROVINCE_CODE],
            }
            self._file_dossier(
                registration, plan, by=representatives.get(plan.unit_code), reviewer_at=reviewer_at
            )
            created += 1
        return created

    def _file_dossier(self, registration, plan: PlannedDossier, *, by, reviewer_at) -> None:
        cycle, unit = registration.cycle, registration.unit
        # The last days before the dossier deadline, or before today while the window is open.
        last_day = min(timezone.localdate(), calendar_for(cycle, unit).dossier_due_on)

        def day(before: int) -> datetime.date:
            return last_day - datetime.timedelta(days=before)

        def moment(before: int, hour: int) -> datetime.datetime:
            return timezone.make_aware(datetime.datetime.combine(day(before), datetime.time(hour)))

        assessment = start_assessment(registration, by=by, today=day(12))
        save_answers(assessment, answers=_demo_answers(assessment, plan.answers), by=by)
        if plan.state == Dossier.DRAFT:
            return
        save_dossier_details(
            assessment,
            values={
                "meeting_on": day(9),
                "meeting_attendance": (
                    registration.households_resident or registration.staff_total or 90
                )
                // 3,
                "meeting_chair": registration.signer_name,
                "summary": DOSSIER_SUMMARY.format(year=cycle.year, unit=unit.name),
            },
            by=by,
        )
        kinds = [
            kind
            for kind in REQUIRED_DOSSIER_DOCUMENTS
            if not (plan.incomplete and kind == DossierDocumentKind.MINUTES)
        ]
        first_criterion = assessment.answers.order_by("criterion__number").first().criterion

        def upload_for(kind: str):
            name = DOSSIER_FILES[kind].format(year=cycle.year)
            return pdf_upload(name, f"{unit.code} {name}")

        attach_dossier_documents(
            assessment,
            (*kinds, DossierDocumentKind.EVIDENCE),
            upload_for=upload_for,
            by=by,
            criterion=first_criterion,
        )
        assessment = submit_assessment(assessment, by=by, now=moment(7, 9), today=day(7))
        if plan.state == Dossier.SUBMITTED:
            return
        reviewer = reviewer_at[assessment.awaiting_level]
        if plan.state in (Dossier.RETURNED, RESUBMITTED):
            numbers = dict(plan.sent_back)
            criteria = {
                answer.criterion.number: answer.criterion_id
                for answer in assessment.answers.select_related("criterion")
            }
            assessment = send_back_criteria(
                assessment,
                reasons={criteria[number]: reason for number, reason in numbers.items()},
                by=reviewer,
                now=moment(4, 14),
            )
            if plan.state == RESUBMITTED:
                corrections = dict(plan.corrections)
                save_answers(
                    assessment,
                    answers={criteria[n]: values for n, values in corrections.items()},
                    by=by,
                )
                submit_assessment(assessment, by=by, now=moment(2, 10), today=day(2))
        elif plan.state == Dossier.NOT_RECOMMENDED:
            refuse_assessment(assessment, by=reviewer, now=moment(4, 14), reason=plan.reason)
        else:  # appraised by the first level, or recommended after every level
            levels = review_levels(unit, cycle)
            for index, level in enumerate(levels):
                assessment = approve_assessment(
                    assessment, by=reviewer_at[level], now=moment(4 - index, 14), today=day(4)
                )
                if plan.state == Dossier.APPRAISED:
                    break

    # --- The demo decisions ----------------------------------------------------------------------

    def _load_decisions(self, users: dict[str, User], areas: dict[str, Area]) -> str:
        """Earlier years' results, last year's paper decisions with one recognition annulled, and
        this year's decision of Phường Trà Vinh on its recommended dossiers.

        Written through the decision services; what already exists is left as it is.
        """
        province = areas[PROVINCE_CODE]
        year = timezone.localdate().year
        cycles = {
            cycle.year: cycle
            for cycle in Cycle.objects.filter(province=province, year__in=(year - 1, year))
        }
        if len(cycles) < 2:
            return ""
        self._record_earlier_results(cycles[year - 1], users)
        for paper in PAPER_DECISIONS:
            self._record_paper_decision(cycles[year - 1], paper, users, areas)
        self._annul_demo_recognition(year, users)
        self._issue_ward_decision(cycles[year], users, areas)
        certificates = Certificate.objects.filter(unit__area__path__startswith=province.path)
        return self.style.SUCCESS(
            gettext(
                "Demo decisions: %(decisions)d issued, %(certificates)d certificates, "
                "%(annulled)d annulled."
            )
            % {
                "decisions": Decision.objects.filter(
                    issuing_area__path__startswith=province.path, status="issued"
                ).count(),
                "certificates": certificates.count(),
                "annulled": certificates.filter(annulment__isnull=False).count(),
            }
        )

    def _record_earlier_results(self, last_cycle: Cycle, users: dict[str, User]) -> None:
        """The years before last, entered as results only (kept if already recorded): before the
        reform in Tỉnh Trà Vinh's cycles, with the old People's Committee's decision cited."""
        units = Unit.objects.select_related("area").in_bulk(
            [*EARLIER_RESULTS, *(spec.code for spec in ABSORBED_UNITS)], field_name="code"
        )
        results_by_year: dict[int, dict[str, str]] = {}
        for offset in range(EARLIER_YEARS):
            cycle_year = last_cycle.year - EARLIER_YEARS + offset
            for code, results in EARLIER_RESULTS.items():
                results_by_year.setdefault(cycle_year, {})[code] = results[offset]
        for spec in ABSORBED_UNITS:
            for cycle_year, result in zip(HISTORY_YEARS, spec.results, strict=True):
                results_by_year.setdefault(cycle_year, {})[spec.code] = result
        old_province = Area.objects.get(code=OLD_PROVINCE_CODE)
        for cycle_year, results in sorted(results_by_year.items()):
            province = old_province if cycle_year < REFORM_DAY.year else last_cycle.province
            cycle = Cycle.objects.filter(year=cycle_year, province=province).first()
            if cycle is None:
                cycle = create_cycle(
                    year=cycle_year,
                    province=province,
                    criteria_set=last_cycle.criteria_set,
                    by=users["admin"],
                )
            for code, result in results.items():
                unit = units[code]
                note = gettext("Entered from the paper records.")
                old_area = OLD_AREA_OF_COMMUNE.get(unit.area.code, unit.area.code)
                if cycle_year == REFORM_DAY.year - 1 and old_area in OLD_DECISIONS:
                    note = f"{note} {OLD_DECISIONS[old_area].format(year=cycle_year)}"
                YearlyResult.objects.get_or_create(
                    cycle=cycle,
                    unit=unit,
                    defaults={
                        "result": result,
                        "decided_on": datetime.date(cycle_year, 11, 13),
                        "note": note,
                    },
                )

    def _record_paper_decision(
        self, cycle: Cycle, paper: PaperDecision, users: dict[str, User], areas: dict[str, Area]
    ) -> None:
        area = areas[paper.commune_code]
        if paper.results is None:
            recorded = YearlyResult.objects.filter(
                cycle=cycle,
                unit__area=area,
                unit__managing_level=ManagingLevel.COMMUNE,
            ).select_related("unit__area")
            results = {
                result.unit: (result.result, NOT_RECOGNISED_LAST_YEAR.get(result.unit.name, ""))
                for result in recorded
            }
        else:
            units = Unit.objects.select_related("area").in_bulk(
                list(paper.results), field_name="code"
            )
            results = {
                units[code]: (N if reason else R, reason) for code, reason in paper.results.items()
            }
        if not results:
            return
        decided_on = datetime.date(cycle.year, *paper.month_day)
        record_decision(
            cycle,
            area,
            number=paper.number,
            details={
                **default_details(area),
                "decided_on": decided_on,
                "signer_name": paper.signer_name,
            },
            results=results,
            by=users[paper.decision_maker],
            now=timezone.make_aware(datetime.datetime.combine(decided_on, datetime.time(15))),
        )

    def _annul_demo_recognition(self, year: int, users: dict[str, User]) -> None:
        certificate = Certificate.objects.filter(
            unit__code=ANNULLED_UNIT_CODE, year=year - 1, annulment__isnull=True
        ).first()
        if certificate is None:
            return
        annulled_on = min(datetime.date(year, 1, 15), timezone.localdate())
        annul_certificate(
            certificate,
            annulled_on=annulled_on,
            reference=ANNULMENT_REFERENCE.format(year=year),
            reason=ANNULMENT_REASON.format(previous=year - 1),
            by=users["ubnd.canglong"],
            now=timezone.make_aware(datetime.datetime.combine(annulled_on, datetime.time(10))),
        )

    def _issue_ward_decision(
        self, cycle: Cycle, users: dict[str, User], areas: dict[str, Area]
    ) -> None:
        """Phường Trà Vinh recognises its recommended khóm (once: a decision exists, it stays)."""
        ward = areas["29242"]
        if Decision.objects.filter(issuing_area=ward, cycle=cycle).exists():
            return
        dossiers = list(awaiting_decision(ward, cycle).select_related("unit"))
        if not dossiers:
            return
        decided_on = min(
            timezone.localdate(),
            calendar_for(cycle, dossiers[0].unit).decision_due_on,
        )
        decision_maker = users["ubnd.travinh"]
        now = timezone.make_aware(datetime.datetime.combine(decided_on, datetime.time(9)))
        # As the administrator set it, so the portal follows the ward's document register.
        DecisionCounter.objects.get_or_create(
            issuing_area=ward,
            year=decided_on.year,
            defaults={"last_decision_number": WARD_DECISIONS_BEFORE},
        )
        decision = prepare_decision(
            cycle,
            ward,
            details={
                **default_details(ward),
                "decided_on": decided_on,
                "signer_name": "Võ Thị Mai",
            },
            choices={dossier.pk: (R, "") for dossier in dossiers},
            by=decision_maker,
            now=now,
        )
        issue_decision(decision, by=decision_maker, now=now)

    # --- Output ----------------------------------------------------------------------------------

    def _print_table(self, areas: dict[str, Area], password: str) -> None:
        headers = (gettext("Username"), gettext("Name"), gettext("Role"), gettext("Scope"))
        role_names = dict(Role.choices)
        rows = []
        for spec in USERS:
            if spec.unit_code:
                unit = UNIT_BY_CODE[spec.unit_code]
                scope = f"{unit.name} ({COMMUNE_BY_CODE[unit.commune_code].name})"
                if unit.unit_type == UnitType.COMMUNE:
                    scope = unit.name
            elif spec.area_code:
                scope = areas[spec.area_code].name
            elif spec.role == Role.MINISTRY_REVIEWER:
                scope = gettext("bodies recognised by the Ministry of Public Security")
            else:
                scope = gettext("whole country")
            rows.append(
                (
                    spec.username,
                    f"{spec.last_name} {spec.first_name}",
                    str(role_names[spec.role]),
                    scope,
                )
            )
        widths = [max(len(row[i]) for row in (headers, *rows)) for i in range(len(headers))]

        def line(cells) -> str:
            return "  ".join(
                cell.ljust(width) for cell, width in zip(cells, widths, strict=True)
            ).rstrip()

        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(line(headers)))
        self.stdout.write("  ".join("-" * width for width in widths))
        for row in rows:
            self.stdout.write(line(row))
        self.stdout.write("")
        self.stdout.write(
            gettext("Password of every demo user: %(password)s") % {"password": password}
        )
