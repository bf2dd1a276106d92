"""Automatic evaluation of criteria from the portal's own data, shown beside the unit's answer.

Each check reads a criterion's `parameters` (see migration 0002_load_criteria_sets) and returns
pass, fail or unknown with a sentence explaining why. Nothing here writes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certification.models import (
    Criterion,
    DocumentKind,
    ForceRating,
    ItemAnswer,
    Registration,
    ResultValue,
    YearlyResult,
    item_state,
)
from certification.models.registration import FILED
from units.models import ManagingLevel, Unit, UnitType

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"

FIGURE_LABELS = {
    "crimes": gettext_lazy("crimes"),
    "social_evils": gettext_lazy("social evils"),
    "violations": gettext_lazy("other violations"),
    "models_effective": gettext_lazy("effective models of the movement"),
    "departments_total": gettext_lazy("departments (total)"),
    "departments_rated": gettext_lazy("departments rated as the law requires"),
}


@dataclass(frozen=True)
class Evaluation:
    result: str
    reasons: tuple[str, ...] = ()

    @property
    def explanation(self) -> str:
        return " ".join(self.reasons)


def threshold_reached(count: int, total: int, min_percent: int) -> bool:
    """count/total ≥ min_percent, rounding the requirement up: 70% of 25 needs 18, not 17.5."""
    return count * 100 >= min_percent * total


def required_count(total: int, min_percent: int) -> int:
    return -(-min_percent * total // 100)


@dataclass
class ChildStats:
    """A commune's child units for one cycle: how many registered, recognised and undecided."""

    total: int = 0
    registered: int = 0
    recognised: int = 0
    undecided: list[Unit] = field(default_factory=list)
    by_type: dict[str, ChildStats] = field(default_factory=dict)


def counted_on(cycle, *, today: datetime.date) -> datetime.date:
    """The day whose area tree the commune rule counts: the end of the commune's assessment
    window, or today while the window is still open."""
    ends_on = (
        cycle.calendars.filter(unit_type=UnitType.COMMUNE)
        .values_list("assessment_ends_on", flat=True)
        .first()
    )
    return min(today, ends_on) if ends_on else today


def child_unit_stats(commune: Unit, cycle, *, today: datetime.date, types=None) -> ChildStats:
    """Counts the bodies the commune managed at the end of the cycle's assessment window (the
    area tree as it stood then, through UnitAreaChange), in five queries whatever their number."""
    on = counted_on(cycle, today=today)
    commune_path = (
        Unit.objects.with_path_on(on).values_list("path_on", flat=True).get(pk=commune.pk)
    )
    children = list(
        Unit.objects.within_on(commune_path, on)
        .active(on)
        .filter(managing_level=ManagingLevel.COMMUNE)
        .exclude(unit_type=UnitType.COMMUNE)
        .filter(unit_type__in=types or [t for t in UnitType.values if t != UnitType.COMMUNE])
        .order_by("unit_type", "name")
    )
    children = [unit for unit in children if not cycle.criteria_set.exclusion_reason(unit)]
    ids = [unit.pk for unit in children]
    registered = set(
        Registration.objects.filter(cycle=cycle, unit_id__in=ids, status__in=FILED).values_list(
            "unit_id", flat=True
        )
    )
    results = dict(
        YearlyResult.objects.filter(cycle=cycle, unit_id__in=ids).values_list("unit_id", "result")
    )
    stats = ChildStats()
    for unit in children:
        per_type = stats.by_type.setdefault(unit.unit_type, ChildStats())
        for bucket in (stats, per_type):
            bucket.total += 1
            bucket.registered += unit.pk in registered
            bucket.recognised += results.get(unit.pk) == ResultValue.RECOGNISED
            if unit.pk not in results:
                bucket.undecided.append(unit)
    return stats


