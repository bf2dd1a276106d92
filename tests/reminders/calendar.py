"""The reminder tests' calendar: the 2026 cycle's deadlines (Circular 124 defaults)."""

import datetime

REGISTRATION_CLOSES = datetime.date(2026, 3, 31)


DOSSIER_DUE = datetime.date(2026, 11, 5)


REVIEW_DUE = datetime.date(2026, 11, 10)


DECISION_DUE = datetime.date(2026, 11, 14)


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)
