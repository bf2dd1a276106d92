"""The home page: each of the user's roles with what is theirs to do next, and its figures."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView

from certification import dashboards
from certification.models import Certificate
from units.jurisdiction import jurisdiction_of
from units.models import AREA_ROLES, Role, RoleAssignment
from units.views import counts_by_type


def landing(request):
    """For a visitor not logged in: what the portal is, verifying a certificate, the public
    register, logging in."""
    latest_year = (
        Certificate.objects.in_force().order_by("-year").values_list("year", flat=True).first()
    )
    recognised = (
        Certificate.objects.in_force().filter(year=latest_year).count() if latest_year else 0
    )
    return render(
        request,
        "public/landing.html",
        {"latest_year": latest_year, "recognised_count": recognised},
    )


@method_decorator(login_not_required, name="dispatch")
class HomeView(TemplateView):
    """A unit's next step and results; a reviewer's queue; a People's Committee's decisions to
    take; an area's figures; the administrator's orphans. Queries grow with roles, not data."""

    template_name = "units/home.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return landing(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        sections = []
        assignments = (
            RoleAssignment.objects.for_user(user)
            .select_related("unit__area", "area")
            .order_by("role", "pk")
        )
        for assignment in assignments:
            section = {"assignment": assignment}
            if assignment.role in AREA_ROLES:
                section["counts"] = counts_by_type(user, today, area=assignment.area)
                section["total"] = sum(n for _, n in section["counts"])
                section["figures"] = dashboards.area_figures(
                    assignment.area, today, units=section["total"]
                )
            if assignment.role == Role.UNIT_REPRESENTATIVE:
                section["home"] = dashboards.unit_home(assignment.unit, today)
            sections.append(section)
        scope = jurisdiction_of(user)
        is_reviewer = Role.REVIEWER in scope.roles
        context.update(
            today=today,
            sections=sections,
            is_administrator=scope.sees_everything,
            administrator=dashboards.administrator_desk() if scope.sees_everything else None,
            queue=dashboards.reviewer_queue(user, today) if is_reviewer else None,
            desks=dashboards.committee_desks(user) if Role.DECISION_MAKER in scope.roles else [],
            overall_counts=counts_by_type(user, today)
            if scope.roles - {Role.UNIT_REPRESENTATIVE} or scope.sees_everything
            else [],
        )
        context["overall_total"] = sum(n for _, n in context["overall_counts"])
        return context
