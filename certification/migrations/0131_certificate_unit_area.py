"""The certificate keeps its unit's area today (the public register's province and commune
filters, read from an index instead of a join through every unit of the province)."""

import django.db.models.deletion
from django.db import migrations, models

FILL = {
    # One UPDATE … FROM (a hash join), not a subquery per certificate.
    "postgresql": (
        "UPDATE certification_certificate AS certificate SET unit_area_id = unit.area_id "
        "FROM units_unit AS unit WHERE unit.id = certificate.unit_id"
    ),
    "sqlite": (
        "UPDATE certification_certificate SET unit_area_id = ("
        "SELECT area_id FROM units_unit WHERE units_unit.id = certification_certificate.unit_id)"
    ),
}


def fill_unit_area(apps, schema_editor):
    schema_editor.execute(FILL[schema_editor.connection.vendor])


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0130_dossier_page_indexes"),
        ("units", "0070_unit_type_name_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="unit_area",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="units.area",
                verbose_name="unit's area",
            ),
        ),
        migrations.RunPython(fill_unit_area, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="certificate",
            name="unit_area",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="units.area",
                verbose_name="unit's area",
            ),
        ),
        migrations.AddIndex(
            model_name="certificate",
            index=models.Index(
                fields=["unit_area", "-year", "area_name", "unit_name", "id"],
                name="certificate_area_newest_idx",
            ),
        ),
    ]
