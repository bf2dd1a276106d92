"""The public register of recognised units and the certificate verification page (no login).

Only what a certificate itself shows is public: the unit's name, its area as recorded on the
decision, the year, the decision and its signer. Never contacts, evidence or reviewers' notes.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, render
from django.utils.decorators import method_decorator
from django.views.generic import ListView

from certification.forms.public import RegisterFilterForm
from certification.models import Certificate, Cycle
from certification.services.decisions import verify_certificate
from units.pagination import BoundedPaginator, SearchBoundedPaginationMixin
from units.search import code_is, name_contains

REGISTER_PAGE_SIZE = 50


@method_decorator(login_not_required, name="dispatch")
class RegisterView(SearchBoundedPaginationMixin, ListView):
    """Recognised units (certificates in force) by province, commune and year, with search."""

    template_name = "public/register.html"
    context_object_name = "certificates"
    paginate_by = REGISTER_PAGE_SIZE
    paginator_class = BoundedPaginator

    def get_queryset(self):
        # The cycles' years (a handful of rows), not a DISTINCT over every certificate.
        years = list(Cycle.objects.order_by("-year").values_list("year", flat=True).distinct())
        self.form = RegisterFilterForm(self.request.GET or None, years=years)
        certificates = (
            Certificate.objects.in_force()
            .select_related("entry__decision")
            .only(
                "number",
                "token",
                "unit_name",
                "area_name",
                "year",
                "issued_on",
                "entry__decision__number",
                "entry__decision__issuing_body",
            )
            .order_by("-year", "area_name", "unit_name", "pk")
        )
        if not self.form.is_valid():
            return certificates.none() if self.form.is_bound else certificates
        data = self.form.cleaned_data
        if data.get("year"):
            certificates = certificates.filter(year=data["year"])
        # By the unit's area today, so a merged commune's units are found under the new one.
        area = data.get("commune") or data.get("province")
        if area is not None:
            certificates = certificates.filter(unit__area__path__startswith=area.path)
        if data.get("q"):
            certificates = _search(certificates, data["q"])
        return certificates

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(form=self.form, query_without_page=query.urlencode())
        return context


def _search(certificates, text: str):
    """The certificates with every typed word in the unit's or the area's name, or a word that
    is the certificate's number.

    The numbers typed are looked up first, in one query by their unique index: OR-ed with the
    names in the list's query, a number would leave PostgreSQL to guess how many names contain
    "antt-2023-141-00044" and walk the register's order index over the whole country.
    """
    words = text.split()
    numbers = set(
        Certificate.objects.filter(
            number__in={*words, *(word.upper() for word in words)}
        ).values_list("number", flat=True)
    )
    for word in words:
        if word in numbers or word.upper() in numbers:
            certificates = certificates.filter(code_is("number", word))
        else:
            certificates = certificates.filter(name_contains("search_words", word))
    return certificates


@login_not_required
def verify(request, token: str):
    """What a certificate's QR code opens: valid, annulled, or superseded by a newer year."""
    certificate = get_object_or_404(
        Certificate.objects.select_related("entry__decision"), token=token
    )
    response = render(
        request,
        "public/verify.html",
        {"verification": verify_certificate(certificate), "certificate": certificate},
    )
    # Verification pages are reached through a QR code, not through search engines.
    response["X-Robots-Tag"] = "noindex"
    return response
