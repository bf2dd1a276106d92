"""Each registration and dossier takes its unit's area: one UPDATE ... FROM per table (900,000
rows in seconds; SQLite 3.33+ reads it too). Its own migration, so the deferred foreign-key
checks of the filled rows are done before 0112 alters the column."""

from django.db import migrations

FILL = """
UPDATE {table} SET area_id = units_unit.area_id
FROM units_unit
WHERE units_unit.id = {table}.unit_id
"""


class Migration(migrations.Migration):
    dependencies = [("certification", "0110_stored_area")]

    operations = [
        migrations.RunSQL(FILL.format(table=table), migrations.RunSQL.noop)
        for table in ("certification_registration", "certification_assessment")
    ]
