"""The status counters also count yearly results (per cycle, area and result), and count
registrations at the level in charge of their unit (the home page's "registrations to
acknowledge" reads them): each filled by one INSERT ... SELECT.
"""

from django.db import migrations, models

REGISTRATIONS_AT = (
    "INSERT INTO certification_statuscount (kind, cycle_id, area_id, level, status, n) "
    "SELECT 'registration', r.cycle_id, r.area_id, {level}, r.status, COUNT(*) "
    "FROM certification_registration r JOIN units_unit u ON u.id = r.unit_id "
    "GROUP BY 2, 3, 4, 5"
)
# units.jurisdiction.level_in_charge_of: the commune when the province delegated the unit.
IN_CHARGE = (
    "CASE WHEN u.managing_level = 'province' AND u.delegated_one_level_down "
    "THEN 'commune' ELSE u.managing_level END"
)
DROP_REGISTRATIONS = "DELETE FROM certification_statuscount WHERE kind = 'registration'"


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0120_certificate_search_words"),
    ]

    operations = [
        migrations.AlterField(
            model_name="statuscount",
            name="kind",
            field=models.CharField(
                choices=[
                    ("registration", "registration"),
                    ("dossier", "dossier"),
                    ("result", "yearly result"),
                ],
                max_length=12,
                verbose_name="counted",
            ),
        ),
        migrations.RunSQL(
            "INSERT INTO certification_statuscount (kind, cycle_id, area_id, level, status, n) "
            "SELECT 'result', r.cycle_id, u.area_id, '', r.result, COUNT(*) "
            "FROM certification_yearlyresult r JOIN units_unit u ON u.id = r.unit_id "
            "GROUP BY r.cycle_id, u.area_id, r.result",
            "DELETE FROM certification_statuscount WHERE kind = 'result'",
        ),
        migrations.RunSQL(
            [DROP_REGISTRATIONS, REGISTRATIONS_AT.format(level=IN_CHARGE)],
            [DROP_REGISTRATIONS, REGISTRATIONS_AT.format(level="''")],
        ),
    ]
