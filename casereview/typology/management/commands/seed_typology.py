"""Give a board the default learning typology (safe to run again: existing codes are left alone)."""

from django.core.management.base import BaseCommand, CommandError

from casereview.partnership.models import Board
from casereview.typology.services import typology_seed_default


class Command(BaseCommand):
    help = "Add the default two-level learning typology to a board (existing themes are left as they are)."

    def add_arguments(self, parser):
        parser.add_argument("--board", required=True, help="The board's slug, for example riverside.")

    def handle(self, *args, board, **options):
        found = Board.objects.filter(slug=board).first()
        if found is None:
            raise CommandError(f"No board with the slug {board!r}")
        added = typology_seed_default(found)
        self.stdout.write(self.style.SUCCESS(f"{found.name}: {added} themes added"))
