from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from casereview.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and uploaded files into one .tar.gz (safe while CaseReview is running)."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path,
                            help="Where to write the backup (default var/backups/casereview-<time>.tar.gz)")

    def handle(self, *args, **options):
        from django.conf import settings

        output = options["output"] or (
            settings.VAR_DIR / "backups" / f"casereview-{timezone.now():%Y%m%d-%H%M%S}.tar.gz")
        try:
            manifest = backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["tables"].values())
        self.stdout.write(self.style.SUCCESS(f"Backed up {len(manifest['tables'])} tables ({rows} rows) and "
                                             f"uploaded files to {output}"))
