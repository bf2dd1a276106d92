"""What a user may see and act on, computed once per request from their role assignments."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.lookups import StartsWith
from django.utils.translation import gettext_lazy as _

from units.choices import AREA_ROLES, AreaLevel, ManagingLevel, Role, UnitType

_CACHE_ATTRIBUTE = "_antt_jurisdiction"


class ReviewLevel(models.TextChoices):
    """The level a reviewer or a People's Committee acts at."""

    COMMUNE = "commune", _("commune police")
    PROVINCE = "province", _("provincial police")
    MINISTRY = "ministry", _("Ministry of Public Security department")


# The one level mapping (ANTT.md §5). A reviewer or a People's Committee acts at the level of its
# area; a pre-2025 district did what communes do now. At each level they are in charge of the
# units managed there: residential areas and commune-managed bodies at the commune, the communes
# themselves and province-managed bodies at the province.
LEVEL_OF_AREA = {
    AreaLevel.COMMUNE: ReviewLevel.COMMUNE,
    AreaLevel.DISTRICT: ReviewLevel.COMMUNE,
    AreaLevel.PROVINCE: ReviewLevel.PROVINCE,
}
LEVEL_ORDER = (ReviewLevel.COMMUNE, ReviewLevel.PROVINCE, ReviewLevel.MINISTRY)
MANAGED_AT = {
    ReviewLevel.COMMUNE: ManagingLevel.COMMUNE,
    ReviewLevel.PROVINCE: ManagingLevel.PROVINCE,
    ReviewLevel.MINISTRY: ManagingLevel.MINISTRY,
}


def review_level_of(area_level: str) -> ReviewLevel:
    """The level a reviewer (or People's Committee) acts at, from the level of their area."""
    return LEVEL_OF_AREA.get(area_level, ReviewLevel.COMMUNE)


def area_levels_at(level: str) -> tuple[AreaLevel, ...]:
    """The area levels whose reviewers (or People's Committees) act at the level."""
    return tuple(area for area, acting in LEVEL_OF_AREA.items() if acting == level)


def managing_level_at(area_level: str) -> ManagingLevel:
    """Which units the reviewers or People's Committee of an area of that level are in charge of."""
    return MANAGED_AT[review_level_of(area_level)]


def level_in_charge_of(unit) -> ReviewLevel:
    """The level in charge of the unit: it acknowledges the registration and decides the result
    (one level down when the province delegated it, Art. 10.5)."""
    managing_level = effective_managing_level(unit)
    return next(level for level, managing in MANAGED_AT.items() if managing == managing_level)


def effective_managing_level(unit) -> str:
    """The level that reviews and recognises the unit: its managing level, or the commune when
    the province delegated it one level down (Art. 10.5 of Circular 124)."""
    if unit.delegated_one_level_down and unit.managing_level == ManagingLevel.PROVINCE:
        return ManagingLevel.COMMUNE
    return unit.managing_level


def effective_managing_level_sql(prefix: str = "") -> Case:
    """`effective_managing_level` in SQL, on the unit at `prefix` (its value is also the
    `level_in_charge_of` it: MANAGED_AT maps each level to the same value)."""
    return Case(
        When(
            **{f"{prefix}managing_level": ManagingLevel.PROVINCE},
            **{f"{prefix}delegated_one_level_down": True},
            then=Value(ManagingLevel.COMMUNE),
        ),
        default=F(f"{prefix}managing_level"),
        output_field=models.CharField(),
    )


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
        return (ReviewLevel.MINISTRY,)
    if level == ManagingLevel.COMMUNE:
        return (ReviewLevel.COMMUNE,)
    if unit.unit_type == UnitType.COMMUNE or not commune_police_first:
        return (ReviewLevel.PROVINCE,)
    return (ReviewLevel.COMMUNE, ReviewLevel.PROVINCE)


# --- a level without a reviewer account: the level above stands in (issue 11) ---------------------


# Only the province stands in for a commune: the Ministry never reviews for a province.
STANDS_IN_FOR = {ReviewLevel.COMMUNE: ReviewLevel.PROVINCE}


def level_above(level: str) -> str | None:
    """The review level that stands in for `level` where it has no reviewer account."""
    return STANDS_IN_FOR.get(level)


def levels_stood_in_for(level: str) -> tuple[str, ...]:
    """The levels whose reviewers `level` stands in for where they have none (the one below)."""
    return tuple(low for low in LEVEL_ORDER if level_above(low) == level)


def reviewer_covers(path_ref: str, level: str) -> Exists:
    """SQL: an active reviewer account of `level` covers the area path in the outer row's
    `path_ref` (the one test behind routing, "waiting for me" and the administrator's orphans)."""
    from units.models import RoleAssignment  # units.models imports this module

    if level == ReviewLevel.MINISTRY:  # a Ministry department reviewer covers every unit
        return Exists(
            RoleAssignment.objects.filter(role=Role.MINISTRY_REVIEWER, user__is_active=True)
        )
    return Exists(
        RoleAssignment.objects.filter(
            StartsWith(OuterRef(path_ref), F("area__path")),
            role=Role.REVIEWER,
            area__level__in=area_levels_at(level),
            user__is_active=True,
        )
    )


