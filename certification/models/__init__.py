"""Models of the certification app, one module per concept."""

from certification.models.criteria import (
    CriteriaSet,
    CriteriaSetStatus,
    Criterion,
    CriterionKind,
    ExclusionRule,
)
from certification.models.cycles import Cycle, CycleCalendar, CycleStep, DeadlineExtension
from certification.models.registration import (
    DocumentKind,
    Registration,
    RegistrationDocument,
    RegistrationEvent,
    RegistrationStatus,
)

__all__ = [
    "CriteriaSet",
    "CriteriaSetStatus",
    "Criterion",
    "CriterionKind",
    "Cycle",
    "CycleCalendar",
    "CycleStep",
    "DeadlineExtension",
    "DocumentKind",
    "ExclusionRule",
    "Registration",
    "RegistrationDocument",
    "RegistrationEvent",
    "RegistrationStatus",
]
