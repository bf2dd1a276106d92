"""Models of the certification app, one module per concept."""

from certification.models.assessment import (
    REQUIRED_DOSSIER_DOCUMENTS,
    Answer,
    Assessment,
    AssessmentAnswer,
    AssessmentDocument,
    AssessmentSnapshot,
    AssessmentStatus,
    AssessmentTransition,
    CriterionReturn,
    DossierDocumentKind,
    ResultValue,
    ReviewLevel,
    YearlyResult,
    review_levels,
)
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
    "REQUIRED_DOSSIER_DOCUMENTS",
    "Answer",
    "Assessment",
    "AssessmentAnswer",
    "AssessmentDocument",
    "AssessmentSnapshot",
    "AssessmentStatus",
    "AssessmentTransition",
    "CriterionReturn",
    "DossierDocumentKind",
    "ResultValue",
    "ReviewLevel",
    "YearlyResult",
    "review_levels",
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