def has_reviewer(path: str, level: str) -> bool:
    """Whether an active reviewer account of `level` covers the area path."""
    from units.models import Area, RoleAssignment  # units.models imports this module

    if level == ReviewLevel.MINISTRY:
        return RoleAssignment.objects.filter(
            role=Role.MINISTRY_REVIEWER, user__is_active=True
        ).exists()
    return RoleAssignment.objects.filter(
        role=Role.REVIEWER,
        area__path__in=Area.ancestor_paths(path),
        area__level__in=area_levels_at(level),
        user__is_active=True,
    ).exists()


def uncovered_areas(path: str, level: str) -> list[int]:
    """The areas at or under the path that no active reviewer account of `level` covers (where
    the level above stands in): two small reads, the areas under the path and the reviewers'
    areas there or above it, instead of a test per dossier or per area in SQL."""
    from units.models import Area, RoleAssignment  # units.models imports this module

    covering = set(
        RoleAssignment.objects.filter(
            Q(area__path__startswith=path) | Q(area__path__in=Area.ancestor_paths(path)),
            role=Role.REVIEWER,
            area__level__in=area_levels_at(level),
            user__is_active=True,
        ).values_list("area__path", flat=True)
    )
    return [
        pk
        for pk, area_path in Area.objects.filter(path__startswith=path).values_list("pk", "path")
        if covering.isdisjoint(Area.ancestor_paths(area_path))
    ]


