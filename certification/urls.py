from django.urls import path

from certification.views import (
    decisions,
    dossier,
    exports,
    jobs,
    notifications,
    progress,
    registration,
    results,
    review,
)

app_name = "certification"

urlpatterns = [
    path("registrations/", registration.RegistrationListView.as_view(), name="registration-list"),
    # Every list as CSV or XLSX, filtered as on screen (a long one becomes a background job).
    path(
        "registrations/export.<str:fmt>",
        exports.list_export,
        {"listing": "registrations"},
        name="registration-export",
    ),
    path(
        "dossiers/export.<str:fmt>",
        exports.list_export,
        {"listing": "dossiers"},
        name="dossier-export",
    ),
    path(
        "dossiers/answers.<str:fmt>",
        exports.list_export,
        {"listing": "dossier-answers"},
        name="dossier-answers-export",
    ),
    # The units app never imports certification; its list's file is made here.
    path("units/export.<str:fmt>", exports.list_export, {"listing": "units"}, name="unit-export"),
    path(
        "decisions/export.<str:fmt>",
        exports.list_export,
        {"listing": "decisions"},
        name="decision-export",
    ),
    path("results/", results.ResultListView.as_view(), name="result-list"),
    path(
        "results/export.<str:fmt>",
        exports.list_export,
        {"listing": "results"},
        name="result-export",
    ),
    # Long work out of the request: the user's own jobs, their progress and files.
    path("jobs/", jobs.JobListView.as_view(), name="job-list"),
    path("jobs/<int:pk>/", jobs.job_detail, name="job-detail"),
    path("jobs/<int:pk>/download/", jobs.job_download, name="job-download"),
    path(
        "registrations/<int:pk>/",
        registration.RegistrationDetailView.as_view(),
        name="registration-detail",
    ),
    path(
        "registrations/<int:pk>/acknowledge/",
        registration.registration_acknowledge,
        name="registration-acknowledge",
    ),
    path(
        "registrations/<int:pk>/return/",
        registration.registration_return,
        name="registration-return",
    ),
    path("documents/<int:pk>/", registration.document_download, name="document-download"),
    path("documents/<int:pk>/remove/", registration.document_remove, name="document-remove"),
    path(
        "units/<int:unit_pk>/registration/",
        registration.unit_registration,
        name="unit-registration",
    ),
    path("units/<int:unit_pk>/extension/", registration.extension_create, name="extension-create"),
    path("progress/", progress.area_progress, name="area-progress-mine"),
    path("areas/<int:area_pk>/progress/", progress.area_progress, name="area-progress"),
    path("areas/<int:area_pk>/summary/", progress.area_summary, name="area-summary"),
    path("areas/<int:area_pk>/summary.xlsx", progress.area_summary_xlsx, name="area-summary-xlsx"),
    path(
        "areas/<int:area_pk>/registration-completeness/",
        registration.registration_completeness_view,
        name="registration-completeness",
    ),
]

urlpatterns += [
    path("notifications/", notifications.NotificationListView.as_view(), name="notification-list"),
    path("notifications/count/", notifications.notification_count, name="notification-count"),
    path("notifications/<int:pk>/read/", notifications.notification_read, name="notification-read"),
    path(
        "notifications/read-all/",
        notifications.notification_read_all,
        name="notification-read-all",
    ),
    path(
        "notifications/preference/",
        notifications.notification_preference,
        name="notification-preference",
    ),
    # The unit's year-end dossier.
    path("units/<int:unit_pk>/dossier/", dossier.UnitDossierView.as_view(), name="unit-dossier"),
    path("units/<int:unit_pk>/dossier/start/", dossier.dossier_start, name="dossier-start"),
    path("units/<int:unit_pk>/dossier/submit/", dossier.dossier_submit, name="dossier-submit"),
    path(
        "dossier-documents/<int:pk>/",
        dossier.dossier_document_download,
        name="dossier-document-download",
    ),
]

urlpatterns += [
    # The reviewer's queue, review page and steps on a dossier.
    path("dossiers/", review.DossierQueueView.as_view(), name="dossier-queue"),
    path("dossiers/bulk-approve/", review.dossier_bulk_approve, name="dossier-bulk-approve"),
    path("dossiers/<int:pk>/", review.DossierReviewView.as_view(), name="dossier-review"),
    path("dossiers/<int:pk>/approve/", review.dossier_approve, name="dossier-approve"),
    path("dossiers/<int:pk>/refuse/", review.dossier_refuse, name="dossier-refuse"),
    path("dossiers/<int:pk>/send-back/", review.dossier_send_back, name="dossier-send-back"),
    path("dossiers/<int:pk>/send-down/", review.dossier_send_down, name="dossier-send-down"),
    path("dossiers/<int:pk>/reopen/", review.dossier_reopen, name="dossier-reopen"),
    path("dossiers/<int:pk>/opinions/", review.dossier_opinions, name="dossier-opinions"),
]

urlpatterns += [
    # The People's Committee's decisions, certificates and annulments.
    path("decisions/", decisions.DecisionListView.as_view(), name="decision-list"),
    path("decisions/new/", decisions.decision_prepare, name="decision-prepare"),
    path("decisions/<int:pk>/", decisions.DecisionDetailView.as_view(), name="decision-detail"),
    path("decisions/<int:pk>/edit/", decisions.decision_edit, name="decision-edit"),
    path("decisions/<int:pk>/issue/", decisions.decision_issue, name="decision-issue"),
    path("decisions/<int:pk>/discard/", decisions.decision_discard, name="decision-discard"),
    path("decisions/<int:pk>/pdf/", decisions.decision_pdf, name="decision-pdf"),
    path("certificates/<int:pk>/pdf/", decisions.certificate_pdf, name="certificate-pdf"),
    path("certificates/<int:pk>/annul/", decisions.certificate_annul, name="certificate-annul"),
]
