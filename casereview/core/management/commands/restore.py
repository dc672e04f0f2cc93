from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from casereview.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup`, replacing the database and uploaded files."

    def add_arguments(self, parser):
        parser.add_argument("backup_file", type=Path)
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation")

    def handle(self, *args, **options):
        if not options["yes"]:
            answer = input("This replaces every record and uploaded file with the backup's. Type 'restore': ")
            if answer.strip() != "restore":
                raise CommandError("Nothing restored")
        try:
            report = restore(options["backup_file"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(
            f"Restored {report.tables} tables ({report.rows} rows) and {report.files} files; "
            "every table matches the backup's row count"))
