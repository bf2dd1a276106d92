"""The enums of the units app that the jurisdiction reads: area and managing levels, unit types
and roles. They sit below both `units.models` and `units.jurisdiction`, so neither needs the other
at import time."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaLevel(models.TextChoices):
    PROVINCE = "province", _("province level")
    DISTRICT = "district", _("district level")
    COMMUNE = "commune", _("commune level")


class UnitType(models.TextChoices):
    RESIDENTIAL_AREA = "residential_area", _("residential area")
    COMMUNE = "commune", _("commune-level unit")
    AGENCY = "agency", _("agency")
    ENTERPRISE = "enterprise", _("enterprise")
    SCHOOL = "school", _("school")


class ManagingLevel(models.TextChoices):
    COMMUNE = "commune", _("commune")
    PROVINCE = "province", _("province")
    # Art. 10.4 of Circular 124: bodies followed by the ministry's own departments are reviewed by
    # its Department for the movement and recognised by the Minister.
    MINISTRY = "ministry", _("Ministry of Public Security")


class Role(models.TextChoices):
    UNIT_REPRESENTATIVE = "unit_representative", _("unit representative")
    REVIEWER = "reviewer", _("reviewer")
    DECISION_MAKER = "decision_maker", _("decision maker")
    OBSERVER = "observer", _("observer")
    ADMINISTRATOR = "administrator", _("administrator")
    # Art. 9.1.d and 10.4 of Circular 124: the Ministry's Department for the movement appraises the
    # bodies followed by the Ministry's own departments, wherever they are; no area, no unit.
    MINISTRY_REVIEWER = "ministry_reviewer", _("reviewer of the Ministry's department")


AREA_ROLES = (Role.REVIEWER, Role.DECISION_MAKER, Role.OBSERVER)
