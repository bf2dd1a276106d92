"""Admin of the certification app, one module per concept."""

from certification.admin import criteria, cycles, registration  # noqa: F401
