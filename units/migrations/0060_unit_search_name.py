"""The unit's name without accents, stored (a generated column), and its trigram index.

The searches compared lower(unaccent(name)) computed on each row read; a common word rechecked
a large part of the country through unaccent. The database now keeps the value on every write
and the trigram index covers the stored column, replacing the expression index of 0020.
Adding a stored generated column rewrites the table once (200,000 rows: seconds).
"""

from django.db import migrations, models

import units.search


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS unit_name_search_idx")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS unit_search_name_idx ON units_unit "
            "USING gin (search_name gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS unit_search_name_idx")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS unit_name_search_idx ON units_unit "
            "USING gin (antt_search_text(name) gin_trgm_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [("units", "0050_unit_area_managing_index")]

    operations = [
        migrations.AddField(
            model_name="unit",
            name="search_name",
            field=models.GeneratedField(
                db_persist=True,
                expression=units.search.SearchText("name"),
                output_field=models.CharField(max_length=255),
            ),
        ),
        migrations.RunPython(create_index, drop_index),
    ]
