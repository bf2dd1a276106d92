"""The home page: each of the user's roles with what is theirs to do."""

from __future__ import annotations

from django.utils import timezone
from django.views.generic import TemplateView

from certification.models import Assessment, Cycle, Registration, RegistrationStatus
from units.jurisdiction import jurisdiction_of
from units.models import AREA_ROLES, Role, RoleAssignment, Unit
from units.views import counts_by_type


class HomeView(TemplateView):
    """Shows each of the user's roles what is theirs: their unit's registration, their queue."""

    template_name = "units/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        visible = Unit.objects.visible_to(user).active(today)
        sections = []
        for assignment in RoleAssignment.objects.for_user(user).order_by("role", "pk"):
            section = {"assignment": assignment}
            if assignment.role in AREA_ROLES:
                section["counts"] = counts_by_type(visible.within(assignment.area))
                section["total"] = sum(n for _, n in section["counts"])
            if assignment.role == Role.UNIT_REPRESENTATIVE:
                cycle = Cycle.objects.for_unit(assignment.unit, today.year)
                section["cycle"] = cycle
                section["registration"] = (
                    Registration.objects.filter(cycle=cycle, unit=assignment.unit).first()
                    if cycle
                    else None
                )
            sections.append(section)
        scope = jurisdiction_of(user)
        waiting = Registration.objects.filter(
            status=RegistrationStatus.SUBMITTED, unit__in=Unit.objects.in_charge_of(user)
        )
        context.update(
            sections=sections,
            is_administrator=scope.sees_everything,
            is_reviewer=Role.REVIEWER in scope.roles,
            waiting_registrations=waiting.count() if Role.REVIEWER in scope.roles else 0,
            waiting_dossiers=Assessment.objects.waiting_for(user).count()
            if Role.REVIEWER in scope.roles
            else 0,
            overall_counts=counts_by_type(visible),
        )
        context["overall_total"] = sum(n for _, n in context["overall_counts"])
        return context
