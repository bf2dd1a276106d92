"""The stored area is required, and the scope's reads have their indexes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("certification", "0111_fill_stored_area")]

    operations = [
        *(
            migrations.AlterField(
                model_name=model,
                name="area",
                field=models.ForeignKey(
                    editable=False,
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="+",
                    to="units.area",
                    verbose_name="area",
                ),
            )
            for model in ("registration", "assessment")
        ),
        migrations.AddIndex(
            model_name="assessment",
            index=models.Index(
                condition=models.Q(("status__in", ("submitted", "appraised"))),
                fields=["area", "review_due_on", "id"],
                name="assessment_area_held_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="assessment",
            index=models.Index(
                fields=["cycle", "area", "review_due_on", "id"], name="assessment_area_due_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="registration",
            index=models.Index(
                fields=["cycle", "area", "status", "submitted_at", "id"],
                name="registration_area_order_idx",
            ),
        ),
    ]
