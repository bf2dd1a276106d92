"""Admin of the certification app, one module per concept."""

from certification.admin import (  # noqa: F401
    assessment,
    criteria,
    cycles,
    decisions,
    registration,
    reminders,
)
