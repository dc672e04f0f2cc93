"""Run by test_sqlite_concurrency in its own process: many threads writing to one SQLite file at once."""

import sys
import threading

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from casereview.audit.models import AuditEvent  # noqa: E402

call_command("migrate", "audit", verbosity=0)
THREADS, WRITES = int(sys.argv[1]), int(sys.argv[2])
errors: list[str] = []


def writer(n: int) -> None:
    try:
        for i in range(WRITES):
            with transaction.atomic():
                AuditEvent.objects.filter(actor_username=f"writer{n}").count()  # a read inside the write
                AuditEvent.objects.create(action="load.write", actor_username=f"writer{n}", object_id=str(i))
    except Exception as exc:  # noqa: BLE001 - reported to the test, which fails on any
        errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        connection.close()


threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    mode = cursor.fetchone()[0]
print(mode, AuditEvent.objects.filter(action="load.write").count(), len(errors), errors[:3])
