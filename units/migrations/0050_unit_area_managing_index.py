from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("units", "0030_unit_succession_and_ministry_reviewer")]

    operations = [
        migrations.AddIndex(
            model_name="unit",
            index=models.Index(
                fields=["area", "managing_level", "delegated_one_level_down"],
                name="unit_area_managing_idx",
            ),
        ),
    ]
