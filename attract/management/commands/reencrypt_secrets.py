"""Re-encrypt every stored secret with the newest key of ATTRACT_ENCRYPTION_KEYS.

After putting a new key first in ATTRACT_ENCRYPTION_KEYS (keeping the old ones after it), run this
command; once it reports no failures the old keys can be removed from the setting.
"""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Model, TextField
from django.db.models.functions import Cast

from attract import crypto


class Command(BaseCommand):
    help = "Re-encrypt every EncryptedTextField value with the newest encryption key."

    def handle(self, *args, **options) -> None:
        rotated = failed = 0
        for model, name in encrypted_fields():
            done, bad = self._rotate_column(model, name)
            rotated, failed = rotated + done, failed + bad
            if done or bad:
                label = f"{model._meta.label}.{name}"
                self.stdout.write(f"{label}: {done} re-encrypted, {bad} unreadable")
        self.stdout.write(f"{rotated} secrets re-encrypted with the newest key.")
        if failed:
            raise CommandError(
                f"{failed} secrets could not be decrypted with any configured key; "
                "keep the old keys until they are fixed."
            )

    def _rotate_column(self, model: type[Model], name: str) -> tuple[int, int]:
        done = bad = 0
        # Cast reads the stored token itself, not the field's decrypted value.
        rows = (
            model._default_manager.exclude(**{name: ""})
            .exclude(**{f"{name}__isnull": True})
            .annotate(_raw=Cast(name, output_field=TextField()))
            .values_list("pk", "_raw")
        )
        for pk, raw in rows.iterator():
            try:
                plaintext = crypto.decrypt(raw)
            except crypto.DecryptionError:
                bad += 1
                continue
            with transaction.atomic():
                # The field encrypts on the way in, always with the newest key.
                model._default_manager.filter(pk=pk).update(**{name: plaintext})
            done += 1
        return done, bad


def encrypted_fields() -> list[tuple[type[Model], str]]:
    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, crypto.EncryptedTextField)
    ]
