"""The public register's search by index on PostgreSQL (see units 0020_search_text)."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS certificate_name_search_idx ON certification_certificate "
            "USING gin (antt_search_text(unit_name) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS certificate_name_search_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0032_fill_review_due_on"),
        ("units", "0020_search_text"),
    ]

    operations = [migrations.RunPython(create, drop)]
