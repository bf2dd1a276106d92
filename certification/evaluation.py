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
    Registration,
    RegistrationStatus,
    ResultValue,
    YearlyResult,
)
from units.models import ManagingLevel, Unit, UnitType

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"

FIGURE_LABELS = {
    "crimes": gettext_lazy("crimes"),
    "social_evils": gettext_lazy("social evils"),
    "violations": gettext_lazy("other violations"),
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


FILED = (RegistrationStatus.SUBMITTED, RegistrationStatus.ACKNOWLEDGED, RegistrationStatus.RETURNED)


def child_unit_stats(commune: Unit, cycle, *, today: datetime.date, types=None) -> ChildStats:
    """Counts the bodies the commune manages, in three queries whatever their number."""
    children = list(
        Unit.objects.within(commune.area)
        .active(today)
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
        outcomes.append(_items(parameters["items"], answer))
    if "figures" in parameters:
        outcomes.append(_year_on_year(parameters["figures"], answer))
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
        reasons.append(
            _("%(part)s of %(whole)s (%(percent)s%%; needed %(needed)s%%).")
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


def _items(items, answer) -> Evaluation:
    given = (answer.items if answer is not None else {}) or {}
    unanswered = [n for n in range(1, len(items) + 1) if str(n) not in given]
    occurred = [n for n in range(1, len(items) + 1) if given.get(str(n)) is False]
    if occurred:
        return Evaluation(
            FAIL,
            (
                _("The unit declares events of kind %(items)s.")
                % {"items": ", ".join(str(n) for n in occurred)},
            ),
        )
    if unanswered:
        return Evaluation(
            UNKNOWN,
            (
                _("Items %(items)s are not answered yet.")
                % {"items": ", ".join(map(str, unanswered))},
            ),
        )
    return Evaluation(
        PASS, (_("The unit declares none of the listed events; the reviewer confirms."),)
    )


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
        if int(this_year) > int(last_year):
            result = FAIL
        reasons.append(
            _("%(figure)s: %(this)s this year, %(last)s last year.")
            % {"figure": FIGURE_LABELS.get(name, name), "this": this_year, "last": last_year}
        )
    return Evaluation(result, tuple(reasons))
