"""Learning library search on 50,000 fictional findings: prints the p50 and p95 search time.

Run: `.venv/bin/python -m bench.learning_bench` (or `make bench`). Uses its own throwaway SQLite database in
a temporary directory (or DATABASE_URL if set, to measure PostgreSQL), migrates it, fills the library the way
the services do (entries with themes and agencies; the full-text index follows by its triggers) and times the
whole read path a person's search takes: `selectors.library_search` for a Business Manager, with and without
filters. Target: p95 under 100 ms.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

FINDINGS = int(os.environ.get("BENCH_FINDINGS", "50000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
TARGET_MS = 100

SUBJECTS = ["Police", "The school", "Health visitors", "The GP practice", "Children's social care", "Midwives",
            "Housing", "Probation", "The emergency department", "The ambulance service", "The school nurse",
            "Adult mental health services", "The youth offending team", "The nursery"]
FAILURES = ["did not share information about", "did not record", "did not escalate concerns about",
            "did not recognise", "did not ask about", "did not follow up", "did not assess",
            "underestimated the risk from", "treated as isolated events", "closed the case without considering"]
TOPICS = ["domestic abuse incidents", "missing episodes", "bruising to a non-mobile baby", "the new partner",
          "parental substance misuse", "the child's lived experience", "missed health appointments",
          "school absence", "criminal exploitation", "safer sleep advice", "neglect of the home conditions",
          "the mother's mental health", "online grooming", "self-harm disclosures", "the father's violent history",
          "the family's move to another area", "poor home conditions", "the child's disability",
          "a young carer's responsibilities", "interpreting needs"]
CONSEQUENCES = ["so the child was not seen alone", "so the pattern was missed", "and the plan drifted",
                "so no strategy discussion was held", "and the referral was delayed", "so support was not offered",
                "and the risk was not reassessed", "so the conference did not know", "and the case was closed",
                "so the voice of the child was not heard"]


def _setup_django(tmp: Path):
    os.environ.setdefault("CASEREVIEW_VAR_DIR", str(tmp))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casereview.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _fill(board, agencies, themes, rng: random.Random) -> None:
    from django.db import connection, transaction

    from casereview.learning.models import LibraryEntry

    kinds = list(TOPICS)
    ThemeLink = LibraryEntry.themes.through
    AgencyLink = LibraryEntry.agencies.through
    types = ["scr_intensive", "scr_targeted", "cir", "learning_review", "individual_agency"]
    batch = 5000
    with transaction.atomic():
        for start in range(0, FINDINGS, batch):
            entries = []
            for n in range(start, min(start + batch, FINDINGS)):
                topic = rng.choice(kinds)
                year = rng.randint(2012, 2026)
                title = f"{rng.choice(SUBJECTS)} {rng.choice(FAILURES)} {topic}"
                body = (f"{title} {rng.choice(CONSEQUENCES)}. {rng.choice(SUBJECTS)} {rng.choice(FAILURES)} "
                        f"{rng.choice(TOPICS)} {rng.choice(CONSEQUENCES)}. Review BENCH-{n} found that agencies "
                        f"{rng.choice(FAILURES)} {rng.choice(TOPICS)}.")
                entries.append(LibraryEntry(board=board, kind="finding", source_id=10_000_000 + n, title=title,
                                            body=body, source_label=f"BENCH-{n // 6}", review_type=rng.choice(types),
                                            year=year, improvement=rng.random() > 0.15))
            made = LibraryEntry.objects.bulk_create(entries)
            if made[0].pk is None:  # databases that do not return ids from bulk inserts
                made = list(LibraryEntry.objects.filter(source_id__gte=10_000_000 + start).order_by("source_id"))
            ThemeLink.objects.bulk_create([ThemeLink(libraryentry_id=e.pk, theme_id=t.pk) for e in made
                                           for t in rng.sample(themes, 2)])
            AgencyLink.objects.bulk_create([AgencyLink(libraryentry_id=e.pk, agency_id=a.pk) for e in made
                                            for a in rng.sample(agencies, 3)])
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE learning_libraryentry")


def main() -> int:
    keep = os.environ.get("BENCH_DB_DIR")  # reuse a filled database between runs (for tuning)
    with tempfile.TemporaryDirectory(prefix="learning-bench-") as tmp:
        _setup_django(Path(keep or tmp))
        from django.db import connection

        from casereview.learning import selectors
        from casereview.partnership.models import Agency, Board, RoleGrant, User
        from casereview.partnership.roles import Role
        from casereview.typology.models import Theme
        from casereview.typology.services import typology_seed_default

        rng = random.Random(20261127)
        board = Board.objects.filter(slug="bench").first()
        if board is None:
            board = Board.objects.create(name="Benchmark Board", slug="bench")
            typology_seed_default(board)
            for code in ("CSC", "POL", "GP", "HV", "MW", "ED", "SCH", "HSG", "PRB", "AMB"):
                Agency.objects.create(board=board, name=f"Agency {code}", short_code=code, type="other")
            user = User.objects.create(username="bench-manager", board=board)
            RoleGrant.objects.create(user=user, role=Role.BUSINESS_MANAGER)
            started = time.perf_counter()
            _fill(board, list(board.agencies.all()), list(Theme.objects.filter(board=board, parent__isnull=False)),
                  rng)
            print(f"Filled the library with {FINDINGS:,} findings in {time.perf_counter() - started:.1f} s "
                  f"({connection.vendor})")
        user = User.objects.get(username="bench-manager")
        agencies = list(board.agencies.order_by("pk"))
        themes = list(Theme.objects.filter(board=board, parent__isnull=False).order_by("pk"))
        F = selectors.LibraryFilters
        queries = [F(q="domestic abuse"), F(q="missing episodes pattern"), F(q='"non-mobile baby"'),
                   F(q="information"), F(q="escalate"), F(q="safer sleep advice"), F(q="exploitation school"),
                   F(q="neglect", year=2020), F(q="self-harm", agency=agencies[1]),
                   F(q="partner", theme=themes[9]), F(q="strategy discussion", review_type="cir"),
                   F(q="interpreting needs disability"), F(q="zeppelin"), F(q="health visitors mental health"),
                   F(), F(theme=themes[0]), F(year=2024, agency=agencies[0])]
        for filters in queries:  # one untimed round, as a running service has its caches warm
            selectors.library_search(user, filters)
        timings = []
        by_query: dict[str, list[float]] = {}
        for _ in range(ROUNDS):
            for filters in queries:
                t0 = time.perf_counter()
                page = selectors.library_search(user, filters)
                _ = [r.passage for r in page.results]
                timings.append((time.perf_counter() - t0) * 1000)
                by_query.setdefault(repr(filters), []).append(timings[-1])
        if os.environ.get("BENCH_VERBOSE"):
            for name, times in by_query.items():
                print(f"  {max(times):7.1f} ms  {name}")
        timings.sort()
        p50 = statistics.median(timings)
        p95 = timings[max(0, int(round(0.95 * len(timings))) - 1)]
        print(f"Learning library search over {FINDINGS:,} findings: {len(timings)} searches, "
              f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {timings[-1]:.1f} ms (target p95 < {TARGET_MS} ms)")
        return 0 if p95 < TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
