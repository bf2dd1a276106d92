"""Units that strive for the standard, where they are, and how they moved or succeeded."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from units.choices import ManagingLevel, UnitType
from units.jurisdiction import jurisdiction_of
from units.models.areas import Area
from units.models.labels import ChoiceLabels
from units.search import SearchText


class ResidentialSubtype(models.TextChoices):
    THON = "thon", "Thôn"
    XOM = "xom", "Xóm"
    LANG = "lang", "Làng"
    BAN = "ban", "Bản"
    AP = "ap", "Ấp"
    BUON = "buon", "Buôn"
    PHUM = "phum", "Phum"
    SOC = "soc", "Sóc"
    KHOM = "khom", "Khóm"
    TO_DAN_PHO = "to_dan_pho", "Tổ dân phố"
    KHU_PHO = "khu_pho", "Khu phố"


class EnterpriseSize(models.TextChoices):
    MICRO = "micro", _("micro")
    SMALL = "small", _("small")
    MEDIUM = "medium", _("medium")
    LARGE = "large", _("large")


class SchoolLevel(models.TextChoices):
    PRESCHOOL = "preschool", _("preschool")
    PRIMARY = "primary", _("primary school")
    LOWER_SECONDARY = "lower_secondary", _("lower-secondary school")
    UPPER_SECONDARY = "upper_secondary", _("upper-secondary school")
    MULTI_LEVEL = "multi_level", _("multi-level school")
    CONTINUING = "continuing", _("continuing-education centre")
    VOCATIONAL = "vocational", _("vocational school")
    HIGHER = "higher", _("college or university")


class UnitQuerySet(models.QuerySet):
    def visible_to(self, user, roles=None) -> UnitQuerySet:
        """The one place that decides which units a user sees (see units.jurisdiction).

        With `roles`, only the scopes of those roles count (e.g. the units a user reviews).
        """
        scope = jurisdiction_of(user)
        if scope.sees_everything:
            return self
        condition = scope.unit_condition(roles=roles)
        return self.filter(condition) if condition else self.none()

    def in_charge_of(self, user) -> UnitQuerySet:
        """Units whose dossiers this user reviews first (reviewer scope at the managing level)."""
        condition = jurisdiction_of(user).in_charge_condition()
        return self.filter(condition) if condition else self.none()

    def area_id_held(self, unit_id: int) -> int:
        """The unit's area, its row locked until the transaction ends: what a new row storing
        the unit's area copies, so a concurrent services.move_unit cannot leave it behind."""
        return self.select_for_update(no_key=True).values_list("area_id", flat=True).get(pk=unit_id)

    def within(self, area: Area) -> UnitQuerySet:
        """Units in area or anywhere below it: one join on the indexed area path."""
        return self.filter(area__path__startswith=area.path)

    def with_path_on(self, on: datetime.date) -> UnitQuerySet:
        """Annotates `path_on`: the path of the unit's area on that day, read back through its
        UnitAreaChange history (the area it left in the first move after that day)."""
        later_moves = UnitAreaChange.objects.filter(
            unit=OuterRef("pk"), changed_on__gt=on
        ).order_by("changed_on", "pk")
        return self.annotate(
            path_on=Coalesce(Subquery(later_moves.values("old_area__path")[:1]), F("area__path"))
        )

    def within_on(self, path: str, on: datetime.date) -> UnitQuerySet:
        """Units that were in the area with this path, or below it, on that day (the area tree as
        it stood then: a unit moved in by a later merge is not counted, one moved out is).

        Only the units under the area now, or moved out of it since, are candidates: the path on
        that day is then computed for them, not for every unit of the country.
        """
        moved_out = UnitAreaChange.objects.filter(
            changed_on__gt=on, old_area__path__startswith=path
        ).values("unit_id")
        under = Unit.objects.filter(area__path__startswith=path).values("pk")
        # One UNION of keys, not "area IN (...) OR pk IN (...)": an OR of two semi-joins is
        # planned as a scan of every unit of the country.
        candidates = self.filter(pk__in=under.order_by().union(moved_out.order_by()))
        return candidates.with_path_on(on).filter(path_on__startswith=path)

    def active(self, on: datetime.date) -> UnitQuerySet:
        return self.filter(Q(active_from__isnull=True) | Q(active_from__lte=on)).filter(
            Q(active_to__isnull=True) | Q(active_to__gt=on)
        )

    def inactive(self, on: datetime.date) -> UnitQuerySet:
        return self.filter(Q(active_from__gt=on) | Q(active_to__lte=on))

    def undated(self) -> UnitQuerySet:
        """Units without a first or last day: active on every day (what `UnitCount` counts)."""
        return self.filter(active_from__isnull=True, active_to__isnull=True)

    def dated(self) -> UnitQuerySet:
        """The few units with a first or a last day (read through the partial index)."""
        return self.filter(Q(active_from__isnull=False) | Q(active_to__isnull=False))

    def by_type(self) -> dict[str, int]:
        return dict(self.order_by().values_list("unit_type").annotate(n=Count("pk")))


