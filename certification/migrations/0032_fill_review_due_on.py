"""Fills the stored review due date of every existing dossier (see Assessment.review_due_on)."""

from django.db import migrations


def fill_review_due_on(apps, schema_editor):
    # One UPDATE per calendar row (cycles × unit types), then one per review extension.
    Assessment = apps.get_model("certification", "Assessment")
    CycleCalendar = apps.get_model("certification", "CycleCalendar")
    DeadlineExtension = apps.get_model("certification", "DeadlineExtension")
    for calendar in CycleCalendar.objects.all():
        Assessment.objects.filter(
            cycle_id=calendar.cycle_id, unit__unit_type=calendar.unit_type
        ).update(review_due_on=calendar.review_due_on)
    for extension in DeadlineExtension.objects.filter(step="review"):
        Assessment.objects.filter(cycle_id=extension.cycle_id, unit_id=extension.unit_id).update(
            review_due_on=extension.due_on
        )


class Migration(migrations.Migration):
    dependencies = [("certification", "0031_review_due_on_stored")]

    operations = [migrations.RunPython(fill_review_due_on, migrations.RunPython.noop)]
