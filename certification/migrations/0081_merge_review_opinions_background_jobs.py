# Joins the review opinions (0080) with main's line (counters and background jobs, 0072), both
# made from 0044.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0080_review_opinions"),
        ("certification", "0072_merge_background_jobs"),
    ]

    operations = []
