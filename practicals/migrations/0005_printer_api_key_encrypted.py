"""OctoPrint API keys are encrypted at rest (practicals.fields): existing keys are encrypted
in place under the first key of FIELD_ENCRYPTION_KEYS."""

import django.core.validators
from django.db import migrations, models

import practicals.fields


def encrypt_keys(apps, schema_editor):
    # The historical field is a plain TextField here: read the stored text, write a token.
    Printer = apps.get_model("practicals", "Printer")
    for pk, key in Printer.objects.values_list("pk", "api_key"):
        if key:
            Printer.objects.filter(pk=pk).update(api_key=practicals.fields.encrypt(key))


def decrypt_keys(apps, schema_editor):
    Printer = apps.get_model("practicals", "Printer")
    for pk, token in Printer.objects.values_list("pk", "api_key"):
        if token:
            Printer.objects.filter(pk=pk).update(api_key=practicals.fields.decrypt(token))


class Migration(migrations.Migration):
    dependencies = [("practicals", "0004_farm_remove_single_opening_hour")]

    operations = [
        migrations.AlterField(
            model_name="printer",
            name="api_key",
            field=models.TextField(verbose_name="OctoPrint API key"),
        ),
        migrations.RunPython(encrypt_keys, decrypt_keys),
        migrations.AlterField(
            model_name='printer',
            name='api_key',
            field=practicals.fields.EncryptedTextField(validators=[django.core.validators.RegexValidator('^([0-9A-Fa-f]{32}|[A-Za-z0-9_-]{43})$', 'An OctoPrint API key has 32 hexadecimal or 43 letters, digits, - and _ characters.')], verbose_name='OctoPrint API key'),
        ),
    ]
