from allauth.mfa.models import Authenticator
from django.core.management.base import BaseCommand
from django.db import transaction

from casereview.audit.services import audit_record
from casereview.core import crypto

# Where allauth keeps a secret in each authenticator's data.
SECRET_FIELDS = ("secret", "seed")


class Command(BaseCommand):
    help = ("Re-encrypt every authenticator secret with the newest key in CASEREVIEW_FIELD_KEYS (and encrypt any "
            "stored in the clear). Run after putting a new key first; then the old keys can be removed.")

    def handle(self, *args, **options):
        changed = 0
        with transaction.atomic():
            for authenticator in Authenticator.objects.select_for_update(of=("self",)).order_by("pk"):
                data = dict(authenticator.data)
                for field in SECRET_FIELDS:
                    if isinstance(data.get(field), str):
                        data[field] = crypto.rotate(data[field])
                if isinstance(data.get("migrated_codes"), list):
                    data["migrated_codes"] = [crypto.rotate(code) for code in data["migrated_codes"]]
                if data != authenticator.data:
                    Authenticator.objects.filter(pk=authenticator.pk).update(data=data)
                    changed += 1
            audit_record(by=None, action="security.field_keys_rotated", object_type="security.keys",
                         label="Authenticator secrets re-encrypted", detail={"authenticators": changed})
        self.stdout.write(f"Re-encrypted the secrets of {changed} authenticator(s) with the newest key.")
