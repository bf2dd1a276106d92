"""Writes to criteria sets: publishing a draft and opening a new version of a published set.

A published set is frozen, because past years keep the set they were judged by; a correction is a
new version, copied from the published one, edited as a draft and published in turn.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from certification.models import CriteriaSet, CriteriaSetStatus, Criterion
from units.models import User

# Copied field by field, so a field added to Criterion later is not silently left out of a copy.
_CRITERION_FIELDS_NOT_COPIED = {"id", "criteria_set"}


def ensure_editable(criteria_set: CriteriaSet) -> None:
    """Raises ValidationError unless the set is a draft, the only state in which it may change."""
    if criteria_set.is_published:
        raise ValidationError(
            _(
                "“%(set)s” is published and can no longer be changed; create a new version to "
                "change it."
            )
            % {"set": criteria_set}
        )


@transaction.atomic
def publish_criteria_set(
    criteria_set: CriteriaSet, *, by: User | None, now: datetime.datetime
) -> CriteriaSet:
    """Publishes a draft that has at least one criterion; from then on the set is frozen."""
    row = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    if row.is_published:
        raise ValidationError(
            _("“%(set)s” is already published; create a new version to change it.") % {"set": row}
        )
    if not row.criteria.exists():
        raise ValidationError(
            _("“%(set)s” has no criteria; add at least one before publishing it.") % {"set": row}
        )
    row.status = CriteriaSetStatus.PUBLISHED
    row.published_at = now
    row.published_by = by
    row.save(update_fields=["status", "published_at", "published_by"])
    return row


@transaction.atomic
def create_new_version(criteria_set: CriteriaSet, *, by: User | None) -> CriteriaSet:
    """Copies a published set and all its criteria into a new draft; at most one draft per code."""
    # `by` is not stored yet: criteria sets have no audit table; the draft records its source.
    source = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    # Locking every version of the code serialises two administrators opening a version at once.
    versions = list(CriteriaSet.objects.select_for_update().filter(code=source.code))
    if not source.is_published:
        raise ValidationError(
            _("“%(set)s” is a draft: change it directly instead of creating a new version.")
            % {"set": source}
        )
    draft = next((row for row in versions if row.status == CriteriaSetStatus.DRAFT), None)
    if draft is not None:
        raise ValidationError(
            _(
                "A draft version of %(code)s already exists: “%(draft)s”. Change or publish it "
                "instead of creating another one."
            )
            % {"code": source.code, "draft": draft}
        )

    latest = CriteriaSet.objects.filter(code=source.code).aggregate(latest=Max("version"))
    new_version = CriteriaSet.objects.create(
        code=source.code,
        version=latest["latest"] + 1,
        title=source.title,
        legal_basis=source.legal_basis,
        effective_from=source.effective_from,
        effective_to=source.effective_to,
        province=source.province,
        exclusion_rule=source.exclusion_rule,
        status=CriteriaSetStatus.DRAFT,
        previous_version=source,
    )
    copied_fields = [
        field.attname
        for field in Criterion._meta.concrete_fields
        if field.name not in _CRITERION_FIELDS_NOT_COPIED
    ]
    Criterion.objects.bulk_create(
        Criterion(
            criteria_set=new_version,
            **{name: getattr(criterion, name) for name in copied_fields},
        )
        for criterion in source.criteria.order_by("unit_type", "number")
    )
    return new_version