def evaluate(
    criterion: Criterion,
    *,
    answer=None,
    registration: Registration | None,
    child_stats: ChildStats | None = None,
) -> Evaluation:
    """Combines every automatic check the criterion's parameters ask for."""
    parameters = criterion.parameters or {}
    outcomes: list[Evaluation] = []
    if "documents" in parameters:
        outcomes.append(_documents(parameters, registration))
    if "share" in parameters:
        outcomes.append(_shares(parameters["share"], answer, registration))
    if "child_units" in parameters:
        outcomes.append(_child_units(parameters["child_units"], child_stats))
    if "items" in parameters:
        outcomes.append(_items(parameters, answer))
    if "figures" in parameters:
        outcomes.append(_year_on_year(parameters["figures"], answer))
    if "models_min" in parameters:
        outcomes.append(_models(parameters["models_min"], answer))
    if "force_rating" in parameters:
        outcomes.append(_force_rating(parameters["force_rating"], answer))
    if "departments" in parameters:
        outcomes.append(_departments(parameters["departments"], answer))
    if "no_discipline" in parameters:
        outcomes.append(_no_discipline(parameters["no_discipline"], answer))
    if not outcomes:
        return Evaluation(UNKNOWN, (_("The reviewer judges this criterion."),))
    reasons = tuple(reason for outcome in outcomes for reason in outcome.reasons)
    if any(outcome.result == FAIL for outcome in outcomes):
        return Evaluation(FAIL, reasons)
    if any(outcome.result == UNKNOWN for outcome in outcomes):
        return Evaluation(UNKNOWN, reasons)
    return Evaluation(PASS, reasons)


def _documents(parameters, registration) -> Evaluation:
    if registration is None:
        return Evaluation(FAIL, (_("The unit has no registration for this year."),))
    month, day = (int(part) for part in parameters.get("documents_due", "03-31").split("-"))
    due = datetime.date(registration.cycle.year, month, day)
    dated = {}
    for kind, document_date in registration.documents.values_list("kind", "document_date"):
        dated[kind] = min(document_date, dated.get(kind, document_date))
    optional = set(parameters.get("optional_documents", ()))
    reasons, result = [], PASS
    for kind in parameters["documents"]:
        if kind == "registration":
            on = registration.registered_on
            label = _("the registration")
        else:
            on = dated.get(kind)
            label = _document_label(kind)
        if on is None:
            if kind in optional:
                continue
            result = FAIL
            reasons.append(_("Missing: %(document)s.") % {"document": label})
        elif on > due:
            result = FAIL
            reasons.append(
                _("%(document)s is dated %(date)s, after %(due)s.")
                % {
                    "document": label,
                    "date": date_format(on, "SHORT_DATE_FORMAT"),
                    "due": date_format(due, "SHORT_DATE_FORMAT"),
                }
            )
    if result == PASS:
        reasons.append(
            _("Every document is present and dated by %(due)s.")
            % {"due": date_format(due, "SHORT_DATE_FORMAT")}
        )
    return Evaluation(result, tuple(reasons))


def _document_label(kind: str) -> str:
    return str(DocumentKind(kind).label) if kind in DocumentKind.values else kind


def _figure(name, answer, registration):
    """A figure the unit entered in its answer this year, else the one it registered in Q1."""
    if answer is not None and answer.figures.get(name) not in (None, ""):
        return int(answer.figures[name])
    if registration is not None:
        return getattr(registration, name, None)
    return None


def _shares(shares, answer, registration) -> Evaluation:
    reasons, result = [], PASS
    for share in shares:
        part = _figure(share["part"], answer, registration)
        whole = _figure(share["whole"], answer, registration)
        if part is None or not whole:
            result = UNKNOWN if result == PASS else result
            reasons.append(_("The figures for this share are missing."))
            continue
        ok = threshold_reached(part, whole, share["min_percent"])
        result = result if ok else FAIL
        verdict = _("%(part)s of %(whole)s (%(percent)s%%; needed %(needed)s%%) → met.")
        if not ok:
            verdict = _("%(part)s of %(whole)s (%(percent)s%%; needed %(needed)s%%) → not met.")
        reasons.append(
            verdict
            % {
                "part": part,
                "whole": whole,
                "percent": round(100 * part / whole),
                "needed": share["min_percent"],
            }
        )
    return Evaluation(result, tuple(reasons))


