"""The unit counters behind the home page's unit figures: after every write of a unit (created,
retyped, moved, given dates, absorbed, merged away) the figures equal a fresh count of the units
active that day, and `recount_status --check` agrees with what the counters hold."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.factories import UnitFactory
from units import services
from units.models import Role, Unit, UnitCount, UnitType
from units.views import counts_by_type

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def figures(user, on, area=None) -> dict[str, int]:
    """The home page's figures, by type value (zeros left out)."""
    labels = {label: value for value, label in UnitType.choices}
    return {labels[label]: n for label, n in counts_by_type(user, on, area) if n}


def fresh(units, on) -> dict[str, int]:
    return {kind: n for kind, n in units.active(on).by_type().items() if n}


def assert_figures_are_right(world, on=None):
    on = on or timezone.localdate()
    admin, province = world.users.administrator, world.users.reviewer_province
    assert figures(admin, on) == fresh(Unit.objects.all(), on)
    for area in (world.vinh_long, world.phuong_1, world.xa_2, world.ben_tre):
        assert figures(admin, on, area) == fresh(Unit.objects.within(area), on), area
    assert figures(province, on) == fresh(Unit.objects.within(world.vinh_long), on)
    assert UnitCount.objects.differences() == []
    call_command("recount_status", "--check")


def test_a_unit_created_retyped_and_moved_counts_where_it_is_now(world):
    today = timezone.localdate()
    assert_figures_are_right(world)

    school = UnitFactory(area=world.xa_2, unit_type=UnitType.SCHOOL, residential_subtype="")
    assert figures(world.users.administrator, today, world.xa_2)[UnitType.SCHOOL] == 1
    assert_figures_are_right(world)

    school.unit_type, school.residential_subtype = UnitType.AGENCY, ""
    services.save_unit(school, by=world.users.administrator)
    assert UnitType.SCHOOL not in figures(world.users.administrator, today, world.xa_2)
    assert_figures_are_right(world)

    services.move_unit(school, world.xa_3, on=today, reason="Sửa địa bàn", by=None)
    assert figures(world.users.administrator, today, world.xa_3)[UnitType.AGENCY] == 1
    assert_figures_are_right(world)


def test_units_with_dates_count_only_on_the_days_they_take_part(world):
    today = timezone.localdate()
    later = UnitFactory(area=world.phuong_1, active_from=today + DAY)
    ended = UnitFactory(area=world.phuong_1, active_to=today)
    current = UnitFactory(area=world.phuong_1, active_from=today - DAY, active_to=today + DAY)
    residential = UnitType.RESIDENTIAL_AREA

    # Khóm 1, and the unit taking part from yesterday to tomorrow.
    assert figures(world.users.administrator, today, world.phuong_1)[residential] == 2
    assert figures(world.users.administrator, today + DAY, world.phuong_1)[residential] == 2
    assert figures(world.users.administrator, today - DAY, world.phuong_1)[residential] == 3
    for day in (today - DAY, today, today + DAY):
        assert_figures_are_right(world, day)
    assert {later.pk, ended.pk, current.pk}.isdisjoint(
        Unit.objects.filter(pk__in=[later.pk, ended.pk, current.pk]).undated()
    )

    # Dates removed: the unit counts in the counters again.
    later.active_from = None
    services.save_unit(later, by=None)
    assert figures(world.users.administrator, today, world.phuong_1)[residential] == 3
    assert_figures_are_right(world)


def test_a_unit_ended_by_an_edit_a_succession_or_a_merge_stops_counting(world):
    today = timezone.localdate()
    khom_1 = Unit.objects.get(pk=world.khom_1.pk)
    khom_1.active_to = today
    services.save_unit(khom_1, by=None)
    assert_figures_are_right(world)

    successor = UnitFactory(area=world.xa_2)
    services.record_succession(
        successor, [world.ap_2], on=today, reason="Sáp nhập ấp", by=world.users.administrator
    )
    assert_figures_are_right(world)

    commune = UnitFactory(
        area=world.xa_2, unit_type=UnitType.COMMUNE, residential_subtype="", name="UBND xã"
    )
    services.merge_area(world.xa_2, world.phuong_1, on=today, reason="Nghị quyết sáp nhập", by=None)
    commune.refresh_from_db()
    assert commune.active_to == today
    assert_figures_are_right(world)


def test_recount_status_checks_and_rebuilds_the_unit_counters(world):
    # Written straight to the table, past the services: the figures are wrong until a recount.
    Unit.objects.filter(pk=world.khom_1.pk).update(
        unit_type=UnitType.AGENCY, residential_subtype=""
    )

    with pytest.raises(CommandError, match="2 unit counters differ"):
        call_command("recount_status", "--check")

    call_command("recount_status")

    assert_figures_are_right(world)


def test_a_representative_with_an_area_role_sees_their_own_unit_outside_the_area_too(world):
    today = timezone.localdate()
    observer = world.users.observer_ben_tre
    services.grant_role(observer, Role.UNIT_REPRESENTATIVE, unit=world.khom_1, by=None)

    seen = figures(observer, today)

    assert seen == fresh(Unit.objects.visible_to(observer), today)
    assert seen[UnitType.RESIDENTIAL_AREA] == 2  # Ấp Tân Hưng in Bến Tre, Khóm 1 outside it
