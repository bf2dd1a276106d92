"""The unit counters (units without dates per area and type), filled by one INSERT ... SELECT,
and the partial index the home page reads the few units with dates through."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0060_unit_search_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="UnitCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "unit_type",
                    models.CharField(
                        choices=[
                            ("residential_area", "residential area"),
                            ("commune", "commune-level unit"),
                            ("agency", "agency"),
                            ("enterprise", "enterprise"),
                            ("school", "school"),
                        ],
                        max_length=30,
                        verbose_name="unit type",
                    ),
                ),
                ("n", models.IntegerField(default=0, verbose_name="number")),
            ],
            options={
                "verbose_name": "unit counter",
                "verbose_name_plural": "unit counters",
            },
        ),
        migrations.AddIndex(
            model_name="unit",
            index=models.Index(
                condition=models.Q(
                    ("active_from__isnull", False), ("active_to__isnull", False), _connector="OR"
                ),
                fields=["area"],
                name="unit_dated_area_idx",
            ),
        ),
        migrations.AddField(
            model_name="unitcount",
            name="area",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="units.area",
                verbose_name="area",
            ),
        ),
        migrations.AddConstraint(
            model_name="unitcount",
            constraint=models.UniqueConstraint(fields=("area", "unit_type"), name="unit_count_key"),
        ),
        migrations.RunSQL(
            "INSERT INTO units_unitcount (area_id, unit_type, n) "
            "SELECT area_id, unit_type, COUNT(*) FROM units_unit "
            "WHERE active_from IS NULL AND active_to IS NULL GROUP BY area_id, unit_type",
            migrations.RunSQL.noop,
        ),
    ]