def _child_units(rule, stats: ChildStats | None) -> Evaluation:
    if stats is None:
        return Evaluation(UNKNOWN, (_("Child units are counted for communes only."),))
    groups = (
        [(None, stats)]
        if rule.get("pooling", "all") == "all"
        else [
            (unit_type, stats.by_type.get(unit_type, ChildStats())) for unit_type in rule["types"]
        ]
    )
    reasons, result = [], PASS
    for unit_type, group in groups:
        prefix = f"{UnitType(unit_type).label}: " if unit_type else ""
        registered_min = rule.get("registered_min_percent")
        if registered_min is not None and not threshold_reached(
            group.registered, group.total, registered_min
        ):
            result = FAIL
        if registered_min is not None:
            reasons.append(
                prefix
                + _("%(count)s of %(total)s child units registered (needed: %(needed)s).")
                % {
                    "count": group.registered,
                    "total": group.total,
                    "needed": required_count(group.total, registered_min),
                }
            )
        recognised_min = rule["recognised_min_percent"]
        reached = threshold_reached(group.recognised, group.total, recognised_min)
        still_possible = threshold_reached(
            group.recognised + len(group.undecided), group.total, recognised_min
        )
        if not reached:
            result = FAIL if not still_possible else (UNKNOWN if result == PASS else result)
        reasons.append(
            prefix
            + _(
                "%(count)s of %(total)s child units recognised, %(needed)s needed: "
                "threshold %(state)s."
            )
            % {
                "count": group.recognised,
                "total": group.total,
                "needed": required_count(group.total, recognised_min),
                "state": _("reached") if reached else _("not reached"),
            }
        )
        if group.undecided:
            reasons.append(
                prefix
                + _("%(count)s child units are still undecided.") % {"count": len(group.undecided)}
            )
    return Evaluation(result, tuple(reasons))


def item_labels(parameters) -> list[str]:
    """The law's letter of each "no event" point ("a", "b", …); 1, 2, … where a set has none."""
    items = parameters.get("items", ())
    labels = parameters.get("item_labels") or []
    return [labels[n] if n < len(labels) else str(n + 1) for n in range(len(items))]


def _items(parameters, answer) -> Evaluation:
    """Each point answered; an event that occurred fails unless the law excuses it (and the unit
    explained why)."""
    given = (answer.items if answer is not None else {}) or {}
    excuses = (answer.excuses if answer is not None else {}) or {}
    labels = item_labels(parameters)
    states = {label: item_state(given.get(str(n))) for n, label in enumerate(labels, start=1)}
    occurred = [label for label, state in states.items() if state == ItemAnswer.OCCURRED]
    unanswered = [label for label, state in states.items() if state is None]
    excused = [
        (n, label) for n, label in enumerate(labels, start=1) if states[label] == ItemAnswer.EXCUSED
    ]
    reasons = [
        _("Point %(point)s occurred, excused by the unit: %(excuse)s")
        % {"point": label, "excuse": excuses.get(str(n)) or _("(no explanation given)")}
        for n, label in excused
    ]
    if occurred:
        return Evaluation(
            FAIL,
            (
                _("The unit declares events under point %(items)s.")
                % {"items": ", ".join(occurred)},
                *reasons,
            ),
        )
    if unanswered:
        return Evaluation(
            UNKNOWN,
            (
                _("Points %(items)s are not answered yet.") % {"items": ", ".join(unanswered)},
                *reasons,
            ),
        )
    if excused:
        return Evaluation(PASS, tuple(reasons))
    return Evaluation(
        PASS, (_("The unit declares none of the listed events; the reviewer confirms."),)
    )


