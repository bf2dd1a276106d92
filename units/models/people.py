"""People and their roles: who may see and do what, where."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from units.choices import AREA_ROLES, Role
from units.models.areas import Area
from units.models.labels import ChoiceLabels
from units.models.units import Unit


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
