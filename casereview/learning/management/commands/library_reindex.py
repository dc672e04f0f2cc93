"""Rebuild the learning library's entries and full-text index from findings, summaries, forums and audits."""

from django.core.management.base import BaseCommand, CommandError

from casereview.learning.library import reindex
from casereview.partnership.models import Board


class Command(BaseCommand):
    help = "Rebuild the learning library (all boards, or one with --board SLUG)."

    def add_arguments(self, parser):
        parser.add_argument("--board", help="Only this board's slug.")

    def handle(self, *args, board=None, **options):
        found = None
        if board:
            found = Board.objects.filter(slug=board).first()
            if found is None:
                raise CommandError(f"No board with the slug {board!r}")
        count = reindex(found)
        self.stdout.write(self.style.SUCCESS(f"Library rebuilt: {count} entries"))
