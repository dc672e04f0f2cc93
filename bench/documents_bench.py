"""Document speed (issue G7 item 10): where the time of a PDF letter goes, cold and warm.

Run: `.venv/bin/python -m bench.documents_bench` (or `make bench`). Uses its own throwaway SQLite database in a
temporary directory, loaded with the fictional demo board (`load_demo`), and times its decided referral's
feedback letter (`referrals.letters.feedback_pdf`) and its notice to the National Panel
(`referrals.letters.panel_notice_pdf`):

- cold: a fresh Python process per letter (as a newly started web worker's first download), split into
  Django start-up, importing WeasyPrint (which loads Pango, HarfBuzz and fontconfig), and the first letter;
- warm: ROUNDS more letters in the same process (every later download by that worker), median and worst;
- where a warm letter's time goes: building the context and HTML, WeasyPrint's layout, and writing the PDF.

Target: under 0.5 s on the 2-core machine.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "7"))
TARGET_S = 0.5
LETTERS = ("feedback_pdf", "panel_notice_pdf")
ROOT = Path(__file__).resolve().parent.parent


def _setup_django(var_dir: Path) -> None:
    os.environ["CASEREVIEW_VAR_DIR"] = str(var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casereview.settings")
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import logging

    # WeasyPrint logs each of its seven steps at INFO; the bench measures the letters, not the log handler.
    logging.getLogger("weasyprint").setLevel(logging.WARNING)


def _decided_referral():
    from casereview.referrals.models import Referral

    referral = Referral.objects.filter(decision__isnull=False).order_by("pk").first()
    if referral is None:
        raise SystemExit("the demo has no decided referral to write letters for")
    return referral


def _cold(var_dir: str, letter: str, warm: bool) -> None:
    """One fresh process: start Django, import WeasyPrint (or, `warm`, call `lib.pdf.warm_up`), write one letter.
    Prints the three times as JSON."""
    start = time.perf_counter()
    _setup_django(Path(var_dir))
    from casereview.referrals import letters

    referral = _decided_referral()
    started = time.perf_counter()
    if warm:
        from casereview.lib.pdf import warm_up

        warm_up()  # as a worker would at start-up: the import and the first layout, before anyone downloads
    else:
        import weasyprint  # noqa: F401 - the import is what is timed
    imported = time.perf_counter()
    getattr(letters, letter)(referral)
    done = time.perf_counter()
    print(json.dumps({"django": started - start, "import": imported - started, "first": done - imported}))


def _warm(letter: str) -> dict:
    from django.template.loader import render_to_string
    from weasyprint import CSS, HTML

    from casereview.lib.office import marking_css
    from casereview.lib.pdf import _fetcher
    from casereview.referrals import letters

    referral = _decided_referral()
    make = getattr(letters, letter)
    make(referral)  # the first call in this process is the cold one
    totals = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        make(referral)
        totals.append(time.perf_counter() - start)
    # The same letter in its parts, once more.
    context_of = letters.feedback_context if letter == "feedback_pdf" else letters.panel_notice_context
    template = "feedback.html" if letter == "feedback_pdf" else "panel_notice.html"
    parts = {"html": [], "layout": [], "write": []}
    for _ in range(ROUNDS):
        t0 = time.perf_counter()
        c = context_of(referral)
        html = render_to_string(f"referrals/letters/{template}", c)
        t1 = time.perf_counter()
        fetcher = _fetcher()
        sheets = [CSS(string=s, url_fetcher=fetcher) for s in (marking_css(c["marking"]), letters.LETTER_CSS)]
        rendered = HTML(string=html, url_fetcher=fetcher, base_url="about:blank").render(
            stylesheets=sheets, pdf_tags=True)
        t2 = time.perf_counter()
        rendered.write_pdf(pdf_tags=True)
        t3 = time.perf_counter()
        for key, value in (("html", t1 - t0), ("layout", t2 - t1), ("write", t3 - t2)):
            parts[key].append(value)
    return {"median": statistics.median(totals), "worst": max(totals),
            **{key: statistics.median(values) for key, values in parts.items()}}


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--cold":
        _cold(sys.argv[2], sys.argv[3], sys.argv[4] == "warm-up")
        return
    with tempfile.TemporaryDirectory() as tmp:
        _setup_django(Path(tmp))
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        call_command("load_demo", verbosity=0)
        print(f"PDF letters, seconds (target under {TARGET_S} s); load average {os.getloadavg()[0]:.1f}")
        for letter in LETTERS:
            cold, warmed = (json.loads(subprocess.run(
                [sys.executable, "-m", "bench.documents_bench", "--cold", tmp, letter, mode], cwd=ROOT,
                capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1])
                for mode in ("import", "warm-up"))
            warm = _warm(letter)
            verdict = "meets" if max(warm["median"], warmed["first"]) < TARGET_S else "misses"
            print(f"  {letter}: cold: Django {cold['django']:.2f} + import WeasyPrint {cold['import']:.2f} + first "
                  f"letter {cold['first']:.2f}; after warm_up() at start-up ({warmed['import']:.2f}): first letter "
                  f"{warmed['first']:.3f}; warm: median {warm['median']:.3f}, worst {warm['worst']:.3f} "
                  f"(context and HTML {warm['html']:.3f}, layout {warm['layout']:.3f}, PDF {warm['write']:.3f}) "
                  f"-> {verdict} the target once warmed")


if __name__ == "__main__":
    main()
