"""Chronology benchmark (issues F3 and G3): 10 agencies x 5,000 entries.

Prints:
  (a) importing all ten .xlsx files through `chronology_import` and exporting the merged chronology to .xlsx,
      against three baselines on the same files (read x 10, concat, sort, write): pandas with openpyxl,
      pandas with calamine and xlsxwriter, and polars (read_excel + write_excel); each ratio ours / baseline
      (target <= 1.0 against polars);
  (b) the merged chronology page over 50,000 entries (first page, filtered, free text, next page) and the
      agency's draft, submit and version pages at 5,000 entries: median and 95th percentile server time
      (target p95 < 500 ms);
  (c) peak memory of importing the ten files, measured in a separate process (target < 400 MB);
  (d) precision and recall of the duplicate suggestions on the labelled pairs
      (bench/chronology_duplicate_pairs.py; targets recall >= 0.9, precision >= 0.7).

Run: .venv/bin/python bench/chronology_bench.py [--rows 5000] [--agencies 10] [--repeat 3] [--baseline-python PATH]
It works in a throwaway directory (its own SQLite database) and never touches var/. The schema is made
from the models (as the test suite's --nomigrations does), so the figures do not depend on other apps'
migrations. The baselines need pandas, polars, xlsxwriter and fastexcel (the [bench] extra, which `make bench` installs).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REVIEW = "BENCH-1"
CODES = ["CSC", "POL", "GP", "HV", "MW", "ED", "SCH", "HSG", "PRB", "AMB"]
HEADINGS = ["Event ref", "Date of event", "Time", "Source", "Practitioner role", "People involved", "Type",
            "What happened", "Risk", "Action taken", "Partnership", "Learning", "Part of a pattern",
            "Statutory event", "Significant to the child", "Key practice episode"]
WORDS = ("home visit child mother partner police school nursery bruising referral assessment strategy meeting "
         "attended concerns neglect appointment missed health visitor GP emergency department injury reported "
         "family housing move arrears domestic incident conference plan review advice safe sleeping letter "
         "telephone call welfare check attendance hungry tired weight developmental milestones").split()


def _setup_django(workdir: Path) -> None:
    os.environ["CASEREVIEW_VAR_DIR"] = str(workdir / "var")
    os.environ["CASEREVIEW_TASK_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casereview.settings")
    os.environ["LOG_LEVEL"] = "WARNING"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


class _NoMigrations:
    def __contains__(self, item):
        return True

    def __getitem__(self, item):
        return None


def _make_schema() -> None:
    from django.conf import settings
    from django.core.management import call_command

    settings.MIGRATION_MODULES = _NoMigrations()
    call_command("migrate", run_syncdb=True, verbosity=0)


def _world():
    from datetime import date

    from casereview.cases.models import Case, CaseAccess, CaseAgency, CasePerson
    from casereview.partnership.models import Agency, Board, RoleGrant, User
    from casereview.partnership.roles import Role
    from casereview.reviews.models import Review

    board = Board.objects.create(name="Benchshire Board", slug="benchshire")
    agencies = [Agency.objects.create(board=board, name=f"Bench agency {code}", short_code=code, type="other")
                for code in CODES]
    case = Case.objects.create(board=board, reference="BENCH-CASE", pseudonym="Child B")
    for agency in agencies:
        CaseAgency.objects.create(case=case, agency=agency)
    CasePerson.objects.create(case=case, relationship="subject_child", full_name="Benny Benchmark",
                              anonymised_label="Child B", date_of_birth=date(2009, 4, 1))
    CasePerson.objects.create(case=case, relationship="mother", full_name="Bella Benchmark", anonymised_label="Mother")
    reviewer = User.objects.create(username="bench-reviewer", board=board, is_demo_account=True)
    RoleGrant.objects.create(user=reviewer, role=Role.LEAD_REVIEWER)
    CaseAccess.objects.create(case=case, user=reviewer, reason="bench", granted_by=reviewer)
    review = Review.objects.create(board=board, case=case, reference=REVIEW, title="Child B", type="cir",
                                   initiated_on=date(2026, 1, 1))
    Review.objects.create(board=board, case=case, reference="BENCH-2", title="Child B", type="cir",
                          initiated_on=date(2026, 1, 1))
    return review, agencies, reviewer


def _generate(folder: Path, rows: int, agencies: int) -> list[Path]:
    from openpyxl import Workbook

    rng = random.Random(2026)
    start = datetime(2009, 4, 1)
    shared = [(start + timedelta(days=rng.randrange(5800)), " ".join(rng.choices(WORDS, k=14))) for _ in range(300)]
    paths = []
    for code in CODES[:agencies]:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Chronology")
        sheet.append(HEADINGS)
        for number in range(1, rows + 1):
            if rng.random() < 0.02:
                day, text = rng.choice(shared)
            else:
                day, text = start + timedelta(days=rng.randrange(5800)), " ".join(rng.choices(WORDS, k=rng.randrange(8, 30)))
            yn = lambda p: "Y" if rng.random() < p else "N"  # noqa: E731
            sheet.append([f"{code}-{number}", day, f"{rng.randrange(8, 19):02d}:{rng.choice(('00', '30'))}",
                          "Case record", "Practitioner", "Child B, Mother", rng.choice(
                              ["Home visit", "Contact", "Referral", "Meeting", "Incident", "Health appointment"]),
                          text, "Some risk" if rng.random() < 0.5 else "", "Action was taken",
                          "" if rng.random() < 0.7 else "Shared with police", "" if rng.random() < 0.8 else "Learning",
                          yn(0.1), yn(0.05), yn(0.2), yn(0.02)])
        path = folder / f"{code.lower()}.xlsx"
        workbook.save(path)
        paths.append(path)
    return paths


BASELINE_PANDAS_OPENPYXL = r"""
import sys, time, json
import pandas as pd
paths, out = sys.argv[1:-1], sys.argv[-1]
started = time.perf_counter()
frames = []
for path in paths:
    frame = pd.read_excel(path)
    frame["Agency"] = path
    frames.append(frame)
