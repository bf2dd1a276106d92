"""The certificate's unit and area names without accents, stored, and their trigram index.

The public register's search called unaccent twice a row (unit name, area name) for every
candidate; the database now keeps one value with both names on every write, and one trigram
index over it replaces the two expression indexes of 0033 / 0034. Adding a stored generated
column rewrites the table once (650,000 rows on the national data set: seconds).
"""

import django.db.models.functions.text
from django.db import migrations, models

import units.search


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS certificate_name_search_idx")
        schema_editor.execute("DROP INDEX IF EXISTS certificate_area_search_idx")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS certificate_search_words_idx ON certification_certificate "
            "USING gin (search_words gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS certificate_search_words_idx")
        for name, column in (
            ("certificate_name_search_idx", "unit_name"),
            ("certificate_area_search_idx", "area_name"),
        ):
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON certification_certificate "
                f"USING gin (antt_search_text({column}) gin_trgm_ops)"
            )


class Migration(migrations.Migration):
    dependencies = [("certification", "0114_recommended_dossiers_index")]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="search_words",
            field=models.GeneratedField(
                db_persist=True,
                expression=units.search.SearchText(
                    django.db.models.functions.text.Concat(
                        "unit_name", models.Value(" "), "area_name"
                    )
                ),
                output_field=models.CharField(max_length=456),
            ),
        ),
        migrations.RunPython(create_index, drop_index),
    ]
