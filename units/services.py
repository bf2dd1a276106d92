"""Every write to areas, units and roles goes through these functions."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from units.jurisdiction import forget_jurisdiction, level_in_charge_of
from units.models import (
    Area,
    AreaLevel,
    Role,
    RoleAssignment,
    Unit,
    UnitAreaChange,
    UnitCount,
    UnitSuccession,
    UnitType,
    User,
)
from units.signals import unit_level_changed, unit_moved

LEVEL_RANK = {AreaLevel.PROVINCE: 0, AreaLevel.DISTRICT: 1, AreaLevel.COMMUNE: 2}


def _stamp_history(instance, *, by: User | None, reason: str = "") -> None:
    """Tell django-simple-history who made the next save and why."""
    instance._history_user = by
    instance._change_reason = reason[:100]


def create_area(
    *,
    parent: Area | None,
    code: str,
    name: str,
    level: str,
    kind: str,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
    by: User | None,
) -> Area:
    """Adds an area under a parent of a higher level (or a province as a root); codes are unique."""
    area = Area(
        code=code, name=name, level=level, kind=kind, valid_from=valid_from, valid_to=valid_to
    )
    area.full_clean(exclude=["path", "depth", "numchild"])
    if parent is None and level != AreaLevel.PROVINCE:
        raise ValidationError({"parent": _("Only a province can stand without a parent area.")})
    if parent is not None and LEVEL_RANK[parent.level] >= LEVEL_RANK[level]:
        raise ValidationError(
            {
                "parent": _(
                    "A %(level)s area cannot lie under the %(parent_level)s area “%(parent)s”."
                )
                % {
                    "level": area.get_level_display(),
                    "parent_level": parent.get_level_display(),
                    "parent": parent.name,
                }
            }
        )
    _stamp_history(area, by=by, reason=_("Created"))
    if parent is None:
        return Area.objects.add_root(instance=area)
    return Area.objects.add_child(parent, instance=area)


@transaction.atomic
def save_unit(unit: Unit, *, by: User | None, reason: str = "") -> Unit:
    """Creates or changes a unit (its type, its dates, any detail), keeping the unit counters
    (`UnitCount`) in the same transaction, and signalling a change of the level in charge (what
    other apps count per level follows). A change of area goes through `move_unit`, which
    records it."""
    stored = None
    if not unit._state.adding:
        stored = Unit.objects.select_for_update().filter(pk=unit.pk).first()
    _stamp_history(unit, by=by, reason=reason)
    unit.save(force_insert=stored is None)
    UnitCount.objects.move(stored.counter_key() if stored else None, unit.counter_key())
    if stored is not None and level_in_charge_of(stored) != level_in_charge_of(unit):
        unit_level_changed.send(Unit, unit=unit, old_level=level_in_charge_of(stored))
    return unit


@transaction.atomic
def move_unit(
    unit: Unit, new_area: Area, *, on: datetime.date, reason: str, by: User | None
) -> Unit:
    """Moves a unit to another area, recording where it was; the unit keeps its identity.

    Sends `unit_moved` in the transaction, so what other apps count per area moves with it.
    """
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.area_id == new_area.pk:
        return unit
    UnitAreaChange.objects.create(
        unit=unit,
        old_area_id=unit.area_id,
        new_area=new_area,
        changed_on=on,
        reason=reason,
        changed_by=by,
    )
    old_area_id, counted = unit.area_id, unit.counter_key()
    unit.area = new_area
    _stamp_history(unit, by=by, reason=reason)
    unit.save(update_fields=["area"])
    UnitCount.objects.move(counted, unit.counter_key())
    unit_moved.send(Unit, unit=unit, old_area_id=old_area_id, new_area_id=new_area.pk)
    return unit


@transaction.atomic
def merge_area(
    source: Area, into: Area, *, on: datetime.date, reason: str, by: User | None
) -> Area:
    """Merges source into another area from a date on (the 2025 reform).

    The source area is kept, closed on that date and marked as merged; its child areas and its units
    move to the target, and every unit's move is recorded, so units keep their identity and their
    history under the old area.
    """
    source = Area.objects.select_for_update().get(pk=source.pk)
    into = Area.objects.get(pk=into.pk)
    _check_merge(source, into, on=on)
    if not reason.strip():
        raise ValidationError(_("Give the reason for the merge (for example the resolution)."))

    for child_pk in list(Area.objects.get_children(source).values_list("pk", flat=True)):
        # Fresh rows each time: paths shift as siblings move.
        Area.objects.move(Area.objects.get(pk=child_pk), Area.objects.get(pk=into.pk), "last-child")

    for unit in Unit.objects.filter(area=source).order_by("pk"):
        move_unit(unit, into, on=on, reason=reason, by=by)
        if unit.unit_type == UnitType.COMMUNE and unit.is_active(on):
            # The merged commune's own unit ends with its commune; its past results stay with it.
            _end_unit(Unit.objects.get(pk=unit.pk), on=on, reason=reason, by=by)

    source = Area.objects.get(pk=source.pk)
    source.valid_to = on
    source.merged_into = into
    _stamp_history(source, by=by, reason=reason)
    source.save(update_fields=["valid_to", "merged_into"])
    return source


def _check_merge(source: Area, into: Area, *, on: datetime.date) -> None:
    if source.pk == into.pk:
        raise ValidationError(_("An area cannot be merged into itself."))
    if into.path.startswith(source.path):
        raise ValidationError(
            _("“%(into)s” lies inside “%(source)s”; merge into an area outside it.")
            % {"into": into.name, "source": source.name}
        )
    if source.merged_into_id is not None:
        raise ValidationError(
            _("“%(source)s” was already merged into “%(into)s” on %(date)s.")
            % {
                "source": source.name,
                "into": source.merged_into.name,
                "date": date_format(source.valid_to, "SHORT_DATE_FORMAT")
                if source.valid_to
                else "?",
            }
        )
    if not into.is_current(on):
        raise ValidationError(
            _("“%(into)s” does not exist on %(date)s.")
            % {"into": into.name, "date": date_format(on, "SHORT_DATE_FORMAT")}
        )
    if LEVEL_RANK[into.level] > LEVEL_RANK[source.level]:
        raise ValidationError(
            _("A %(source_level)s area cannot be merged into a %(into_level)s area.")
            % {
                "source_level": source.get_level_display(),
                "into_level": into.get_level_display(),
            }
        )


@transaction.atomic
def record_succession(
    successor: Unit,
    predecessors: list[Unit],
    *,
    on: datetime.date,
    reason: str,
    by: User | None,
) -> list[UnitSuccession]:
    """Records residential areas absorbed into a successor from a date on: each absorbed unit
    stops taking part that day and keeps its own results; refused for a unit already absorbed,
    for a circle, or for anything but residential areas."""
    links = []
    for predecessor in Unit.objects.select_for_update().filter(pk__in=[p.pk for p in predecessors]):
        check_succession(successor, predecessor, on=on, reason=reason)
        links.append(
            UnitSuccession.objects.create(
                successor=successor,
                predecessor=predecessor,
                merged_on=on,
                reason=reason,
                recorded_by=by,
            )
        )
        if predecessor.active_to is None or predecessor.active_to > on:
            _end_unit(predecessor, on=on, reason=reason, by=by)
    return links


def _end_unit(unit: Unit, *, on: datetime.date, reason: str, by: User | None) -> None:
    """The unit (locked by the caller) stops taking part on that day: it now has a date, so the
    unit counters no longer count it (the home page counts it on the days it is active)."""
    counted = unit.counter_key()
    unit.active_to = on
    _stamp_history(unit, by=by, reason=reason)
    unit.save(update_fields=["active_to"])
    UnitCount.objects.move(counted, unit.counter_key())


def check_succession(successor: Unit, predecessor: Unit, *, on: datetime.date, reason: str) -> None:
    """Raises a ValidationError in Vietnamese when predecessor cannot be merged into successor."""
    if not reason.strip():
        raise ValidationError(_("Give the reason for the merge (for example the resolution)."))
    if successor.unit_type != UnitType.RESIDENTIAL_AREA:
        raise ValidationError(_("Only residential areas are recorded as successors."))
    if predecessor.pk == successor.pk:
        raise ValidationError(_("A unit cannot succeed itself."))
    if predecessor.unit_type != UnitType.RESIDENTIAL_AREA:
        raise ValidationError(
            _("“%(unit)s” is not a residential area.") % {"unit": predecessor.name}
        )
    existing = (
        UnitSuccession.objects.filter(predecessor=predecessor).select_related("successor").first()
    )
    if existing is not None:
        raise ValidationError(
            _("“%(unit)s” was already merged into “%(successor)s” on %(date)s.")
            % {
                "unit": predecessor.name,
                "successor": existing.successor.name,
                "date": date_format(existing.merged_on, "SHORT_DATE_FORMAT"),
            }
        )
    # Walk the successor's own line upwards: meeting the predecessor there would close a circle.
    unit = successor
    while (link := UnitSuccession.objects.filter(predecessor=unit).first()) is not None:
        if link.successor_id == predecessor.pk:
            raise ValidationError(
                _(
                    "“%(unit)s” was itself merged into “%(successor)s”; a lineage cannot turn "
                    "in a circle."
                )
                % {"unit": successor.name, "successor": predecessor.name}
            )
        unit = link.successor
    if not successor.is_active(on):
        raise ValidationError(
            _("“%(unit)s” does not take part on %(date)s.")
            % {"unit": successor.name, "date": date_format(on, "SHORT_DATE_FORMAT")}
        )


def grant_role(
    user: User,
    role: str,
    *,
    area: Area | None = None,
    unit: Unit | None = None,
    by: User | None,
) -> RoleAssignment:
    """Gives a user a role for a scope; idempotent (granting twice keeps one row)."""
    assignment = RoleAssignment(user=user, role=role, area=area, unit=unit)
    assignment.clean()
    existing = RoleAssignment.objects.filter(user=user, role=role, area=area, unit=unit).first()
    if existing:
        return existing
    _stamp_history(assignment, by=by, reason=_("Role granted"))
    assignment.save()
    if role == Role.ADMINISTRATOR and not (user.is_staff and user.is_superuser):
        # Administrators maintain the data in the Django admin.
        user.is_staff = True
        user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    forget_jurisdiction(user)
    return assignment


def revoke_role(assignment: RoleAssignment, *, by: User | None, reason: str) -> None:
    """Removes one role of a user, recording who removed it and why."""
    user = assignment.user
    _stamp_history(assignment, by=by, reason=reason)
    assignment.delete()
    if assignment.role == Role.ADMINISTRATOR:
        user.is_staff = False
        user.is_superuser = False
        user.save(update_fields=["is_staff", "is_superuser"])
    forget_jurisdiction(user)
