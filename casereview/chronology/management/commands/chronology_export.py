"""Export a review's merged chronology as CSV, Excel, Word or PDF (issue F3 command contract)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from casereview.chronology.exports import FORMATS, ExportSource, export_chronology
from casereview.chronology.selectors import merged_base

from ._common import find_review


class Command(BaseCommand):
    help = ("Export the review's merged chronology: every agency's latest submitted or accepted chronology "
            "(--accepted-only for accepted ones only), named or --anonymised.")

    def add_arguments(self, parser):
        parser.add_argument("--review", required=True)
        parser.add_argument("--format", required=True, choices=sorted(FORMATS))
        parser.add_argument("--output", required=True)
        parser.add_argument("--anonymised", action="store_true", help="Replace the names of the case's people "
                                                                       "with their glossary labels")
        parser.add_argument("--accepted-only", action="store_true")
        parser.add_argument("--board", help="The board's slug, when two boards use the same review reference")

    def handle(self, *args, **options):
        review = find_review(options["review"], options["board"])
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"The folder {output.parent} does not exist")
        accepted_only = options["accepted_only"]
        source = ExportSource(
            review=review, entries=merged_base(review, include_submitted=not accepted_only),
            anonymised=options["anonymised"],
            description="Merged chronology (accepted chronologies)" if accepted_only else
            "Merged chronology (each agency's latest submitted or accepted chronology)")
        with open(output, "wb") as stream:
            count = export_chronology(by=None, source=source, fmt=options["format"], stream=stream)
        self.stdout.write(f"Exported {count} entries of {review.reference} to {output}")
