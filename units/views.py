from django.views.generic import DetailView, ListView, TemplateView

from units.models import Unit


class HomeView(TemplateView):
    template_name = "units/home.html"


class UnitListView(ListView):
    template_name = "units/unit_list.html"

    def get_queryset(self):
        return Unit.objects.visible_to(self.request.user).select_related("area")


class UnitDetailView(DetailView):
    template_name = "units/unit_detail.html"

    def get_queryset(self):
        return Unit.objects.visible_to(self.request.user).select_related("area")
