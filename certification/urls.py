from django.urls import path

from certification import views

app_name = "certification"

urlpatterns = [
    path("registrations/", views.RegistrationListView.as_view(), name="registration-list"),
    path(
        "registrations/<int:pk>/",
        views.RegistrationDetailView.as_view(),
        name="registration-detail",
    ),
    path(
        "registrations/<int:pk>/acknowledge/",
        views.registration_acknowledge,
        name="registration-acknowledge",
    ),
    path("registrations/<int:pk>/return/", views.registration_return, name="registration-return"),
    path("documents/<int:pk>/", views.document_download, name="document-download"),
    path("documents/<int:pk>/remove/", views.document_remove, name="document-remove"),
    path(
        "units/<int:unit_pk>/registration/",
        views.unit_registration,
        name="unit-registration",
    ),
    path("units/<int:unit_pk>/extension/", views.extension_create, name="extension-create"),
    path(
        "areas/<int:area_pk>/registration-completeness/",
        views.registration_completeness_view,
        name="registration-completeness",
    ),
]
