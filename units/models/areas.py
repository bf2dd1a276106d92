"""The area tree: provinces, communes and their residential areas, on a materialized path."""

from __future__ import annotations

import datetime

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from units.choices import AreaLevel, Role
from units.jurisdiction import jurisdiction_of
from units.models.labels import ChoiceLabels


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
        units = apps.get_model("units", "Unit").objects  # units.models.units imports this module
        condition = scope.area_condition("path", roles=roles)
        if scope.unit_ids and (roles is None or Role.UNIT_REPRESENTATIVE in roles):
            condition |= Q(pk__in=units.filter(pk__in=scope.unit_ids).values("area_id"))
        if ministry := scope.ministry_condition(roles=roles):
            condition |= Q(pk__in=units.filter(ministry).values("area_id"))
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

    @classmethod
    def ancestor_paths(cls, path: str) -> list[str]:
        """The materialized paths of an area and of every area above it, topmost first."""
        return [path[:end] for end in range(cls.steplen, len(path) + 1, cls.steplen)]

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.kind and self.level and LEVEL_OF_KIND.get(self.kind) != self.level:
            raise ValidationError(
                {
                    "kind": gettext("Type “%(kind)s” does not belong to the level “%(level)s”.")
                    % {"kind": self.get_kind_display(), "level": self.get_level_display()}
                }
            )
