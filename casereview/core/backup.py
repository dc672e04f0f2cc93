"""Backup and restore of everything CaseReview holds: the database and the uploaded files.

A backup is one .tar.gz with manifest.json (format version, time, database vendor, row count of every
table), the database (an SQLite online backup, or a pg_dump custom-format archive) and uploads/.
Restore checks the manifest, puts both back, and compares every table's row count with the manifest.
"""

import json
import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - pg_dump/pg_restore with argument lists, never a shell
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

FORMAT_VERSION = 1


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class RestoreReport:
    tables: int
    rows: int
    files: int


def table_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - names come from introspection
            counts[table] = cursor.fetchone()[0]
    return counts


def _uploads_dir() -> Path:
    return Path(settings.STORAGES["default"]["OPTIONS"]["location"])


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    args = ["-h", str(db.get("HOST") or "localhost"), "-p", str(db.get("PORT") or 5432), "-U", str(db["USER"]),
            "-d", str(db["NAME"])]
    return args, env


def backup(output: Path) -> dict:
    manifest = {"format": FORMAT_VERSION, "created_at": timezone.now().isoformat(), "vendor": connection.vendor,
                "tables": table_counts()}
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        if connection.vendor == "sqlite":
            db_file = work_dir / "database.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(db_file)
            with target:
                connection.connection.backup(target)
            target.close()
        elif connection.vendor == "postgresql":
            db_file = work_dir / "database.pgdump"
            args, env = _pg_env()
            subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--file", str(db_file), *args],  # noqa: S603,S607
                           env=env, check=True, capture_output=True)
        else:
            raise BackupError(f"Backups of {connection.vendor} databases are not supported")
        (work_dir / "manifest.json").write_text(json.dumps(manifest, indent=2))
        output.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(output, "w:gz") as archive:
            archive.add(work_dir / "manifest.json", arcname="manifest.json")
            archive.add(db_file, arcname=db_file.name)
            uploads = _uploads_dir()
            if uploads.exists():
                archive.add(uploads, arcname="uploads")
    return manifest


def restore(source: Path) -> RestoreReport:
    if not source.is_file():
        raise BackupError(f"No backup file at {source}")
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        try:
            with tarfile.open(source, "r:gz") as archive:
                archive.extractall(work_dir, filter="data")
        except (tarfile.TarError, OSError, EOFError) as error:
            raise BackupError(f"{source} is not a CaseReview backup: {error}") from error
        manifest_file = work_dir / "manifest.json"
        if not manifest_file.exists():
            raise BackupError(f"{source} has no manifest.json: it is not a CaseReview backup")
        manifest = json.loads(manifest_file.read_text())
        if manifest.get("format") != FORMAT_VERSION:
            raise BackupError(f"Backup format {manifest.get('format')} cannot be restored by this version")
        if manifest.get("vendor") != connection.vendor:
            raise BackupError(f"This backup is of a {manifest.get('vendor')} database; "
                              f"this deployment uses {connection.vendor}")
        if connection.vendor == "sqlite":
            source_db = sqlite3.connect(work_dir / "database.sqlite3")
            connection.ensure_connection()
            with source_db:
                source_db.backup(connection.connection)
            source_db.close()
        else:
            args, env = _pg_env()
            subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", *args,  # noqa: S603,S607
                            str(work_dir / "database.pgdump")], env=env, check=True, capture_output=True)
        uploads = _uploads_dir()
        if uploads.exists():
            shutil.rmtree(uploads)
        files = 0
        if (work_dir / "uploads").exists():
            shutil.copytree(work_dir / "uploads", uploads)
            files = sum(1 for p in uploads.rglob("*") if p.is_file())
    counts = table_counts()
    differences = {t: (n, counts.get(t)) for t, n in manifest["tables"].items() if counts.get(t) != n}
    if differences:
        raise BackupError(f"Restored row counts differ from the backup: {differences}")
    return RestoreReport(tables=len(counts), rows=sum(counts.values()), files=files)
