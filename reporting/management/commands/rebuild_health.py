from django.core.management.base import BaseCommand

from reporting.health import store


class Command(BaseCommand):
    help = (
        "Recompute the stored health of every engagement (reporting.health.store). Run after a "
        "change to the health rules, or after inserting engagements or sessions in bulk."
    )

    def handle(self, *args, **options):
        count = store.rebuild()
        self.stdout.write(self.style.SUCCESS(f"Recomputed the health of {count} engagements."))