class Unit(ChoiceLabels):
    """A body that can be recognised: residential area, commune, agency, enterprise or school."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=255)
    # The name without accents, in lower case, kept by the database on every write: what the
    # searches compare with (units.search), without calling unaccent on each row read.
    search_name = models.GeneratedField(
        expression=SearchText("name"),
        output_field=models.CharField(max_length=255),
        db_persist=True,
    )
    unit_type = models.CharField(_("unit type"), max_length=30, choices=UnitType.choices)
    residential_subtype = models.CharField(
        _("residential area type"), max_length=20, choices=ResidentialSubtype.choices, blank=True
    )
    enterprise_size = models.CharField(
        _("enterprise size"), max_length=10, choices=EnterpriseSize.choices, blank=True
    )
    school_level = models.CharField(
        _("school level"), max_length=20, choices=SchoolLevel.choices, blank=True
    )
    is_armed_forces = models.BooleanField(
        _("armed-forces unit"),
        default=False,
        help_text=_("Agencies of the army or police are excluded from Circular 124/2021."),
    )
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="units"
    )
    managing_level = models.CharField(
        _("managed and recognised by"), max_length=10, choices=ManagingLevel.choices
    )
    delegated_one_level_down = models.BooleanField(
        _("recognition delegated one level down"),
        default=False,
        help_text=_(
            "Art. 10.5 of Circular 124: the provincial People's Committee has delegated the review "
            "and recognition of this body to the commune's People's Committee."
        ),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    active_from = models.DateField(_("active from"), null=True, blank=True)
    active_to = models.DateField(
        _("active until"),
        null=True,
        blank=True,
        help_text=_("The first day the unit no longer takes part."),
    )
    history = HistoricalRecords(excluded_fields=["search_name"])

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name", "code"]
        indexes = [
            # The unit list filters by type inside a jurisdiction.
            models.Index(fields=["unit_type", "area"], name="unit_type_area_idx"),
            # The list's and the admin's order (name, code) read from an index, not sorted.
            models.Index(fields=["name", "code"], name="unit_name_code_idx"),
            # ... and within one type (the admin's type filter): a page of schools is the first
            # rows of this index, not a walk of the name index skipping every other type.
            models.Index(fields=["unit_type", "name", "code"], name="unit_type_name_code_idx"),
            # The units a level is in charge of within areas (a People's Committee's decisions,
            # a reviewer's registrations): per area, the managing level, never every unit.
            models.Index(
                fields=["area", "managing_level", "delegated_one_level_down"],
                name="unit_area_managing_idx",
            ),
            # The home page's figures add the few units with dates to the counters (`UnitCount`).
            models.Index(
                fields=["area"],
                name="unit_dated_area_idx",
                condition=Q(active_from__isnull=False) | Q(active_to__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="unit_subtype_matches_type",
                condition=(
                    (Q(unit_type=UnitType.RESIDENTIAL_AREA) | Q(residential_subtype=""))
                    & (Q(unit_type=UnitType.ENTERPRISE) | Q(enterprise_size=""))
                    & (Q(unit_type=UnitType.SCHOOL) | Q(school_level=""))
                    & (Q(unit_type=UnitType.AGENCY) | Q(is_armed_forces=False))
                ),
            ),
            models.CheckConstraint(
                name="unit_active_dates_ordered",
                condition=Q(active_from__isnull=True)
                | Q(active_to__isnull=True)
                | Q(active_to__gt=models.F("active_from")),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("units:unit-detail", args=[self.pk])

    def is_active(self, on: datetime.date) -> bool:
        started = self.active_from is None or self.active_from <= on
        return started and (self.active_to is None or self.active_to > on)

    def counter_key(self) -> tuple[int, str] | None:
        """The `UnitCount` row this unit counts in: none for a unit with dates."""
        if self.active_from is None and self.active_to is None:
            return (self.area_id, self.unit_type)
        return None

    @property
    def subtype_display(self) -> str:
        """The detail that matters for this type: hamlet kind, enterprise size or school level."""
        if self.unit_type == UnitType.RESIDENTIAL_AREA:
            return self.get_residential_subtype_display()
        if self.unit_type == UnitType.ENTERPRISE:
            return self.get_enterprise_size_display()
        if self.unit_type == UnitType.SCHOOL:
            return self.get_school_level_display()
        if self.unit_type == UnitType.AGENCY and self.is_armed_forces:
            return gettext("armed forces")
        return ""

    def circular_124_exclusion(self) -> str:
        """Why Circular 124/2021 excludes this unit, or "" when it may take part."""
        if self.unit_type == UnitType.AGENCY and self.is_armed_forces:
            return gettext("Circular 124/2021 excludes armed-forces agencies.")
        if self.unit_type == UnitType.ENTERPRISE and self.enterprise_size in (
            EnterpriseSize.MICRO,
            EnterpriseSize.SMALL,
        ):
            return gettext("Circular 124/2021 excludes small and micro enterprises.")
        if self.unit_type == UnitType.SCHOOL and self.school_level in (
            SchoolLevel.PRESCHOOL,
            SchoolLevel.PRIMARY,
        ):
            return gettext("Circular 124/2021 excludes primary schools and preschools.")
        return ""

    def area_on(self, day: datetime.date) -> Area:
        """The area the unit belonged to on a given day, read from its recorded moves."""
        later_move = (
            self.area_changes.filter(changed_on__gt=day)
            .select_related("old_area")
            .order_by("changed_on", "pk")
            .first()
        )
        return later_move.old_area if later_move else self.area


class UnitAreaChange(models.Model):
    """A unit moved from one area to another (a merge or a correction); the unit itself stays."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="area_changes"
    )
    old_area = models.ForeignKey(
        Area, verbose_name=_("from area"), on_delete=models.PROTECT, related_name="+"
    )
    new_area = models.ForeignKey(
        Area, verbose_name=_("to area"), on_delete=models.PROTECT, related_name="+"
    )
    changed_on = models.DateField(_("effective on"))
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("unit area change")
        verbose_name_plural = _("unit area changes")
        ordering = ["unit", "changed_on", "pk"]

    def __str__(self):
        return f"{self.unit}: {self.old_area} → {self.new_area} ({self.changed_on:%d/%m/%Y})"


class UnitSuccession(models.Model):
    """A residential area absorbed into another (the re-arrangement of ấp, khóm, khu phố and tổ
    dân phố): the successor carries the absorbed unit's years forward (see
    certification.services.history for the consecutive-years rule)."""

    successor = models.ForeignKey(
        Unit,
        verbose_name=_("successor"),
        on_delete=models.PROTECT,
        related_name="predecessor_links",
    )
    predecessor = models.OneToOneField(
        Unit,
        verbose_name=_("absorbed unit"),
        on_delete=models.PROTECT,
        related_name="successor_link",
        help_text=_("A unit is absorbed once: it has at most one successor."),
    )
    merged_on = models.DateField(_("merged on"))
    reason = models.TextField(_("reason"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("unit succession")
        verbose_name_plural = _("unit successions")
        ordering = ["successor", "merged_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="unit_succession_not_itself",
                condition=~Q(successor=F("predecessor")),
            ),
        ]

    def __str__(self):
        return f"{self.predecessor} → {self.successor} ({self.merged_on:%d/%m/%Y})"
