"""Django admin of the units app: people and roles, the area tree, units and their moves.

Writes that the services own go through units.services: new areas (create_area, so treebeard
places them in the tree), merges (merge_area), unit moves (move_unit) and roles (grant_role,
revoke_role). Changelists select their related rows up front, so a page costs the same number of
queries whatever its length.
"""

from __future__ import annotations

import zipfile

import tablib
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Length, Substr
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from import_export.forms import ExportForm
from simple_history.admin import SimpleHistoryAdmin

from units import services
from units.forms_admin import (
    AreaAdminForm,
    MergeAreaForm,
    UnitAdminForm,
    UnitsImportForm,
    UnitSuccessionForm,
)
from units.models import Area, RoleAssignment, Unit, UnitAreaChange, UnitSuccession, User
from units.pagination import BoundedPaginator
from units.resources import CSV, AreaResource, UnitResource
from units.search import IndexedNameSearchAdmin

# --- National lists -----------------------------------------------------------------------------


class RowLinksChangeList(ChangeList):
    """Each row's link carries the list's filters, as Django's does, but written once for the
    page: Django resolves every row's URL again to decide how to add them (a resolve per row)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.row_query, self.preserved_filters = self.preserved_filters, ""

    def url_for_result(self, result):
        url = super().url_for_result(result)
        return f"{url}?{self.row_query}" if self.row_query else url


class LongChangelistMixin:
    """A ModelAdmin mixin for a changelist over a national table (units, registrations,
    dossiers): it counts at most `BoundedPaginator.limit` rows of the filtered list instead of
    all of them (the pagination then says there are more), never counts the unfiltered table,
    and draws each row's action checkbox as plain HTML (the same markup as Django's widget,
    without a template rendering per row).

    50 rows a page, not Django's 100: the admin renders every cell through its generic
    display code (about 0.3 ms a row), and these lists are searched and filtered, not read
    through."""

    paginator = BoundedPaginator
    show_full_result_count = False
    list_per_page = 50

    def get_changelist(self, request, **kwargs):
        return RowLinksChangeList

    @admin.display(description=mark_safe('<input type="checkbox" id="action-toggle">'))
    def action_checkbox(self, obj):
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(gettext("Select this object for an action - {}"), str(obj)),
        )


# --- Filters ------------------------------------------------------------------------------------


class ProvinceFilter(admin.SimpleListFilter):
    """Rows in one province's subtree (matched on the indexed materialized path)."""

    title = _("province")
    parameter_name = "province"
    path_lookup = "path"

    def lookups(self, request, model_admin):
        return list(Area.objects.filter(depth=1).order_by("name").values_list("pk", "name"))

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        path = Area.objects.filter(pk=self.value()).values_list("path", flat=True).first()
        if path is None:
            return queryset.none()
        return queryset.filter(**{f"{self.path_lookup}__startswith": path})


class UnitProvinceFilter(ProvinceFilter):
    path_lookup = "area__path"


class MoveProvinceFilter(ProvinceFilter):
    """Moves into areas of one province."""

    path_lookup = "new_area__path"


