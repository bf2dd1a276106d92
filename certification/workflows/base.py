"""A workflow: the steps an object may take, who may take each, and the one place they happen.

Each workflow declares its steps keyed by action: the states it starts from, the state it leads
to, and one permission function (built on units.jurisdiction). `perform` is the only code that
changes a workflow's status: it locks the row, checks the table, asks the permission function,
lets the service do its domain work on the locked row, saves, moves the row between the status
counters (certification.models.counts), writes one audit row (action, from,
to, by, at, reason, level) and hands the step to the workflow's notifications, whose e-mails leave
only after the commit. `offered` tells views and templates which steps to show a user. Every
refusal, of a step out of turn or of a user who may not take it, carries the same message.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from certification.models.counts import Key, StatusCount

Permission = Callable[[object, models.Model], bool]


def always(row: models.Model) -> bool:
    return True


@dataclass(frozen=True)
class Step:
    """One declared step: from which states, to which state, who may take it."""

    action: str
    sources: frozenset[str]
    target: str
    may: Permission
    # A condition on the object itself, beyond its state (e.g. "a further review level exists").
    applies: Callable[[models.Model], bool] = always


def step(action: str, sources, target: str, may: Permission, applies=always) -> Step:
    return Step(action, frozenset(sources), target, may, applies)


def refusal_message(row: models.Model) -> str:
    """The one message every refused step carries: the state it found, and what to do."""
    return _(
        "This %(object)s is now %(status)s; the step was not applied "
        "(someone may have acted first). Reload the page."
    ) % {"object": row._meta.verbose_name, "status": row.get_status_display()}


class InvalidTransition(ValidationError):
    """The object is not in a state that allows this step (often: someone acted first)."""


class NotPermitted(PermissionError):
    """The user may not take this step on this object (now)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Workflow:
    """Subclasses declare `model`, `record_model`, `record_field` and `steps`."""

    model: type[models.Model]
    record_model: type[models.Model]
    record_field: str
    steps: Mapping[str, Step]
    related: tuple[str, ...] = ()

    # --- what subclasses may refine ------------------------------------------------------------

    def lock(self, obj: models.Model) -> models.Model:
        """The row, locked until the transaction ends (only the row: PostgreSQL's FOR UPDATE OF)."""
        return (
            self.model.objects.select_for_update(of=("self",))
            .select_related(*self.related)
            .get(pk=obj.pk)
        )

    def level(self, row: models.Model, action: str) -> str:
        """The review level the step is taken at, for the audit row ("" when none)."""
        return ""

    def record_values(self, row: models.Model) -> dict:
        """Further columns of the audit row (e.g. the dossier's round)."""
        return {}

    def notify(self, row: models.Model, action: str, reason: str) -> None:
        """Tells whoever must hear about the step (called inside the transaction)."""

    def counter_key(self, row: models.Model) -> Key | None:
        """The status counter the object counts in (None: the workflow keeps no counters)."""
        return None

    # --- the one place a step happens ----------------------------------------------------------

    def check(self, row: models.Model, action: str, by) -> Step:
        """The declared step, if `by` may take it on the (locked) row now; else a refusal.

        The table is asked before the permission function: who may act often depends on the
        state (the level a dossier waits for), so a lost race must read as the race it is.
        """
        declared = self.steps.get(action)
        if declared is None:
            raise NotPermitted(refusal_message(row))
        if row.status not in declared.sources or not declared.applies(row):
            raise InvalidTransition(refusal_message(row))
        if not declared.may(by, row):
            raise NotPermitted(refusal_message(row))
        return declared

    def perform(
        self,
        obj: models.Model,
        action: str,
        *,
        by,
        at: datetime.datetime,
        reason: str = "",
        work: Callable[[models.Model], str | None] | None = None,
        record: Mapping | None = None,
    ) -> models.Model:
        """Lock → table → permission → the service's work → save → counters → audit row →
        notifications.

        `work` does the service's domain part on the locked row before it is saved; it may refuse
        (ValidationError: nothing is written) and may return the details to record as the reason
        when they are only known once the work is done. `record` adds columns to the audit row
        (an annulment names its certificate).
        """
        with transaction.atomic():
            row = self.lock(obj)
            declared = self.check(row, action, by)
            old, level = row.status, self.level(row, action)
            counted = self.counter_key(row)
            details = work(row) if work is not None else None
            row.status = declared.target
            row.save()
            if counted is not None:
                # In the step's transaction: a refused or failed step changes no counter.
                StatusCount.objects.move(counted, self.counter_key(row))
            recorded = details or reason
            self.record(
                row, action, old=old, by=by, at=at, reason=recorded, level=level, **(record or {})
            )
            self.notify(row, action, recorded)
        return row

    def record(
        self, row, action: str, *, old: str, by, at, reason: str = "", level: str = "", **extra
    ):
        """Writes the audit row of a step (or of a change that keeps the state)."""
        return self.record_model.objects.create(
            **{self.record_field: row},
            action=action,
            from_status=old,
            to_status=row.status,
            by=by,
            at=at,
            reason=reason,
            level=level,
            **self.record_values(row),
            **extra,
        )

    def offered(self, obj: models.Model, user) -> set[str]:
        """The actions the page should offer the user on the object as it is now."""
        return {
            action
            for action, declared in self.steps.items()
            if obj.status in declared.sources and declared.applies(obj) and declared.may(user, obj)
        }
