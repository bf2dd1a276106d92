"""Areas, units, people and their roles: who exists, where, and who may see what."""

from __future__ import annotations

import datetime
import functools

from django.contrib.auth.models import AbstractUser
from django.db import connection, models, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from units.choices import AREA_ROLES, AreaLevel, ManagingLevel, Role, UnitType
from units.jurisdiction import jurisdiction_of
from units.search import SearchText


@functools.cache
def _choice_labels(field) -> dict:
    # The labels stay lazy: each request reads them in its own language.
    return dict(make_hashable(field.flatchoices))


class ChoiceLabels(models.Model):
    """A model whose get_FOO_display() looks the label up in a table made once per field.

    Django's own rebuilds the field's choices at every call and hashes every label, a lazy
    translation translated to be hashed: about 30 µs a call, paid for each status or type
    shown in each row of a list (issue 10). The same result, for fields whose choices are fixed
    (TextChoices), as every choice field of the portal's models is.
    tests/test_choice_labels.py keeps every such model on it.
    """

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        label = _choice_labels(field).get(make_hashable(value), value)
        return force_str(label, strings_only=True)


class User(AbstractUser):
    """A person who logs in; what they may do comes from their RoleAssignment rows."""

    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        full_name = self.get_full_name()
        return f"{full_name} ({self.username})" if full_name else self.username

    def get_full_name(self):
        """Vietnamese order: family name first ("Trần Minh Tuấn")."""
        return f"{self.last_name} {self.first_name}".strip()


# --- Areas -------------------------------------------------------------------------------------


class AreaKind(models.TextChoices):
    """The official subtype of an administrative area; each belongs to one level."""

    TINH = "tinh", _("province (tỉnh)")
    THANH_PHO_TRUC_THUOC_TW = "thanh_pho_tw", _("centrally-governed city")
    HUYEN = "huyen", _("rural district (huyện)")
    QUAN = "quan", _("urban district (quận)")
    THI_XA = "thi_xa", _("district-level town (thị xã)")
    THANH_PHO_THUOC_TINH = "thanh_pho_thuoc_tinh", _("provincial city")
    XA = "xa", _("commune (xã)")
    PHUONG = "phuong", _("ward (phường)")
    THI_TRAN = "thi_tran", _("township (thị trấn)")
    DAC_KHU = "dac_khu", _("special zone (đặc khu)")


KINDS_BY_LEVEL = {
    AreaLevel.PROVINCE: (AreaKind.TINH, AreaKind.THANH_PHO_TRUC_THUOC_TW),
    AreaLevel.DISTRICT: (
        AreaKind.HUYEN,
        AreaKind.QUAN,
        AreaKind.THI_XA,
        AreaKind.THANH_PHO_THUOC_TINH,
    ),
    AreaLevel.COMMUNE: (AreaKind.XA, AreaKind.PHUONG, AreaKind.THI_TRAN, AreaKind.DAC_KHU),
}
LEVEL_OF_KIND = {kind: level for level, kinds in KINDS_BY_LEVEL.items() for kind in kinds}


class AreaQuerySet(MP_NodeQuerySet):
    def visible_to(self, user, roles=None) -> AreaQuerySet:
        """The areas a user may see: the subtrees of their scopes and the areas of their units.

        With `roles`, only the scopes of those roles count; the areas of the user's units count
        only when the unit representative's role is among them.
        """
        scope = jurisdiction_of(user)
        if scope.sees_everything:
            return self
        condition = scope.area_condition("path", roles=roles)
        if scope.unit_ids and (roles is None or Role.UNIT_REPRESENTATIVE in roles):
            condition |= Q(pk__in=Unit.objects.filter(pk__in=scope.unit_ids).values("area_id"))
        if ministry := scope.ministry_condition(roles=roles):
            condition |= Q(pk__in=Unit.objects.filter(ministry).values("area_id"))
        if not condition:
            return self.none()
        return self.filter(condition)

    def within(self, area: Area) -> AreaQuerySet:
        """Area and everything below it, in one query on the indexed materialized path."""
        return self.filter(path__startswith=area.path)

    def current(self, on: datetime.date) -> AreaQuerySet:
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=on)
        )


