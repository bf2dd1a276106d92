from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("certification", "0113_status_count_by_status_index")]

    operations = [
        migrations.AddIndex(
            model_name="assessment",
            index=models.Index(
                condition=models.Q(("status", "recommended")),
                fields=["unit", "cycle"],
                name="assessment_recommended_idx",
            ),
        ),
    ]
