from django.core.management.base import BaseCommand
from django.db import connection, transaction

from accounts.mfa import rotate_authenticator_secrets
from core import crypto
from sessions.models import BusyCalendar, NoteRevision, Reflection, SessionNote

# Each table and its encrypted column.
ENCRYPTED_COLUMNS = [(SessionNote, "body"), (NoteRevision, "body"), (Reflection, "body"), (BusyCalendar, "url")]


class Command(BaseCommand):
    help = (
        "Re-encrypt every note, note revision, reflection, calendar link and two-factor secret with the newest key "
        "in NOTES_ENCRYPTION_KEYS (the first one). Run after putting a new key first; then the old "
        "keys can be removed."
    )

    def handle(self, *args, **options):
        total = 0
        for model, column in ENCRYPTED_COLUMNS:
            table = model._meta.db_table
            with transaction.atomic():
                # Raw values: the field would decrypt on load and re-encrypt on save anyway, but
                # working on ciphertext never holds plaintext in this process.
                rows = model.objects.select_for_update().values_list("pk", flat=True)
                with connection.cursor() as cursor:
                    for pk in rows:
                        cursor.execute(f'SELECT "{column}" FROM "{table}" WHERE id = %s', [pk])  # noqa: S608
                        (stored,) = cursor.fetchone()
                        cursor.execute(
                            f'UPDATE "{table}" SET "{column}" = %s WHERE id = %s',  # noqa: S608
                            [crypto.rotate(stored), pk],
                        )
                        total += 1
        authenticators = rotate_authenticator_secrets()
        self.stdout.write(
            self.style.SUCCESS(
                f"Re-encrypted {total} texts and calendar links and {authenticators} two-factor authenticators "
                "with the newest key."
            )
        )