merged = pd.concat(frames, ignore_index=True).sort_values(["Date of event", "Time"], kind="stable")
merged.to_excel(out, index=False)
print(json.dumps({"seconds": time.perf_counter() - started, "rows": len(merged)}))
"""
BASELINE_PANDAS_CALAMINE = r"""
import sys, time, json
import pandas as pd
paths, out = sys.argv[1:-1], sys.argv[-1]
started = time.perf_counter()
frames = []
for path in paths:
    frame = pd.read_excel(path, engine="calamine")
    frame["Agency"] = path
    frames.append(frame)
merged = pd.concat(frames, ignore_index=True).sort_values(["Date of event", "Time"], kind="stable")
merged.to_excel(out, index=False, engine="xlsxwriter")
print(json.dumps({"seconds": time.perf_counter() - started, "rows": len(merged)}))
"""
BASELINE_POLARS = r"""
import sys, time, json
import polars as pl
paths, out = sys.argv[1:-1], sys.argv[-1]
started = time.perf_counter()
frames = [pl.read_excel(path).with_columns(pl.lit(path).alias("Agency")) for path in paths]
merged = pl.concat(frames, how="diagonal_relaxed").sort(["Date of event", "Time"], maintain_order=True)
merged.write_excel(out)
print(json.dumps({"seconds": time.perf_counter() - started, "rows": merged.height}))
"""
BASELINES = {"pandas + openpyxl": BASELINE_PANDAS_OPENPYXL,
             "pandas + calamine + xlsxwriter": BASELINE_PANDAS_CALAMINE,
             "polars (read_excel + write_excel)": BASELINE_POLARS}


def _baseline_python(choice: str | None) -> str:
    if choice:
        return choice
    try:
        import fastexcel  # noqa: F401
        import pandas  # noqa: F401
        import polars  # noqa: F401
        import xlsxwriter  # noqa: F401
    except ImportError:
        sys.exit("The baselines need pandas, polars, xlsxwriter and fastexcel: run `make bench`, which installs "
                 "the [bench] extra.")
    return sys.executable


def _timed(client, url, params, repeats: int) -> dict:
    client.get(url, params)  # warm up
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        response = client.get(url, params)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    times.sort()
    return {"median_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1)}


def _agency_pages(review, agency, repeats: int) -> dict:
    """The agency's own pages at 5,000 entries: its draft, the submit check and a returned version."""
    from django.test import Client
    from django.urls import reverse

    from casereview.chronology import services
    from casereview.chronology.models import ChronologyVersion
    from casereview.partnership.models import RoleGrant, User
    from casereview.partnership.roles import Role

    lead = User.objects.create(username=f"bench-lead-{agency.short_code}", board=agency.board, agency=agency,
                               is_demo_account=True)
    RoleGrant.objects.create(user=lead, role=Role.AGENCY_LEAD)
    returned = ChronologyVersion.objects.filter(review=review, agency=agency).exclude(state="draft").first()
    services.draft_start(by=lead, review=review, agency=agency, copy_from=returned)
    client = Client()
    client.force_login(lead)
    return {
        "draft page": _timed(client, reverse("chronology:agency", args=[review.pk]), {}, repeats),
        "submit page": _timed(client, reverse("chronology:submit", args=[review.pk]), {}, repeats),
        "version page": _timed(client, reverse("chronology:version", args=[review.pk, returned.pk]), {}, repeats),
    }


