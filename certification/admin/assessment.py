"""Admin for dossiers and yearly results: the whole record, read-only.

Every step of a dossier is a service call recorded in its timeline, so the admin shows the
record and changes nothing; yearly results are written by the decision step.
"""

from django.contrib import admin

from certification.models import (
    Assessment,
    AssessmentAnswer,
    AssessmentDocument,
    AssessmentSnapshot,
    AssessmentTransition,
    CriterionReturn,
    YearlyResult,
)
from units.admin import LongChangelistMixin
from units.search import IndexedNameSearchAdmin


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class TransitionInline(ReadOnlyInline):
    model = AssessmentTransition
    fields = ["at", "action", "from_status", "to_status", "level", "round", "by", "reason"]
    ordering = ["at", "pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


class AnswerInline(ReadOnlyInline):
    model = AssessmentAnswer
    fields = ["criterion", "answer", "note", "note_copied", "figures", "items", "updated_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("criterion")


class ReturnInline(ReadOnlyInline):
    model = CriterionReturn
    fields = ["round", "criterion", "reason", "by", "at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("criterion", "by")


class DocumentInline(ReadOnlyInline):
    model = AssessmentDocument
    fields = ["kind", "criterion", "original_name", "content_type", "size", "uploaded_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("criterion", "uploaded_by")


class SnapshotInline(ReadOnlyInline):
    model = AssessmentSnapshot
    fields = ["round", "submitted_at", "answers"]


@admin.register(Assessment)
class AssessmentAdmin(LongChangelistMixin, IndexedNameSearchAdmin, admin.ModelAdmin):
    list_display = ["unit", "cycle", "status", "awaiting_level", "round", "submitted_at"]
    list_filter = ["status", "awaiting_level", "cycle__year", "unit__unit_type"]
    list_select_related = ["unit", "cycle__province"]
    search_fields = ["unit__name", "unit__code"]  # see IndexedNameSearchAdmin
    name_search_field = "unit__search_name"
    code_search_fields = ("unit__code",)
    # Newest first from the primary key, and no count of the whole country on each page.
    ordering = ["-pk"]
    show_full_result_count = False
    # The timeline first: it is what an administrator opens a dossier for.
    inlines = [TransitionInline, ReturnInline, AnswerInline, DocumentInline, SnapshotInline]
    readonly_fields = [field.name for field in Assessment._meta.fields]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("unit", "cycle__province")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(YearlyResult)
class YearlyResultAdmin(admin.ModelAdmin):
    list_display = ["unit", "cycle", "result", "decided_on"]
    list_filter = ["result", "cycle__year", "unit__unit_type"]
    list_select_related = ["unit", "cycle__province"]
    search_fields = ["unit__name", "unit__code"]
    readonly_fields = [field.name for field in YearlyResult._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