def _models(minimum: int, answer) -> Evaluation:
    value = ((answer.figures if answer is not None else {}) or {}).get("models_effective")
    if value in (None, ""):
        return Evaluation(UNKNOWN, (_("The number of effective models is missing."),))
    result = PASS if int(value) >= minimum else FAIL
    return Evaluation(
        result,
        (
            _("%(count)s effective models of the movement (at least %(minimum)s needed).")
            % {"count": value, "minimum": minimum},
        ),
    )


def _force_rating(rule, answer) -> Evaluation:
    rating = answer.rating if answer is not None else ""
    if not rating:
        return Evaluation(UNKNOWN, (_("The rating of the force is not given."),))
    label = ForceRating(rating).label
    if rating == ForceRating.UNRATED:
        if rule.get("unrated_allowed"):
            return Evaluation(
                PASS, (_("Not rated (%(rating)s): the reviewer confirms.") % {"rating": label},)
            )
        return Evaluation(
            FAIL, (_("The force must be rated; the unit says: %(rating)s.") % {"rating": label},)
        )
    result = PASS if rating in rule["accepted"] else FAIL
    return Evaluation(result, (_("The force is rated: %(rating)s.") % {"rating": label},))


def _departments(rule, answer) -> Evaluation:
    """rated ≥ ceil(min_percent × total): 10 departments need 7 rated."""
    figures = (answer.figures if answer is not None else {}) or {}
    total, rated = figures.get("departments_total"), figures.get("departments_rated")
    if total in (None, "") or rated in (None, ""):
        return Evaluation(UNKNOWN, (_("The number of departments or of those rated is missing."),))
    total, rated = int(total), int(rated)
    if total == 0:
        return Evaluation(UNKNOWN, (_("The unit has no departments; the reviewer judges."),))
    needed = required_count(total, rule["min_percent"])
    return Evaluation(
        PASS if rated >= needed else FAIL,
        (
            _("%(rated)s of %(total)s departments (%(units)s) rated, %(needed)s needed.")
            % {"rated": rated, "total": total, "units": rule.get("units", ""), "needed": needed},
        ),
    )


def _no_discipline(scope: str, answer) -> Evaluation:
    disciplined = answer.disciplined if answer is not None else None
    if disciplined is None:
        return Evaluation(UNKNOWN, (_("Whether anyone was disciplined is not answered."),))
    if scope == "warning":
        text = (
            _("Someone was disciplined at “cảnh cáo” or above.")
            if disciplined
            else _("Nobody was disciplined at “cảnh cáo” or above.")
        )
    else:
        text = _("Someone was disciplined.") if disciplined else _("Nobody was disciplined.")
    return Evaluation(FAIL if disciplined else PASS, (text,))


def _year_on_year(figures, answer) -> Evaluation:
    values = (answer.figures if answer is not None else {}) or {}
    reasons, result = [], PASS
    for name in figures:
        this_year, last_year = values.get(name), values.get(f"{name}_last_year")
        if this_year in (None, "") or last_year in (None, ""):
            result = UNKNOWN if result == PASS else result
            reasons.append(
                _("%(figure)s: this year's or last year's figure is missing.")
                % {"figure": FIGURE_LABELS.get(name, name)}
            )
            continue
        change = int(this_year) - int(last_year)
        figures_of = {
            "figure": FIGURE_LABELS.get(name, name),
            "this": this_year,
            "last": last_year,
            "change": abs(change),
        }
        if change > 0:
            result = FAIL
            text = _("%(figure)s: %(this)s this year, %(last)s last year, up %(change)s → not met.")
        elif change < 0:
            text = _("%(figure)s: %(this)s this year, %(last)s last year, down %(change)s → met.")
        else:
            text = _("%(figure)s: %(this)s this year, %(last)s last year, no increase → met.")
        reasons.append(text % figures_of)
    return Evaluation(result, tuple(reasons))
