"""`manage.py deadline --pack PACK --clock CLOCK --from YYYY-MM-DD` prints the due date as YYYY-MM-DD.

Bad input (an unknown pack or clock, a malformed date) prints an error naming the valid choices and exits
with status 2, like any other usage error.
"""

import re
import sys
from datetime import date

from django.core.management.base import BaseCommand

from casereview.lib.clocks import UnknownClock, UnknownPack, available_packs, due_date, get_pack

USAGE_ERROR = 2
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class Command(BaseCommand):
    help = "Print the due date of a statutory clock, as YYYY-MM-DD."

    def add_arguments(self, parser):
        parser.add_argument("--pack", required=True, help="Rule pack, e.g. lscb-2015 or wt-2018")
        parser.add_argument("--clock", required=True, help="Clock slug, e.g. scr-decision")
        parser.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD",
                            help="The date the clock starts (or, for a clock that counts back, the planned date)")
        parser.add_argument("--board", default="",
                            help="Optional board slug whose closure days also count as non-working days")

    def handle(self, *args, **options):
        try:
            pack = get_pack(options["pack"])
        except UnknownPack as error:
            self._fail(f"Unknown rule pack '{error.slug}'. Valid packs: {', '.join(error.choices)}")
        try:
            clock = pack.clock(options["clock"])
        except UnknownClock as error:
            self._fail(f"Rule pack '{pack.slug}' has no clock '{error.slug}'. "
                       f"Valid clocks for {pack.slug}: {', '.join(error.choices)}")
        start = self._parse_date(options["start"])
        closures = self._closures(options["board"])
        self.stdout.write(due_date(clock, start, closures).isoformat())

    def _parse_date(self, text: str) -> date:
        if ISO_DATE.fullmatch(text.strip()):
            try:
                return date.fromisoformat(text.strip())
            except ValueError:
                pass
        self._fail(f"'{text}' is not a real date: give --from as YYYY-MM-DD, for example 2026-03-27")

    def _closures(self, slug: str) -> frozenset[date]:
        if not slug:
            return frozenset()
        from casereview.deadlines.services import board_closures
        from casereview.partnership.models import Board

        board = Board.objects.filter(slug=slug).first()
        if board is None:
            choices = ", ".join(Board.objects.order_by("slug").values_list("slug", flat=True)) or "none"
            self._fail(f"Unknown board '{slug}'. Valid boards: {choices}")
        return board_closures(board.pk)

    def _fail(self, message: str):
        packs = ", ".join(p.slug for p in available_packs())
        self.stderr.write(f"deadline: error: {message}")
        if "Valid packs" not in message:
            self.stderr.write(f"(rule packs available: {packs})")
        sys.exit(USAGE_ERROR)
