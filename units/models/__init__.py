"""Areas, units, people and their roles: who exists, where, and who may see what.

One module per concept; every name is importable from `units.models` as before.
"""

from units.choices import AREA_ROLES, AreaLevel, ManagingLevel, Role, UnitType
from units.models.areas import KINDS_BY_LEVEL, LEVEL_OF_KIND, Area, AreaKind, AreaQuerySet
from units.models.counts import CounterQuerySet, UnitCount, UnitCountQuerySet
from units.models.labels import ChoiceLabels
from units.models.people import RoleAssignment, RoleAssignmentQuerySet, User
from units.models.units import (
    EnterpriseSize,
    ResidentialSubtype,
    SchoolLevel,
    Unit,
    UnitAreaChange,
    UnitQuerySet,
    UnitSuccession,
)

__all__ = [
    "AREA_ROLES",
    "KINDS_BY_LEVEL",
    "LEVEL_OF_KIND",
    "Area",
    "AreaKind",
    "AreaLevel",
    "AreaQuerySet",
    "ChoiceLabels",
    "CounterQuerySet",
    "EnterpriseSize",
    "ManagingLevel",
    "ResidentialSubtype",
    "Role",
    "RoleAssignment",
    "RoleAssignmentQuerySet",
    "SchoolLevel",
    "Unit",
    "UnitAreaChange",
    "UnitCount",
    "UnitCountQuerySet",
    "UnitQuerySet",
    "UnitSuccession",
    "UnitType",
    "User",
]
