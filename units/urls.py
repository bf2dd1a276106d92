from django.urls import path

from units import views

app_name = "units"

urlpatterns = [
    path("", views.UnitListView.as_view(), name="unit-list"),
    path("<int:pk>/", views.UnitDetailView.as_view(), name="unit-detail"),
]