def _timed_pages(review, reviewer, agencies, repeats: int) -> dict:
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    settings.DEMO_MODE = True
    client = Client()
    client.force_login(reviewer)
    url = reverse("chronology:merged", args=[review.pk])
    queries = {
        "first page": {},
        "filtered page": {"agency": [str(agencies[1].pk), str(agencies[3].pk)], "date_from": "2012",
                          "date_to": "June 2020", "question": "q_child"},
        "free text": {"q": "bruising referral"},
    }
    results = {}
    for label, params in queries.items():
        client.get(url, params)  # warm up
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            response = client.get(url, params)
            times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"The merged page answered {response.status_code}")
        times.sort()
        results[label] = {"median_ms": round(statistics.median(times), 1),
                          "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1)}
    # The second page, reached through the keyset link of the first.
    first = client.get(url)
    marker = 'after='
    body = first.content.decode()
    after = body[body.index(marker) + len(marker):].split('"')[0].replace("&amp;", "&")
    from urllib.parse import unquote

    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        client.get(url, {"after": unquote(after)})
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    results["next page"] = {"median_ms": round(statistics.median(times), 1),
                            "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1)}
    return results


def _memory_child(workdir: Path, paths: list[str]) -> None:
    """In a fresh process: import the files into BENCH-2 and report peak memory."""
    _setup_django(workdir)
    import io

    from django.core.management import call_command

    for index, path in enumerate(paths):
        call_command("chronology_import", path, "--review", "BENCH-2", "--agency", f"Bench agency {CODES[index]}",
                     stdout=io.StringIO())
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"peak_mb": round(peak_kb / 1024, 1)}))


def _ours(paths: list[Path], agencies, output: Path) -> tuple[float, float]:
    """Import every file through the command, then export the merged chronology to .xlsx: (import s, export s)."""
    import io

    from django.core.management import call_command

    started = time.perf_counter()
    for agency, path in zip(agencies, paths, strict=False):
        call_command("chronology_import", str(path), "--review", REVIEW, "--agency", agency.name,
                     stdout=io.StringIO())
    imported = time.perf_counter() - started
    export_started = time.perf_counter()
    call_command("chronology_export", "--review", REVIEW, "--format", "xlsx", "--output", str(output),
                 stdout=io.StringIO())
    return imported, time.perf_counter() - export_started


def _ours_child(workdir: Path, paths: list[str]) -> None:
    """In a fresh process and database: figure (a) for CaseReview once more."""
    _setup_django(workdir)
    _make_schema()
    _, agencies, _ = _world()
    imported, exported = _ours([Path(p) for p in paths], agencies, workdir / "merged.xlsx")
    print(json.dumps({"import": imported, "export": exported}))


