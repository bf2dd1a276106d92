"""What a user may see and act on, computed once per request from their role assignments."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q

from units.models import AREA_ROLES, AreaLevel, ManagingLevel, Role, RoleAssignment, UnitType

_CACHE_ATTRIBUTE = "_antt_jurisdiction"

# Which units a reviewer is in charge of: those managed at the level of the reviewer's area.
# Residential areas and commune-managed bodies are appraised by the commune police; the communes
# and province-managed bodies by the provincial police (ANTT.md §5). A pre-2025 district reviewer
# handled what communes manage.
MANAGING_LEVEL_OF_REVIEWER = {
    AreaLevel.COMMUNE: ManagingLevel.COMMUNE,
    AreaLevel.DISTRICT: ManagingLevel.COMMUNE,
    AreaLevel.PROVINCE: ManagingLevel.PROVINCE,
}


def effective_managing_level(unit) -> str:
    """The level that reviews and recognises the unit: its managing level, or the commune when
    the province delegated it one level down (Art. 10.5 of Circular 124)."""
    if unit.delegated_one_level_down and unit.managing_level == ManagingLevel.PROVINCE:
        return ManagingLevel.COMMUNE
    return unit.managing_level


def managed_at_condition(level: str, prefix: str = "") -> Q:
    """Units reviewed and recognised at a managing level, delegation (Art. 10.5) included."""
    managing, delegated = f"{prefix}managing_level", f"{prefix}delegated_one_level_down"
    if level == ManagingLevel.COMMUNE:
        return Q(**{managing: ManagingLevel.COMMUNE}) | Q(
            **{managing: ManagingLevel.PROVINCE, delegated: True}
        )
    if level == ManagingLevel.PROVINCE:
        return Q(**{managing: ManagingLevel.PROVINCE, delegated: False})
    return Q(**{managing: level})


def review_route(unit, *, commune_police_first: bool) -> tuple[str, ...]:
    """Who appraises the unit's dossier, in order: "commune", "province" or "ministry" police.

    Commune-managed (or delegated) units: the commune police. A commune: the province. The
    Ministry's bodies (Art. 10.4): the Ministry's department. Other province-managed bodies: the
    province, which the law makes the appraising level (the commune police attend the unit's
    meeting); a cycle may ask the commune police to appraise first.
    """
    level = effective_managing_level(unit)
    if level == ManagingLevel.MINISTRY:
        return ("ministry",)
    if level == ManagingLevel.COMMUNE:
        return ("commune",)
    if unit.unit_type == UnitType.COMMUNE or not commune_police_first:
        return ("province",)
    return ("commune", "province")


@dataclass(frozen=True)
class Scope:
    role: str
    path: str
    level: str


@dataclass(frozen=True)
class Jurisdiction:
    sees_everything: bool = False
    scopes: tuple[Scope, ...] = ()
    unit_ids: tuple[int, ...] = ()
    roles: frozenset[str] = field(default_factory=frozenset)

    @property
    def area_paths(self) -> tuple[str, ...]:
        return _outermost([scope.path for scope in self.scopes])

    def area_condition(self, path_lookup: str, roles: Iterable[str] | None = None) -> Q:
        """A filter matching everything under the scope areas (of the given roles, if any)."""
        wanted = set(roles) if roles is not None else None
        paths = _outermost(
            [scope.path for scope in self.scopes if wanted is None or scope.role in wanted]
        )
        condition = Q()
        for path in paths:
            condition |= Q(**{f"{path_lookup}__startswith": path})
        return condition

    def in_charge_condition(self, unit_prefix: str = "") -> Q:
        """Units this user reviews first: under a reviewer scope and managed at its level."""
        condition = Q()
        for scope in self.scopes:
            if scope.role != Role.REVIEWER:
                continue
            condition |= Q(
                **{f"{unit_prefix}area__path__startswith": scope.path}
            ) & managed_at_condition(MANAGING_LEVEL_OF_REVIEWER[scope.level], unit_prefix)
        return condition


def _outermost(paths: list[str]) -> tuple[str, ...]:
    """Drop paths nested inside another scope path: they add nothing to the filter."""
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not any(path.startswith(outer) for outer in kept):
            kept.append(path)
    return tuple(kept)


def jurisdiction_of(user) -> Jurisdiction:
    """The user's jurisdiction, cached on the user object for the rest of the request."""
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    scope = _compute(user)
    if getattr(user, "pk", None) is not None:
        setattr(user, _CACHE_ATTRIBUTE, scope)
    return scope


def forget_jurisdiction(user) -> None:
    """Drop the cached jurisdiction after the user's roles changed."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def _compute(user) -> Jurisdiction:
    if user is None or not user.is_authenticated or not user.is_active:
        return Jurisdiction()
    assignments = list(
        RoleAssignment.objects.filter(user=user).values_list(
            "role", "area__path", "area__level", "unit_id"
        )
    )
    roles = frozenset(role for role, *_ in assignments)
    if user.is_superuser or Role.ADMINISTRATOR in roles:
        return Jurisdiction(sees_everything=True, roles=roles | {Role.ADMINISTRATOR})
    return Jurisdiction(
        scopes=tuple(
            Scope(role, path, level) for role, path, level, _ in assignments if role in AREA_ROLES
        ),
        unit_ids=tuple(sorted({unit_id for *_, unit_id in assignments if unit_id})),
        roles=roles,
    )