class MergedFilter(admin.SimpleListFilter):
    title = _("merge status")
    parameter_name = "merged"

    def lookups(self, request, model_admin):
        return [("no", _("not merged")), ("yes", _("merged into another area"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(merged_into__isnull=True)
        if self.value() == "yes":
            return queryset.filter(merged_into__isnull=False)
        return queryset


# --- Import and export --------------------------------------------------------------------------


class UnitsImportExportMixin(ImportExportMixin):
    """CSV and XLSX only, readable messages for unreadable files, a report of every bad line."""

    import_formats = [CSV, base_formats.XLSX]
    export_formats = [CSV, base_formats.XLSX]
    import_form_class = UnitsImportForm
    # Always every column, so that an export imports again; this form also has no inline script.
    export_form_class = ExportForm
    import_template_name = "admin/units/import.html"

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, UnicodeDecodeError):
            message = gettext(
                "The file is not UTF-8 text. Save it as “CSV UTF-8 (comma delimited)”, or import "
                "the .xlsx workbook instead."
            )
        elif isinstance(e, zipfile.BadZipFile | KeyError | OSError):
            message = gettext(
                "The file is not a readable XLSX workbook (it may be damaged, protected by a "
                "password, or an old .xls file)."
            )
        elif isinstance(e, tablib.InvalidDimensions):
            message = gettext(
                "Some lines have more cells than the header line; check that the CSV file is "
                "comma-separated and that values containing commas are in quotes."
            )
        elif isinstance(e, StopIteration):
            message = gettext("The file is empty.")
        else:
            message = gettext("The file could not be read: %(error)s") % {"error": e}
        form.add_error("import_file", message)

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # The data changed between the preview and the confirmation; the import rolled back.
            messages.error(
                request,
                gettext(
                    "Nothing was imported: the file no longer imports cleanly (the data changed "
                    "since the preview). Upload it again to see the problems."
                ),
            )
            opts = self.model._meta
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_import"))
        return super().process_result(result, request)


# --- Users and roles ----------------------------------------------------------------------------


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fields = ("role", "area", "unit", "granted_at")
    readonly_fields = ("granted_at",)
    autocomplete_fields = ("area", "unit")
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("area", "unit")


def _with_phone(fieldsets):
    """Django's user fieldsets with the phone number after the e-mail address."""
    result = []
    for name, options in fieldsets:
        fields = tuple(options["fields"])
        if "email" in fields:
            fields = (*fields, "phone")
        result.append((name, {**options, "fields": fields}))
    return tuple(result)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = _with_phone(DjangoUserAdmin.fieldsets)
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Personal info"), {"fields": ("first_name", "last_name", "email", "phone")}),
    )
    list_display = ("username", "full_name", "email", "phone", "is_staff", "is_active")
    list_filter = ("is_staff", "is_superuser", "is_active", "roles__role")
    search_fields = ("username", "first_name", "last_name", "email", "phone")
    inlines = [RoleAssignmentInline]

    @admin.display(description=_("full name"), ordering="last_name")
    def full_name(self, user):
        return user.get_full_name()

    def get_inlines(self, request, obj):
        # Roles are given once the user exists (grant_role needs the saved user).
        return self.inlines if obj is not None else []

    def save_formset(self, request, form, formset, change):
        if formset.model is not RoleAssignment:
            return super().save_formset(request, form, formset, change)
        user = form.instance
        assignments = formset.save(commit=False)
        for assignment in formset.deleted_objects:
            services.revoke_role(
                assignment, by=request.user, reason=gettext("Removed in the admin")
            )
        for assignment in assignments:
            if assignment.pk is not None:
                # A changed role is the old one revoked and the new one granted.
                services.revoke_role(
                    RoleAssignment.objects.select_related("user").get(pk=assignment.pk),
                    by=request.user,
                    reason=gettext("Changed in the admin"),
                )
            services.grant_role(
                user, assignment.role, area=assignment.area, unit=assignment.unit, by=request.user
            )
        return None


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ("user", "role", "area", "unit", "granted_at")
    list_select_related = ("user", "area", "unit")
    list_filter = ("role",)
    search_fields = (
        "user__username",
        "user__first_name",
        "user__last_name",
        "user__email",
        "area__code",
        "area__name",
        "unit__code",
        "unit__name",
    )
    autocomplete_fields = ("user", "area", "unit")
    readonly_fields = ("granted_at",)

    def get_readonly_fields(self, request, obj=None):
        # A role is granted or revoked, never edited in place.
        if obj is not None:
            return ("user", "role", "area", "unit", "granted_at")
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            return
        assignment = services.grant_role(
            obj.user, obj.role, area=obj.area, unit=obj.unit, by=request.user
        )
        obj.pk = assignment.pk
        obj.granted_at = assignment.granted_at
        obj._state.adding = False

    def delete_model(self, request, obj):
        services.revoke_role(obj, by=request.user, reason=gettext("Removed in the admin"))

    def delete_queryset(self, request, queryset):
        for assignment in queryset.select_related("user"):
            services.revoke_role(
                assignment, by=request.user, reason=gettext("Removed in the admin")
            )


# --- Areas --------------------------------------------------------------------------------------


@admin.register(Area)
class AreaAdmin(UnitsImportExportMixin, SimpleHistoryAdmin):
    form = AreaAdminForm
    resource_classes = [AreaResource]
    list_display = (
        "indented_name",
        "code",
        "level",
        "kind",
        "parent_name",
        "valid_from",
        "valid_to",
        "merged_into",
    )
    list_display_links = ("indented_name",)
    list_select_related = ("merged_into",)
    list_filter = ("level", "kind", MergedFilter, ProvinceFilter)
    search_fields = ("code", "name")
    autocomplete_fields = ("merged_into",)
    ordering = ("path",)
    list_per_page = 100
    actions = ["merge_into_another_area"]

    def get_queryset(self, request):
        # The parent's name, read in the same query: its path is this path less one step.
        parent_name = Area.objects.filter(
            path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Area.steplen)
        ).values("name")[:1]
        return super().get_queryset(request).annotate(parent_name=Subquery(parent_name))

    @admin.display(description=_("name"), ordering="path")
    def indented_name(self, area):
        return f"{'— ' * (area.depth - 1)}{area.name}"

    @admin.display(description=_("parent area"))
    def parent_name(self, area):
        return area.parent_name or "—"

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("parent", "code", "name", "level", "kind", "valid_from", "valid_to")
        return (
            "code",
            "name",
            "level",
            "kind",
            "parent_name",
            "valid_from",
            "valid_to",
            "merged_into",
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("parent_name", "merged_into")

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if (
            request.GET.get("field_name") == "merged_into"
            and request.GET.get("model_name") == "area"
        ):
            # The merge target (autocomplete of the merge page) cannot be an area merged away.
            queryset = queryset.filter(merged_into__isnull=True)
        return queryset, may_have_duplicates

    def has_delete_permission(self, request, obj=None):
        # Deleting a node deletes its subtree: only leaves may go. Areas normally end by a merge.
        if obj is not None and obj.numchild:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        # The bulk delete would take whole subtrees with it.
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["code", "name", "level", "kind", "valid_from", "valid_to"])
            return
        parent = form.cleaned_data.get("parent")
        created = services.create_area(
            parent=Area.objects.get(pk=parent.pk) if parent else None,
            code=obj.code,
            name=obj.name,
            level=obj.level,
            kind=obj.kind,
            valid_from=obj.valid_from,
            by=request.user,
        )
        if obj.valid_to:
            created.valid_to = obj.valid_to
            created.save(update_fields=["valid_to"])
        for attribute in ("pk", "path", "depth", "numchild"):
            setattr(obj, attribute, getattr(created, attribute))
        obj._state.adding = False

    @admin.action(description=_("Merge into another area"), permissions=["change"])
    def merge_into_another_area(self, request, queryset):
        sources = list(queryset.annotate(unit_count=Count("units")).order_by("path"))
        form = MergeAreaForm(
            request.POST if "apply" in request.POST else None, admin_site=self.admin_site
        )
        if form.is_bound and form.is_valid():
            into = form.cleaned_data["into"]
            source = None
            try:
                with transaction.atomic():
                    for source in sources:
                        services.merge_area(
                            source,
                            into,
                            on=form.cleaned_data["on"],
                            reason=form.cleaned_data["reason"],
                            by=request.user,
                        )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(
                        request,
                        gettext("Could not merge “%(area)s”: %(message)s Nothing was changed.")
                        % {"area": source.name, "message": message},
                    )
            else:
                self.message_user(
                    request,
                    ngettext(
                        "Merged %(count)d area into “%(into)s”.",
                        "Merged %(count)d areas into “%(into)s”.",
                        len(sources),
                    )
                    % {"count": len(sources), "into": into.name},
                    messages.SUCCESS,
                )
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Merge into another area"),
            "opts": self.model._meta,
            "areas": sources,
            "form": form,
            "media": self.media + form.media,
            "action_name": "merge_into_another_area",
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/units/area/merge_into.html", context)