def acting_level(path: str, level: str) -> str:
    """The level whose reviewers take a submission waiting for `level` under the area path:
    `level` itself, or the level above when `level` has no reviewer account there."""
    above = level_above(level)
    if above is not None and not has_reviewer(path, level):
        return above
    return level


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
    # A reviewer of the Ministry's department (Art. 10.4): every body recognised by the Ministry,
    # wherever it is, and nothing else.
    ministry_reviewer: bool = False
    # (path, level) -> uncovered_areas(path, level), read once per request (waiting_condition).
    _uncovered: dict = field(default_factory=dict, compare=False, repr=False)

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

    def unit_condition(self, unit_prefix: str = "", roles: Iterable[str] | None = None) -> Q:
        """A filter matching the units the user sees (of the given roles, if any), on a unit or,
        through `unit_prefix` ("unit__"), on a row's unit: a join on the indexed area path, not
        a semi-join with every unit of the scope."""
        condition = self.area_condition(f"{unit_prefix}area__path", roles=roles)
        if self.unit_ids and (roles is None or Role.UNIT_REPRESENTATIVE in roles):
            condition |= Q(**{f"{unit_prefix}pk__in": self.unit_ids})
        return condition | self.ministry_condition(unit_prefix, roles=roles)

    def row_condition(self) -> Q:
        """`unit_condition` on a row that stores its unit's area (`area`) beside its `unit`
        (registrations, dossiers): the scope reads the row's area, not the row's unit's."""
        condition = self.area_condition("area__path")
        if self.unit_ids:
            condition |= Q(unit_id__in=self.unit_ids)
        return condition | self.ministry_condition("unit__")

    def holds(self, role: str) -> bool:
        """Whether one of the user's own assignments is of the role."""
        return role in self.roles

    def acts_as(self, role: str) -> bool:
        """Whether the user takes the role's steps somewhere (administrators take them all)."""
        return self.sees_everything or role in self.roles

    def ministry_condition(self, unit_prefix: str = "", roles: Iterable[str] | None = None) -> Q:
        """The units a Ministry department reviewer sees and reviews (none for anyone else)."""
        if not self.ministry_reviewer or (roles is not None and Role.REVIEWER not in roles):
            return Q()
        return managed_at_condition(ManagingLevel.MINISTRY, unit_prefix)

    def _acts_for_ministry(self, role: str, level: str) -> bool:
        return self.ministry_reviewer and role == Role.REVIEWER and level == ReviewLevel.MINISTRY

    def acts_at(self, role: str, path: str, level: str) -> bool:
        """Whether a scope of the role covers the area path and acts at the level."""
        if self._acts_for_ministry(role, level):
            return True
        return any(
            scope.role == role
            and path.startswith(scope.path)
            and review_level_of(scope.level) == level
            for scope in self.scopes
        )

    def reviews_at(self, path: str, level: str) -> bool:
        """Whether the user reviews at `level` over the area path: a reviewer of that level, or
        of the level above where `level` has no reviewer account (it stands in)."""
        if self.acts_at(Role.REVIEWER, path, level):
            return True
        above = level_above(level)
        return (
            above is not None
            and self.acts_at(Role.REVIEWER, path, above)
            and not has_reviewer(path, level)
        )

    def acts_at_or_above(self, role: str, path: str, level: str) -> bool:
        """Whether a scope of the role covers the area path at the level or a higher one."""
        if self._acts_for_ministry(role, level):
            return True
        lowest = LEVEL_ORDER.index(level)
        return any(
            scope.role == role
            and path.startswith(scope.path)
            and LEVEL_ORDER.index(review_level_of(scope.level)) >= lowest
            for scope in self.scopes
        )

    def covers(self, role: str, path: str) -> bool:
        """Whether a scope of the role covers the area path, at any level."""
        return any(scope.role == role and path.startswith(scope.path) for scope in self.scopes)

    def waiting_condition(self, area_lookup: str, level_lookup: str, at: str = "") -> Q:
        """What waits for this reviewer, on a row's area (`area_lookup`, a foreign key to Area)
        and awaiting level: their level in their areas, the level below where it has no
        reviewer account (they stand in), and for a Ministry department reviewer the Ministry's
        level; with `at`, only what waits at that level. An empty Q means nothing waits.

        Where they stand in is a list of areas read once per request (`uncovered_areas`), so
        the database tests no reviewer account per row."""
        ministry = self.ministry_reviewer and at in ("", ReviewLevel.MINISTRY)
        condition = Q(**{level_lookup: ReviewLevel.MINISTRY}) if ministry else Q()
        for level, path, area_ids in self._waiting_places():
            if at and level != at:
                continue
            if area_ids is None:
                condition |= Q(**{f"{area_lookup}__path__startswith": path}) & Q(
                    **{level_lookup: level}
                )
            else:
                condition |= Q(**{level_lookup: level, f"{area_lookup}__in": area_ids})
        return condition

    def waiting_test(self) -> Callable[[int, str, str], bool]:
        """`waiting_condition` for rows already read: whether a row of the area (id and path)
        awaiting the level waits for this reviewer, the status aside. The list (one page)
        tests it in Python instead of a subquery per row."""
        ministry = self.ministry_reviewer
        places = [
            (level, path, None if area_ids is None else frozenset(area_ids))
            for level, path, area_ids in self._waiting_places()
        ]

        def waits(area_id: int, path: str, level: str) -> bool:
            if ministry and level == ReviewLevel.MINISTRY:
                return True
            return any(
                level == at and (path.startswith(under) if ids is None else area_id in ids)
                for at, under, ids in places
            )

        return waits

    def levels_waiting_for_me(self) -> list[str]:
        """The levels at which dossiers may wait for this reviewer (`waiting_condition`'s
        levels): their scopes' levels and those they may stand in for, from the roles alone, so
        a page asking per level asks as often whatever the data."""
        levels = {ReviewLevel.MINISTRY} if self.ministry_reviewer else set()
        for scope in self.scopes:
            if scope.role == Role.REVIEWER:
                level = review_level_of(scope.level)
                levels.update({level, *levels_stood_in_for(level)})
        return sorted(levels)

    def _waiting_places(self) -> Iterator[tuple[str, str | None, list[int] | None]]:
        """(level, area path, area ids) of what waits for this reviewer: their level under
        each scope path, and the level below in the areas where it has no reviewer account
        (they stand in; the areas are read once per request)."""
        for scope in self.scopes:
            if scope.role != Role.REVIEWER:
                continue
            level = review_level_of(scope.level)
            yield level, scope.path, None
            for below in levels_stood_in_for(level):
                key = (scope.path, below)
                if key not in self._uncovered:
                    self._uncovered[key] = uncovered_areas(scope.path, below)
                if self._uncovered[key]:
                    yield below, None, self._uncovered[key]

    def in_charge_condition(self, unit_prefix: str = "") -> Q:
        """Units this user reviews first: under a reviewer scope and managed at its level."""
        condition = self.ministry_condition(unit_prefix)
        for scope in self.scopes:
            if scope.role != Role.REVIEWER:
                continue
            under = Q(**{f"{unit_prefix}area__path__startswith": scope.path})
            condition |= under & managed_at_condition(managing_level_at(scope.level), unit_prefix)
            # Where the level below has no reviewer account, this level stands in for it.
            for below in levels_stood_in_for(review_level_of(scope.level)):
                condition |= (
                    under
                    & managed_at_condition(MANAGED_AT[below], unit_prefix)
                    & ~reviewer_covers(f"{unit_prefix}area__path", below)
                )
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
    assignments = list(user.roles.values_list("role", "area__path", "area__level", "unit_id"))
    roles = frozenset(role for role, *_ in assignments)
    if user.is_superuser or Role.ADMINISTRATOR in roles:
        return Jurisdiction(sees_everything=True, roles=roles | {Role.ADMINISTRATOR})
    ministry_reviewer = Role.MINISTRY_REVIEWER in roles
    if ministry_reviewer:
        roles |= {Role.REVIEWER}  # the reviewer's queue and steps, at the Ministry's level only
    return Jurisdiction(
        ministry_reviewer=ministry_reviewer,
        scopes=tuple(
            Scope(role, path, level) for role, path, level, _ in assignments if role in AREA_ROLES
        ),
        unit_ids=tuple(sorted({unit_id for *_, unit_id in assignments if unit_id})),
        roles=roles,
    )