def _baseline(python: str, script: str, paths: list[Path], output: Path) -> float:
    run = subprocess.run(  # noqa: S603 - our own script and files
        [python, "-c", script, *map(str, paths), str(output)], capture_output=True, text=True, check=True)
    return json.loads(run.stdout.strip().splitlines()[-1])["seconds"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--agencies", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=40)
    parser.add_argument("--baseline-python")
    parser.add_argument("--keep", action="store_true", help="Keep the working directory")
    parser.add_argument("--repeat", type=int, default=3,
                        help="Run figure (a) this many times, alternating with the fast baselines (median of the pairs)")
    parser.add_argument("--memory-child", nargs="*", help=argparse.SUPPRESS)
    parser.add_argument("--ours-child", nargs="*", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child is not None:
        _memory_child(Path(args.workdir), args.memory_child)
        return
    if args.ours_child is not None:
        _ours_child(Path(args.workdir), args.ours_child)
        return

    workdir = Path(tempfile.mkdtemp(prefix="chronology-bench-"))
    try:
        _setup_django(workdir)


        _make_schema()
        review, agencies, reviewer = _world()
        data = workdir / "files"
        data.mkdir()
        print(f"Generating {args.agencies} x {args.rows:,} entries as .xlsx ...", flush=True)
        paths = _generate(data, args.rows, args.agencies)

        # (a) ours: import all ten through the command, then export the merged chronology to .xlsx. On a shared
        # machine the load changes from second to second: with --repeat N, ours (each time in a fresh process and
        # database) and the two fast baselines run N times, alternately.
        imported, exported = _ours(paths, agencies, workdir / "merged.xlsx")
        ours = imported + exported
        print(f"(a) ours: import {imported:.1f} s + export {exported:.1f} s = {ours:.1f} s", flush=True)
        python = _baseline_python(args.baseline_python)
        slow = "pandas + openpyxl"  # twenty times slower than the others: run once, at the end
        times: dict[str, list[float]] = {"ours": [ours], **{label: [] for label in BASELINES}}
        for label, script in BASELINES.items():
            if label != slow:
                times[label].append(_baseline(python, script, paths, workdir / "baseline.xlsx"))
        for _ in range(args.repeat - 1):
            child = subprocess.run(  # noqa: S603 - this script
                [sys.executable, __file__, "--workdir", str(Path(tempfile.mkdtemp(dir=workdir))), "--ours-child",
                 *map(str, paths)], capture_output=True, text=True, check=True, env={**os.environ})
            again = json.loads(child.stdout.strip().splitlines()[-1])
            times["ours"].append(again["import"] + again["export"])
            for label, script in BASELINES.items():
                if label != slow:
                    times[label].append(_baseline(python, script, paths, workdir / "baseline.xlsx"))
        times[slow].append(_baseline(python, BASELINES[slow], paths, workdir / "baseline.xlsx"))
        # Each run of ours is followed by a run of each fast baseline: a pair sees much the same load, so the
        # median of the pairs' ratios is the figure (the best times alone would compare different moments).
        if args.repeat > 1:
            print("(a) ours over " + str(len(times["ours"])) + " runs: " + ", ".join(f"{t:.1f}" for t in times["ours"])
                  + " s", flush=True)
        for label in BASELINES:
            pairs = [mine / theirs for mine, theirs in zip(times["ours"], times[label], strict=False)]
            runs = ", ".join(f"{t:.1f}" for t in times[label])
            print(f"(a) {label}: {runs} s; ratio ours/baseline = {statistics.median(pairs):.2f}"
                  + (f" (median of {len(pairs)} pairs, each " + ", ".join(f"{r:.2f}" for r in pairs) + ")"
                     if len(pairs) > 1 else "")
                  + (" (target <= 1.0)" if label.startswith("polars") else ""), flush=True)

        # (b) the merged chronology page over all entries, once accepted.
        from casereview.chronology import services
        from casereview.chronology.models import ChronologyEntry, ChronologyVersion

        for version in ChronologyVersion.objects.filter(review=review, state="submitted"):
            services.version_accept(by=reviewer, version=version)
        total = ChronologyEntry.objects.filter(review=review, current_accepted=True).count()
        pages = _timed_pages(review, reviewer, agencies, args.repeats)
        for label, figures in pages.items():
            print(f"(b) merged page, {label}, {total:,} entries: median {figures['median_ms']} ms, "
                  f"p95 {figures['p95_ms']} ms (target p95 < 500 ms)")
        for label, figures in _agency_pages(review, agencies[0], args.repeats).items():
            print(f"(b) agency {label}, {args.rows:,} entries: median {figures['median_ms']} ms, "
                  f"p95 {figures['p95_ms']} ms (target p95 < 500 ms)", flush=True)

        # (c) peak memory of the import, in a fresh process.
        child = subprocess.run(  # noqa: S603 - this script
            [sys.executable, __file__, "--workdir", str(workdir), "--memory-child", *map(str, paths)],
            capture_output=True, text=True, check=True, env={**os.environ})
        peak = json.loads(child.stdout.strip().splitlines()[-1])["peak_mb"]
        print(f"(c) peak memory importing {args.agencies} x {args.rows:,} entries: {peak} MB (process maximum "
              "resident size; target < 400 MB)")
        from bench.chronology_duplicate_pairs import evaluate

        pairs = evaluate()
        print(f"(d) duplicate suggestions on {pairs['pairs']} labelled pairs ({pairs['same']} the same event): "
              f"precision {pairs['precision']:.2f}, recall {pairs['recall']:.2f} (targets >= 0.7 and >= 0.9)")
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"Kept {workdir}")


if __name__ == "__main__":
    main()
