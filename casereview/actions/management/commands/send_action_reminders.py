from datetime import date

from django.core.management.base import BaseCommand, CommandError

from casereview.actions.services import reminders_send


class Command(BaseCommand):
    help = ("Send quarterly action plan update reminders (before the due date) and chasers (after it). "
            "Safe to run more than once a day: each quarter gets one round of each.")

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Act as if today were this date (YYYY-MM-DD), for catching up.")

    def handle(self, *args, **options):
        today = None
        if options["date"]:
            try:
                today = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("--date must be a date written as YYYY-MM-DD, for example 2026-04-30") from None
        sent = reminders_send(today=today)
        self.stdout.write(f"Sent {sent['reminders']} reminders and {sent['chasers']} chasers.")
