"""Registrations and dossiers store their unit's area (filled by 0111, required by 0112)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0081_merge_review_opinions_background_jobs"),
        ("units", "0030_unit_succession_and_ministry_reviewer"),
    ]

    operations = [
        migrations.AddField(
            model_name=model,
            name="area",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="units.area",
                verbose_name="area",
            ),
        )
        for model in ("registration", "assessment")
    ]
