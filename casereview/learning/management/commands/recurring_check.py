"""Check every finding of a board for repeated learning and raise the Performance Committee's questions."""

from django.core.management.base import BaseCommand, CommandError

from casereview.learning.services import recurring_scan
from casereview.partnership.models import Board


class Command(BaseCommand):
    help = "Check a board's findings against its earlier learning; raise a question for each repeat."

    def add_arguments(self, parser):
        parser.add_argument("--board", required=True, help="The board's slug.")

    def handle(self, *args, board, **options):
        found = Board.objects.filter(slug=board).first()
        if found is None:
            raise CommandError(f"No board with the slug {board!r}")
        open_count = recurring_scan(by=None, board=found)
        self.stdout.write(self.style.SUCCESS(f"{found.name}: {open_count} open recurring-learning questions"))
