"""Admin for decisions and certificates: read-only; issuing and annulling happen in the portal.

Only the number counters are editable, so the portal's numbering can follow a People's
Committee's own document register.
"""

from django import forms
from django.contrib import admin
from django.db.models import Max
from django.utils.translation import gettext as _

from certification.models import (
    Annulment,
    Certificate,
    Decision,
    DecisionCounter,
    DecisionEntry,
    DecisionEvent,
)
from certification.services.decisions import format_certificate_number


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DecisionEntryInline(ReadOnlyInline):
    model = DecisionEntry
    fields = ["unit_name", "area_name", "result", "reason"]
    readonly_fields = fields


class DecisionEventInline(ReadOnlyInline):
    model = DecisionEvent
    fields = ["at", "action", "from_status", "to_status", "level", "by", "certificate", "reason"]
    readonly_fields = fields


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["number", "issuing_body", "cycle", "decided_on", "status"]
    list_filter = ["status", "cycle__year"]
    list_select_related = ["cycle__province"]
    search_fields = ["number", "issuing_body", "entries__unit_name"]
    inlines = [DecisionEntryInline, DecisionEventInline]
    readonly_fields = [field.name for field in Decision._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AnnulmentInline(admin.StackedInline):
    model = Annulment
    extra = 0
    can_delete = False
    fields = ["annulled_on", "reference", "reason", "by", "recorded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["number", "unit_name", "area_name", "year", "issued_on", "annulled"]
    list_filter = ["year"]
    list_select_related = ["annulment"]
    search_fields = ["number", "unit_name", "unit__code"]
    inlines = [AnnulmentInline]
    # Not the token, nor the search column the database keeps (a copy of the names).
    readonly_fields = [
        field.name
        for field in Certificate._meta.fields
        if field.name != "token" and not field.generated
    ]
    exclude = ["token", "search_words"]

    @admin.display(boolean=True, description=Annulment._meta.verbose_name)
    def annulled(self, certificate):
        return hasattr(certificate, "annulment")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DecisionCounterForm(forms.ModelForm):
    class Meta:
        model = DecisionCounter
        fields = ["issuing_area", "year", "last_decision_number", "last_certificate_number"]

    def clean(self):
        cleaned = super().clean()
        area, year = cleaned.get("issuing_area"), cleaned.get("year")
        if area is None or year is None:
            return cleaned
        # A number already given must never be given again.
        used = Decision.objects.filter(issuing_area=area, number_year=year).aggregate(
            last=Max("sequence")
        )["last"]
        if used and (cleaned.get("last_decision_number") or 0) < used:
            self.add_error(
                "last_decision_number",
                _("Decision number %(number)s of this year is already given.") % {"number": used},
            )
        given = Certificate.objects.filter(
            number__startswith=format_certificate_number(area, year, 0)[:-4]
        ).count()
        if (cleaned.get("last_certificate_number") or 0) < given:
            self.add_error(
                "last_certificate_number",
                _("%(count)s certificate numbers of this year are already given.")
                % {"count": given},
            )
        return cleaned


@admin.register(DecisionCounter)
class DecisionCounterAdmin(admin.ModelAdmin):
    form = DecisionCounterForm
    list_display = ["issuing_area", "year", "last_decision_number", "last_certificate_number"]
    list_filter = ["year"]
    list_select_related = ["issuing_area"]
    search_fields = ["issuing_area__name", "issuing_area__code"]
    raw_id_fields = ["issuing_area"]

    def get_readonly_fields(self, request, obj=None):
        return ["issuing_area", "year"] if obj else []
