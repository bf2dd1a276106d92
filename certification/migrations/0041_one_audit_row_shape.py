"""Every audit row gets the same shape: action, from, to, by, at, reason, level.

Existing rows keep their data: a dossier transition's action is read from its from/to states
(the only ways each pair can happen), a decision event's states from its action.
"""

import django.utils.timezone
from django.db import migrations, models

# (from, to) of a dossier transition → its action; a dossier moves between two states one way.
DOSSIER_ACTIONS = {
    ("draft", "submitted"): "submitted",
    ("returned", "submitted"): "submitted",
    ("submitted", "appraised"): "forwarded",
    ("appraised", "appraised"): "forwarded",
    ("submitted", "recommended"): "recommended",
    ("appraised", "recommended"): "recommended",
    ("submitted", "not_recommended"): "refused",
    ("appraised", "not_recommended"): "refused",
    ("submitted", "returned"): "returned",
    ("appraised", "returned"): "returned",
    ("appraised", "submitted"): "sent_down",
    ("recommended", "submitted"): "reopened",
    ("not_recommended", "submitted"): "reopened",
}
# Decision event action → (from, to).
DECISION_STATES = {
    "prepared": ("", "draft"),
    "changed": ("draft", "draft"),
    "issued": ("draft", "issued"),
    "annulled": ("issued", "issued"),
}
# Decisions acted at the level of the issuing area (a pre-2025 district: the commune's).
LEVEL_OF_AREA = {"commune": "commune", "district": "commune", "province": "province"}


def fill_in(apps, schema_editor):
    AssessmentTransition = apps.get_model("certification", "AssessmentTransition")
    for (old, new), action in DOSSIER_ACTIONS.items():
        AssessmentTransition.objects.filter(from_status=old, to_status=new).update(action=action)
    DecisionEvent = apps.get_model("certification", "DecisionEvent")
    for action, (old, new) in DECISION_STATES.items():
        DecisionEvent.objects.filter(action=action).update(from_status=old, to_status=new)
    for area_level, level in LEVEL_OF_AREA.items():
        DecisionEvent.objects.filter(decision__issuing_area__level=area_level).update(level=level)


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0040_vocabulary_of_circular_124"),
    ]

    operations = [
        migrations.AddField(
            model_name="assessmenttransition",
            name="action",
            field=models.CharField(
                choices=[
                    ("submitted", "submitted"),
                    ("forwarded", "forwarded to the province"),
                    ("recommended", "recommended"),
                    ("refused", "not recommended"),
                    ("returned", "returned to the unit"),
                    ("sent_down", "sent back to the commune police"),
                    ("reopened", "reopened"),
                ],
                default="",
                max_length=20,
                verbose_name="action",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="decisionevent",
            name="from_status",
            field=models.CharField(
                blank=True,
                choices=[("draft", "draft"), ("issued", "issued")],
                max_length=20,
                verbose_name="from",
            ),
        ),
        migrations.AddField(
            model_name="decisionevent",
            name="to_status",
            field=models.CharField(
                choices=[("draft", "draft"), ("issued", "issued")],
                default="",
                max_length=20,
                verbose_name="to",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="decisionevent",
            name="level",
            field=models.CharField(
                blank=True,
                choices=[("commune", "commune police"), ("province", "provincial police")],
                max_length=10,
                verbose_name="level",
            ),
        ),
        migrations.AddField(
            model_name="registrationevent",
            name="level",
            field=models.CharField(
                blank=True,
                choices=[("commune", "commune police"), ("province", "provincial police")],
                max_length=10,
                verbose_name="level",
            ),
        ),
        migrations.AlterField(
            model_name="assessmenttransition",
            name="at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="at"),
        ),
        migrations.AlterField(
            model_name="decisionevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("prepared", "prepared"),
                    ("changed", "changed"),
                    ("issued", "issued"),
                    ("recorded", "recorded from the paper decision"),
                    ("discarded", "discarded"),
                    ("annulled", "recognition annulled"),
                ],
                max_length=20,
                verbose_name="action",
            ),
        ),
        migrations.AlterField(
            model_name="decisionevent",
            name="at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="at"),
        ),
        migrations.AlterField(
            model_name="registrationevent",
            name="at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="at"),
        ),
        migrations.AlterModelOptions(
            name="registrationevent",
            options={
                "ordering": ["registration", "pk"],
                "verbose_name": "registration event",
                "verbose_name_plural": "registration events",
            },
        ),
        migrations.RunPython(fill_in, migrations.RunPython.noop),
    ]
