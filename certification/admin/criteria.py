"""Admin for criteria sets and their criteria.

A published set is frozen: its change page, its criteria and their pages are read-only, and a
change means a new version (the action "Create a new version (draft)"), edited as a draft and
published in turn. Publishing and versioning go through certification.services.criteria.
Changelists select or annotate their related rows up front, so a page costs the same number of
queries whatever its length.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from certification.models import CriteriaSet, CriteriaSetStatus, Criterion
from certification.services import criteria as services
from units.models import AreaLevel

# --- Forms --------------------------------------------------------------------------------------


def _check_still_editable(criteria_set_pk) -> None:
    """Re-reads the set, so a set published since the page was opened is refused, not changed."""
    if criteria_set_pk is None:
        return
    stored = CriteriaSet.objects.filter(pk=criteria_set_pk).first()
    if stored is not None:
        services.ensure_editable(stored)


class CriteriaSetAdminForm(forms.ModelForm):
    class Meta:
        model = CriteriaSet
        fields = (
            "code",
            "version",
            "title",
            "legal_basis",
            "effective_from",
            "effective_to",
            "province",
            "exclusion_rule",
        )

    def clean_province(self):
        province = self.cleaned_data.get("province")
        if province is not None and province.level != AreaLevel.PROVINCE:
            raise ValidationError(
                gettext("“%(area)s” is not a province; provincial additions belong to a province.")
                % {"area": province}
            )
        return province

    def clean(self):
        cleaned_data = super().clean()
        _check_still_editable(self.instance.pk)
        return cleaned_data


class CriterionAdminForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = (
            "criteria_set",
            "unit_type",
            "number",
            "title",
            "kind",
            "text",
            "parameters",
            "evidence_expected",
            "text_to_verify",
            "verification_note",
        )

    def clean(self):
        cleaned_data = super().clean()
        _check_still_editable(self.instance.criteria_set_id if self.instance.pk else None)
        chosen = cleaned_data.get("criteria_set")
        if chosen is not None:
            _check_still_editable(chosen.pk)
        return cleaned_data


def _is_frozen(criteria_set: CriteriaSet | None) -> bool:
    return criteria_set is not None and criteria_set.is_published


# --- Criteria sets ------------------------------------------------------------------------------


class CriterionInline(admin.TabularInline):
    """The criteria of a set in short; each criterion's own page holds its parameters."""

    model = Criterion
    fields = ("unit_type", "number", "title", "kind", "text", "text_to_verify")
    ordering = ("unit_type", "number")
    extra = 0
    show_change_link = True
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}

    # `obj` is the criteria set being shown: a published one gets no add, change or delete.
    def has_add_permission(self, request, obj):
        return not _is_frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not _is_frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _is_frozen(obj) and super().has_delete_permission(request, obj)


@admin.register(CriteriaSet)
class CriteriaSetAdmin(admin.ModelAdmin):
    form = CriteriaSetAdminForm
    list_display = (
        "title",
        "code",
        "version",
        "status",
        "legal_basis",
        "effective_from",
        "effective_to",
        "province",
        "criteria_count",
        "criteria_to_verify",
        "published_at",
    )
    list_display_links = ("title",)
    list_filter = (
        "status",
        "legal_basis",
        ("province", admin.RelatedOnlyFieldListFilter),
        "exclusion_rule",
    )
    list_select_related = ("province",)
    search_fields = ("code", "title", "legal_basis")
    autocomplete_fields = ("province",)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "code",
                    "version",
                    "title",
                    "legal_basis",
                    ("effective_from", "effective_to"),
                    "province",
                    "exclusion_rule",
                )
            },
        ),
        (
            _("Publication"),
            {"fields": ("status", "previous_version", "published_at", "published_by")},
        ),
    )
    inlines = [CriterionInline]
    actions = ["publish", "create_new_version"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                criteria_count=Count("criteria"),
                criteria_to_verify=Count("criteria", filter=Q(criteria__text_to_verify=True)),
            )
        )

    @admin.display(description=_("criteria"), ordering="criteria_count")
    def criteria_count(self, criteria_set):
        return criteria_set.criteria_count

    @admin.display(description=_("criteria to verify"), ordering="criteria_to_verify")
    def criteria_to_verify(self, criteria_set):
        return criteria_set.criteria_to_verify

    def get_readonly_fields(self, request, obj=None):
        # Status and publication change only through the actions; a version keeps its identity.
        fields = ("status", "previous_version", "published_at", "published_by")
        if obj is not None:
            fields = ("code", "version", *fields)
        return fields

    def has_change_permission(self, request, obj=None):
        return not _is_frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _is_frozen(obj) and super().has_delete_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            # The page's own permission is per object; the actions need only the model's.
            "can_run_actions": self.has_change_permission(request),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description=_("Publish"), permissions=["change"])
    def publish(self, request, queryset):
        published = 0
        for criteria_set in queryset:
            try:
                services.publish_criteria_set(criteria_set, by=request.user, now=timezone.now())
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                published += 1
        if published:
            messages.success(
                request,
                ngettext(
                    "%(count)d criteria set published.",
                    "%(count)d criteria sets published.",
                    published,
                )
                % {"count": published},
            )

    @admin.action(description=_("Create a new version (draft)"), permissions=["change"])
    def create_new_version(self, request, queryset):
        created = []
        for criteria_set in queryset:
            try:
                created.append(services.create_new_version(criteria_set, by=request.user))
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        for draft in created:
            messages.success(
                request,
                gettext("Draft “%(draft)s” created; change it, then publish it.")
                % {"draft": draft},
            )
        if len(created) == 1:
            return HttpResponseRedirect(
                reverse("admin:certification_criteriaset_change", args=[created[0].pk])
            )
        return None


# --- Criteria -----------------------------------------------------------------------------------


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    form = CriterionAdminForm
    list_display = (
        "number",
        "title",
        "unit_type",
        "kind",
        "text_to_verify",
        "criteria_set",
    )
    list_display_links = ("number", "title")
    list_filter = (
        "text_to_verify",
        "kind",
        "unit_type",
        "criteria_set__status",
        "criteria_set",
    )
    list_select_related = ("criteria_set",)
    search_fields = ("title", "text", "verification_note", "criteria_set__code")
    ordering = ("criteria_set__code", "-criteria_set__version", "unit_type", "number")
    fieldsets = (
        (None, {"fields": ("criteria_set", "unit_type", "number", "title", "kind")}),
        # Second, so an administrator sees at once whether the wording can be relied on.
        (_("Wording to verify"), {"fields": ("text_to_verify", "verification_note")}),
        (None, {"fields": ("text", "evidence_expected")}),
        (
            _("Automatic checks"),
            {
                "fields": ("parameters",),
                "description": _(
                    "What the portal checks by itself, as JSON: documents and their due date, "
                    "shares of members or child units, items of events, figures compared with "
                    "the previous year, ratings."
                ),
            },
        ),
    )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "criteria_set":
            # Criteria are added only to drafts; a published set is frozen.
            kwargs["queryset"] = CriteriaSet.objects.filter(status=CriteriaSetStatus.DRAFT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        frozen = obj is not None and _is_frozen(obj.criteria_set)
        return not frozen and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        frozen = obj is not None and _is_frozen(obj.criteria_set)
        return not frozen and super().has_delete_permission(request, obj)

    def get_queryset(self, request):
        # The change page asks the set's status for the permissions: fetch it with the criterion.
        return super().get_queryset(request).select_related("criteria_set")
