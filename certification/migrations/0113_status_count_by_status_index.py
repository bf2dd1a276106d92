from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("certification", "0112_stored_area_required")]

    operations = [
        migrations.AddIndex(
            model_name="statuscount",
            index=models.Index(
                fields=["kind", "cycle", "status"],
                include=["n"],
                name="status_count_by_status_idx",
            ),
        ),
    ]
