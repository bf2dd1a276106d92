"""What a user may see, computed once per request from their role assignments."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from units.models import AREA_ROLES, Role, RoleAssignment

_CACHE_ATTRIBUTE = "_antt_jurisdiction"


@dataclass(frozen=True)
class Jurisdiction:
    sees_everything: bool = False
    area_paths: tuple[str, ...] = ()
    unit_ids: tuple[int, ...] = ()
    roles: frozenset[str] = field(default_factory=frozenset)

    def area_condition(self, path_lookup: str) -> Q:
        """A filter matching everything under any of the scope areas (by materialized path)."""
        condition = Q()
        for path in self.area_paths:
            condition |= Q(**{f"{path_lookup}__startswith": path})
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
        RoleAssignment.objects.filter(user=user).values_list("role", "area__path", "unit_id")
    )
    roles = frozenset(role for role, _, _ in assignments)
    if user.is_superuser or Role.ADMINISTRATOR in roles:
        return Jurisdiction(sees_everything=True, roles=roles | {Role.ADMINISTRATOR})
    return Jurisdiction(
        area_paths=_outermost([path for role, path, _ in assignments if role in AREA_ROLES]),
        unit_ids=tuple(sorted({unit_id for role, _, unit_id in assignments if unit_id})),
        roles=roles,
    )
