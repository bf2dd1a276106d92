"""Admin for cycles, their calendars and per-unit extensions."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from certification.models import Cycle, CycleCalendar, DeadlineExtension
from certification.services.cycles import (
    create_next_year_cycle,
    grant_extension,
    refresh_review_due_dates,
)


class CycleCalendarInline(admin.TabularInline):
    model = CycleCalendar
    extra = 0
    max_num = 5
    can_delete = False


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ["year", "province", "criteria_set", "grace_days", "receipt_counter"]
    list_filter = ["year", "criteria_set"]
    list_select_related = ["province", "criteria_set"]
    search_fields = ["year", "province__name", "criteria_set__title"]
    autocomplete_fields = ["province"]
    readonly_fields = ["receipt_counter", "created_at"]
    inlines = [CycleCalendarInline]
    actions = ["create_next_year"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A calendar edited in the inline moves the stored due date of the cycle's dossiers.
        refresh_review_due_dates(form.instance)

    @admin.action(description=_("Create next year's cycle (dates shifted by a year)"))
    def create_next_year(self, request, queryset):
        created = 0
        for cycle in queryset.select_related("province"):
            try:
                create_next_year_cycle(cycle, by=request.user)
                created += 1
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
        if created:
            self.message_user(
                request,
                ngettext("Created %(count)d cycle.", "Created %(count)d cycles.", created)
                % {"count": created},
                messages.SUCCESS,
            )


@admin.register(DeadlineExtension)
class DeadlineExtensionAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "cycle", "step", "due_on", "granted_by", "granted_at"]
    list_filter = ["step", "cycle__year"]
    list_select_related = ["unit", "cycle__province", "granted_by"]
    search_fields = ["unit__name", "unit__code", "reason"]
    autocomplete_fields = ["unit", "cycle"]
    readonly_fields = ["granted_by", "granted_at"]

    def save_model(self, request, obj, form, change):
        try:
            saved = grant_extension(
                obj.cycle, obj.unit, obj.step, due_on=obj.due_on, reason=obj.reason, by=request.user
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        obj.pk = saved.pk
