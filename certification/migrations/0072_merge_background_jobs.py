# Joins the status counters (0070, 0071) with the background jobs (0090), both made from 0044.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0071_held_due_index"),
        ("certification", "0090_background_jobs"),
    ]

    operations = []
