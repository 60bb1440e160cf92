"""Re-encrypt every encrypted value under the first key of FIELD_ENCRYPTION_KEYS.

Rotation: put the new key first in FIELD_ENCRYPTION_KEYS (keep the old ones after it),
restart, run this command, then remove the old keys. Safe to run again.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from practicals.fields import EncryptedTextField


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field value under the newest key."

    def handle(self, *args, **options):
        total = 0
        for model in apps.get_models():
            for field in model._meta.concrete_fields:
                if not isinstance(field, EncryptedTextField):
                    continue
                manager = model._default_manager
                with transaction.atomic():
                    # Reading decrypts with whichever key opens the value; writing encrypts
                    # with the first key.
                    for pk, value in manager.select_for_update().values_list("pk", field.attname):
                        if value:
                            manager.filter(pk=pk).update(**{field.attname: value})
                            total += 1
        self.stdout.write(f"{total} value(s) re-encrypted under the newest key.")
