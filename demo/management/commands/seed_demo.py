from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo import seed as demo


class Command(BaseCommand):
    help = (
        "Create the invented demo data that is missing (consultancy, mentors, client organisations, "
        "mentees); what exists is left as it is, so it is safe to run repeatedly. Every demo password is "
        "'mentorship-demo'."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even when DEBUG is off (never on a real production database)."
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG is off: refusing to load demo data. Use --force if you really mean it.")
        demo.seed_all()
        self.stdout.write(self.style.SUCCESS("Demo data is in place. Sign in as admin@example.com / mentorship-demo."))