# --- Units --------------------------------------------------------------------------------------


class UnitSuccessionInline(admin.TabularInline):
    """The residential areas this unit absorbed; recorded through services.record_succession
    (the absorbed unit stops taking part that day), never edited or deleted afterwards."""

    model = UnitSuccession
    fk_name = "successor"
    form = UnitSuccessionForm
    extra = 0
    can_delete = False
    autocomplete_fields = ("predecessor",)
    readonly_fields = ("recorded_by", "recorded_at")
    verbose_name = _("absorbed residential area")
    verbose_name_plural = _("absorbed residential areas (lineage)")

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Unit)
class UnitAdmin(
    LongChangelistMixin, IndexedNameSearchAdmin, UnitsImportExportMixin, SimpleHistoryAdmin
):
    form = UnitAdminForm
    resource_classes = [UnitResource]
    list_display = (
        "name",
        "code",
        "unit_type",
        "subtype_display",
        "area",
        "managing_level",
        "active_from",
        "active_to",
    )
    list_select_related = ("area",)
    list_filter = ("unit_type", "managing_level", "is_armed_forces", UnitProvinceFilter)
    search_fields = ("code", "name")  # see IndexedNameSearchAdmin
    autocomplete_fields = ("area",)

    @admin.display(description=_("detail"))
    def subtype_display(self, unit):
        return unit.subtype_display

    def get_fields(self, request, obj=None):
        fields = [
            "code",
            "name",
            "unit_type",
            "residential_subtype",
            "enterprise_size",
            "school_level",
            "is_armed_forces",
            "area",
        ]
        if obj is not None:
            fields += ["area_change_on", "area_change_reason"]
        return [
            *fields,
            "managing_level",
            "delegated_one_level_down",
            "address",
            "contact_email",
            "contact_phone",
            "active_from",
            "active_to",
        ]

    def get_inlines(self, request, obj):
        return [UnitSuccessionInline] if obj is not None else []

    def save_formset(self, request, form, formset, change):
        if formset.model is not UnitSuccession:
            super().save_formset(request, form, formset, change)
            return
        # The admin's change message reads what a formset saved.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.extra_forms:
            if row.has_changed() and row.cleaned_data.get("predecessor"):
                formset.new_objects += services.record_succession(
                    form.instance,
                    [row.cleaned_data["predecessor"]],
                    on=row.cleaned_data["merged_on"],
                    reason=row.cleaned_data["reason"].strip(),
                    by=request.user,
                )

    def save_model(self, request, obj, form, change):
        # Through the services, which keep the unit counters in the same transaction.
        if not (change and form.area_changed):
            services.save_unit(obj, by=request.user)
            return
        # The move goes through the service so that it is recorded (UnitAreaChange).
        new_area = obj.area
        obj.area_id = form.initial["area"]
        services.save_unit(obj, by=request.user)
        services.move_unit(
            obj,
            new_area,
            on=form.cleaned_data["area_change_on"],
            reason=form.cleaned_data["area_change_reason"].strip(),
            by=request.user,
        )
        obj.area = new_area


@admin.register(UnitAreaChange)
class UnitAreaChangeAdmin(admin.ModelAdmin):
    """The record of unit moves: written by the services, read here."""

    list_display = ("unit", "old_area", "new_area", "changed_on", "changed_by", "recorded_at")
    list_select_related = ("unit", "old_area", "new_area", "changed_by")
    list_filter = ("changed_on", MoveProvinceFilter)
    search_fields = ("unit__code", "unit__name", "old_area__name", "new_area__name", "reason")
    autocomplete_fields = ("unit", "old_area", "new_area", "changed_by")
    date_hierarchy = "changed_on"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
