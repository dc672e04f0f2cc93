from datetime import date

from django.core.management.base import BaseCommand, CommandError

from casereview.lib.dates import today as board_today


class Command(BaseCommand):
    help = ("Send reminders before and on each review's target completion date and each agency's information "
            "deadline. Safe to run more than once a day: nothing is sent twice. The worker runs the same job each "
            "morning.")

    def add_arguments(self, parser):
        parser.add_argument("--today", default="", metavar="YYYY-MM-DD",
                            help="Act as if today were this date (for checking what would be sent)")

    def handle(self, *args, **options):
        from casereview.reviews.services.reminders import reminders_send

        today = board_today()
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError(f"'{options['today']}' is not a date: give it as YYYY-MM-DD") from None
        counts = reminders_send(today=today)
        self.stdout.write(f"Review completion reminders queued: {counts['completion']}; agency information "
                          f"reminders queued: {counts['agency_information']}; National Panel copy reminders "
                          f"queued: {counts['panel_copy']}")
