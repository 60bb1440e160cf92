from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("practicals", "0003_farm_opening_hours_and_materials_data")]

    operations = [
        migrations.RemoveConstraint(
            model_name='farm',
            name='farm_opening_before_closing',
        ),
        migrations.RemoveField(
            model_name='farm',
            name='closing_hour',
        ),
        migrations.RemoveField(
            model_name='farm',
            name='opening_hour',
        ),
    ]