class AreaManager(MP_NodeManager.from_queryset(AreaQuerySet)):
    def get_queryset(self) -> AreaQuerySet:
        # treebeard's manager builds its own queryset class; keep ours so the methods above exist.
        return AreaQuerySet(self.model, using=self._db).order_by("path")


class Area(MP_Node, ChoiceLabels):
    """An administrative area (province, district, commune) in a tree of any depth.

    The tree is a materialized path (django-treebeard): `path` is unique and indexed, so "everything
    under X" is a single `path LIKE 'X%'` query at any depth.
    """

    code = models.CharField(
        _("official code"),
        max_length=20,
        unique=True,
        help_text=_("The code in the national list of administrative units."),
    )
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=20, choices=AreaLevel.choices)
    kind = models.CharField(_("type"), max_length=30, choices=AreaKind.choices)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("The first day the area no longer exists (for example after a merge)."),
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_areas",
    )
    history = HistoricalRecords(excluded_fields=["path", "depth", "numchild"])

    objects = AreaManager()

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                name="area_kind_matches_level",
                condition=Q(
                    *[
                        Q(level=level, kind__in=[k.value for k in kinds])
                        for level, kinds in KINDS_BY_LEVEL.items()
                    ],
                    _connector=Q.OR,
                ),
            ),
            models.CheckConstraint(
                name="area_valid_dates_ordered",
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gt=models.F("valid_from")),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("units:unit-list") + f"?area={self.pk}"

    def is_current(self, on: datetime.date) -> bool:
        started = self.valid_from is None or self.valid_from <= on
        return started and (self.valid_to is None or self.valid_to > on)

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.kind and self.level and LEVEL_OF_KIND.get(self.kind) != self.level:
            raise ValidationError(
                {
                    "kind": gettext("Type “%(kind)s” does not belong to the level “%(level)s”.")
                    % {"kind": self.get_kind_display(), "level": self.get_level_display()}
                }
            )


# --- Units -------------------------------------------------------------------------------------


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
        User, verbose_name=_("changed by"), null=True, on_delete=models.SET_NULL, related_name="+"
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
        User, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
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


# --- Counters ------------------------------------------------------------------------------------


class CounterQuerySet(models.QuerySet):
    """Rows that count something per key (`key_columns`) in a column `n`, changed by deltas in
    the transaction of what they count and rebuilt from the tables by `recount`."""

    key_columns: tuple[str, ...] = ()

    def counted(self) -> dict[tuple, int]:
        """What the counters should hold: a fresh count from the tables."""
        raise NotImplementedError

    def change(self, deltas) -> None:
        """Adds each delta to its counter row, creating it at need, in one statement.

        Rows are written in key order, so two transactions never wait on each other's rows
        in opposite orders (no deadlock); concurrent changes of one key queue on its row.
        """
        rows = sorted((key, delta) for key, delta in deltas.items() if delta and key is not None)
        if not rows:
            return
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(self.key_columns)
        placeholders = ", ".join(["%s"] * (len(self.key_columns) + 1))
        values = ", ".join([f"({placeholders})"] * len(rows))
        params = [value for key, delta in rows for value in (*key, delta)]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({columns}, n) VALUES {values} "
                f"ON CONFLICT ({columns}) DO UPDATE SET n = {table}.n + excluded.n",
                params,
            )

    def move(self, old, new) -> None:
        """One counted row left the `old` key for the `new` one (None: counted nowhere)."""
        if old != new:
            self.change({old: -1, new: +1})

    def held(self) -> dict[tuple, int]:
        """What the counters hold (rows at zero left out)."""
        return {
            tuple(row[:-1]): row[-1]
            for row in self.filter(n__gt=0).values_list(*self.key_columns, "n").iterator()
        }

    def differences(self) -> list[tuple]:
        """The keys whose held number differs from a fresh count, with both numbers."""
        fresh, held = self.counted(), self.held()
        return [
            (key, fresh.get(key, 0), held.get(key, 0))
            for key in sorted(fresh.keys() | held.keys())
            if fresh.get(key, 0) != held.get(key, 0)
        ]

    @transaction.atomic
    def recount(self) -> int:
        """Rebuilds every counter from the tables; returns the number of rows written.

        The table is locked against the changes' writes while it is rebuilt: a change that has
        not written its counters yet waits, and then applies its delta to the fresh count.
        """
        if connection.vendor == "postgresql":
            table = connection.ops.quote_name(self.model._meta.db_table)
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
        fresh = self.counted()
        self.all().delete()
        self.bulk_create(
            [
                self.model(**dict(zip(self.key_columns, key, strict=True)), n=n)
                for key, n in fresh.items()
            ],
            batch_size=5000,
        )
        return len(fresh)


