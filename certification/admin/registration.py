"""Admin for registrations: read the record and its timeline; changes go through the portal."""

from django.contrib import admin

from certification.models import Registration, RegistrationDocument, RegistrationEvent
from units.admin import LongChangelistMixin
from units.search import IndexedNameSearchAdmin


class RegistrationDocumentInline(admin.TabularInline):
    model = RegistrationDocument
    extra = 0
    can_delete = False
    fields = ["kind", "original_name", "document_date", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class RegistrationEventInline(admin.TabularInline):
    model = RegistrationEvent
    extra = 0
    can_delete = False
    fields = ["at", "action", "from_status", "to_status", "level", "by", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Registration)
class RegistrationAdmin(LongChangelistMixin, IndexedNameSearchAdmin, admin.ModelAdmin):
    list_display = ["unit", "cycle", "status", "receipt_code", "submitted_at"]
    list_filter = ["status", "cycle__year", "unit__unit_type"]
    list_select_related = ["unit", "cycle__province"]
    search_fields = ["unit__name", "unit__code", "receipt_code"]  # see IndexedNameSearchAdmin
    name_search_field = "unit__search_name"
    code_search_fields = ("unit__code", "receipt_code")
    # Newest first from the primary key, and no count of the whole country on each page.
    ordering = ["-pk"]
    show_full_result_count = False
    inlines = [RegistrationDocumentInline, RegistrationEventInline]
    # The workflow (submit, acknowledge, return) happens in the portal, where it is recorded.
    readonly_fields = [field.name for field in Registration._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
