"""Long work taken out of the request: a national export or a bulk recommendation, run by Celery.

The row is what the user's page reads while the worker writes progress into it; its file (an
export) lives under MEDIA_ROOT and is served only to the user who asked, through a view that
checks it (MEDIA is never served directly)."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.db import models
from django.utils.translation import gettext_lazy as _

from units.models import ChoiceLabels, User


class JobKind(models.TextChoices):
    EXPORT = "export", _("export")
    BULK_APPROVE = "bulk_approve", _("bulk recommendation")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("waiting to start")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


def job_file_path(job: BackgroundJob, filename: str) -> str:
    return f"jobs/{job.user_id}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class BackgroundJob(ChoiceLabels):
    user = models.ForeignKey(
        User, verbose_name=_("asked by"), on_delete=models.CASCADE, related_name="background_jobs"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=JobKind.choices)
    title = models.CharField(_("title"), max_length=255)
    # What the task needs to redo the work: the list and query of an export, the dossiers' ids.
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveIntegerField(_("done so far"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    file = models.FileField(_("file"), upload_to=job_file_path, max_length=255, blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    # A bulk recommendation's outcome per dossier: [{"id", "unit", "done", "why"}].
    results = models.JSONField(_("results"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The user's list of jobs, newest first.
            models.Index(fields=["user", "-created_at"], name="job_user_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=JobStatus.values), name="job_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=models.F("total")), name="job_progress_le_total"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        return round(100 * self.progress / self.total) if self.total else 0

    @property
    def is_over(self) -> bool:
        return self.status in {JobStatus.DONE, JobStatus.FAILED}