class UnitCountQuerySet(CounterQuerySet):
    key_columns = ("area_id", "unit_type")

    def counted(self) -> dict[tuple, int]:
        units = Unit.objects.undated().order_by().values_list("area_id", "unit_type")
        return {(area_id, unit_type): n for area_id, unit_type, n in units.annotate(n=Count("pk"))}

    def by_type(self) -> dict[str, int]:
        return dict(self.order_by().values_list("unit_type").annotate(total=Sum("n")))


class UnitCount(ChoiceLabels):
    """How many units without dates (active every day) one area holds of one type.

    The home pages' unit figures read these few rows (plus the few units with dates, counted
    on the day) instead of counting a province's thousands of units on every request. Kept by
    every write of a unit (`units.services`: `save_unit`, `move_unit`, `merge_area`,
    `record_succession`) in its transaction; `manage.py recount_status` rebuilds them.
    """

    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.CASCADE, related_name="+"
    )
    unit_type = models.CharField(_("unit type"), max_length=30, choices=UnitType.choices)
    n = models.IntegerField(_("number"), default=0)

    objects = UnitCountQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit counter")
        verbose_name_plural = _("unit counters")
        constraints = [
            # The upsert's conflict target.
            models.UniqueConstraint(fields=["area", "unit_type"], name="unit_count_key"),
        ]

    def __str__(self):
        return f"{self.area_id} {self.unit_type}: {self.n}"


# --- Roles -------------------------------------------------------------------------------------


class RoleAssignmentQuerySet(models.QuerySet):
    def for_user(self, user) -> RoleAssignmentQuerySet:
        return self.filter(user=user).select_related("area", "unit", "unit__area")


class RoleAssignment(ChoiceLabels):
    """One role of one user: a unit representative for a unit, an area role for a subtree."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    area = models.ForeignKey(
        Area,
        verbose_name=_("area (scope)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user", "role"]
        constraints = [
            models.CheckConstraint(
                name="role_scope_matches_role",
                condition=(
                    Q(role=Role.UNIT_REPRESENTATIVE, unit__isnull=False, area__isnull=True)
                    | Q(
                        role__in=[r.value for r in AREA_ROLES],
                        area__isnull=False,
                        unit__isnull=True,
                    )
                    | Q(
                        role__in=[Role.ADMINISTRATOR, Role.MINISTRY_REVIEWER],
                        area__isnull=True,
                        unit__isnull=True,
                    )
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "area"],
                condition=Q(area__isnull=False),
                name="role_unique_per_area",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "unit"],
                condition=Q(unit__isnull=False),
                name="role_unique_per_unit",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(role=Role.ADMINISTRATOR),
                name="role_unique_administrator",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(role=Role.MINISTRY_REVIEWER),
                name="role_unique_ministry_reviewer",
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.get_role_display()} — {self.scope}"

    @property
    def scope(self):
        if self.role == Role.MINISTRY_REVIEWER:
            return gettext("bodies recognised by the Ministry of Public Security")
        return self.unit or self.area or gettext("whole country")

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.role == Role.UNIT_REPRESENTATIVE and (self.unit_id is None or self.area_id):
            raise ValidationError(gettext("A unit representative needs a unit and no area."))
        if self.role in AREA_ROLES and (self.area_id is None or self.unit_id):
            raise ValidationError(gettext("This role needs an area (its scope) and no unit."))
        if self.role == Role.ADMINISTRATOR and (self.area_id or self.unit_id):
            raise ValidationError(gettext("An administrator has no area or unit."))
        if self.role == Role.MINISTRY_REVIEWER and (self.area_id or self.unit_id):
            raise ValidationError(
                gettext(
                    "A reviewer of the Ministry's department has no area or unit: they review "
                    "every body recognised by the Ministry."
                )
            )
