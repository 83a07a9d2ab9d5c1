from django.core.management.base import BaseCommand

from sessions import due_store


class Command(BaseCommand):
    help = (
        "Recompute the stored due dates the reminder sweep reads (sessions.due_store). Run after a "
        "change to the cadence settings, the public holidays or the summer pause."
    )

    def handle(self, *args, **options):
        count = due_store.rebuild()
        self.stdout.write(self.style.SUCCESS(f"Recomputed the due dates of {count} engagements."))
