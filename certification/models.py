"""Criteria sets, cycles, registrations, assessments, reviews and decisions (built issue by issue)."""
