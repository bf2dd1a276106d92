"""Criteria sets, cycles, registrations, assessments, reviews and decisions."""
