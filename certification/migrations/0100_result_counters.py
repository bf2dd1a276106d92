"""The status counters also count yearly results (per cycle, area and result), filled by one
INSERT ... SELECT."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0081_merge_review_opinions_background_jobs"),
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
    ]
