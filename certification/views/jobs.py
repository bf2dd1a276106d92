"""The user's background jobs: their list, a job's progress page and an export's file.

A job is its owner's alone: anyone else, an administrator included, gets a 404 for its page and
its file (the file is under MEDIA_ROOT, which is never served directly)."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe
from django.views.generic import ListView

from certification import exports
from certification.models import BackgroundJob, JobStatus

# The progress page reloads itself (a meta refresh: the CSP forbids inline scripts) this often.
REFRESH_SECONDS = 2


class JobListView(ListView):
    template_name = "certification/job_list.html"
    context_object_name = "jobs"
    paginate_by = 30

    def get_queryset(self):
        return BackgroundJob.objects.filter(user=self.request.user).defer("params", "results")


def _job(request, pk: int) -> BackgroundJob:
    return get_object_or_404(BackgroundJob.objects.filter(user=request.user), pk=pk)


@require_safe
def job_detail(request, pk: int):
    job = _job(request, pk)
    results = job.results or []
    return render(
        request,
        "certification/job_detail.html",
        {
            "job": job,
            "refresh": None if job.is_over else REFRESH_SECONDS,
            "done": [r for r in results if r.get("done")],
            "skipped": [r for r in results if not r.get("done")],
        },
    )


@require_safe
def job_download(request, pk: int):
    job = _job(request, pk)
    if job.status != JobStatus.DONE or not job.file:
        raise Http404
    try:
        handle = job.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    extension = job.file_name.rpartition(".")[2]
    return FileResponse(
        handle,
        as_attachment=True,
        filename=job.file_name,
        content_type=exports.CONTENT_TYPES.get(extension, "application/octet-stream"),
    )
