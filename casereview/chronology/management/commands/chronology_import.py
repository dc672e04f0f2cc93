"""Import an agency's chronology from .xlsx or .csv as its submitted chronology (issue F3 command contract)."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from casereview.chronology.importing import ImportFailed, import_chronology, read_headings
from casereview.chronology.models import ChronologyVersion
from casereview.lib.chronology_fields import parse_mapping_override
from casereview.lib.spreadsheets import SpreadsheetError

from ._common import find_agency, find_review


class Command(BaseCommand):
    help = ("Import FILE (.xlsx, .xls, .ods, .csv in any common encoding and delimiter, or a Word .docx with the "
            "chronology in a table) as the agency's submitted chronology for the review, replacing its "
            "previous one (kept in history). Headings are mapped automatically; --map overrides. If any row is "
            "invalid nothing is stored, every problem is printed as 'row N: column: message' and the exit "
            "status is 1.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--review", required=True, help="The review reference, e.g. DEMO-1")
        parser.add_argument("--agency", required=True, help="The agency's name (or short code)")
        parser.add_argument("--board", help="The board's slug, when two boards use the same review reference")
        parser.add_argument("--map", dest="mapping", default="",
                            help='Override the heading mapping: "Heading=field,Other heading=field" '
                                 '(field "ignore" leaves a column out)')

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"There is no file at {path}")
        review = find_review(options["review"], options["board"])
        agency = find_agency(review, options["agency"])
        mapping = None
        try:
            if options["mapping"]:
                headings, _ = read_headings(path, path.name)
                mapping = parse_mapping_override(options["mapping"], headings)
            version = import_chronology(by=None, review=review, agency=agency, path=path, filename=path.name,
                                        mapping=mapping, submit=True, origin=ChronologyVersion.Origin.COMMAND)
        except SpreadsheetError as error:
            self.stdout.write(str(error))
            self.stderr.write("Nothing was imported.")
            sys.exit(1)
        except ImportFailed as failure:
            for problem in failure.problems:
                self.stdout.write(str(problem))
            more = failure.total - len(failure.problems)
            if more > 0:
                self.stdout.write(f"... and {more} more problems")
            self.stderr.write(f"Nothing was imported: {failure.total} problem{'s' if failure.total != 1 else ''} "
                              "to fix.")
            sys.exit(1)
        self.stdout.write(f"Imported {version.entry_count} entries from {path.name} as {agency.name}'s submitted "
                          f"chronology for {review.reference} (version {version.number}).")
