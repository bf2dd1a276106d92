"""Vietnamese search by index on PostgreSQL: trigrams over names without accents.

`antt_search_text(text)` is lower(unaccent(text)) declared IMMUTABLE so it can be indexed
(unaccent itself is only STABLE). units.search builds the same expression in queries. Nothing
happens on SQLite, where search falls back to a plain case-insensitive LIKE.
"""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE OR REPLACE FUNCTION antt_search_text(text) RETURNS text "
    "LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT "
    "AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$",
    "CREATE INDEX IF NOT EXISTS unit_name_search_idx ON units_unit "
    "USING gin (antt_search_text(name) gin_trgm_ops)",
]
DROP = [
    "DROP INDEX IF EXISTS unit_name_search_idx",
    "DROP FUNCTION IF EXISTS antt_search_text(text)",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("units", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
