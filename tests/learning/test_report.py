import io

import docx
from django.urls import reverse

from . import factories as f


def test_annual_report_page_word_and_pdf(world, as_user):
    themes = f.themes(world)
    rev = f.review(world)
    f.finding(rev, themes=[themes["B1"], themes["A1"]])
    f.finding(rev, title="Second", themes=[themes["B1"]])
    f.summary(world, rev=rev)
    audit = f.audit(world)
    client = as_user(world.chair)
    page = client.get(reverse("learning:annual_report"), {"year": 2025}).content.decode()
    assert "Learning themes most seen" in page and "<svg" in page
    assert "B1 Domestic abuse" in page and "Critical Incident Review" in page and audit.title in page
    assert page.index("B1 Domestic abuse") < page.index("A1 Information sharing")
    word = client.get(reverse("learning:annual_report_word", args=[2025]))
    document = docx.Document(io.BytesIO(word.content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "B1 Domestic abuse" in cells
    pdf = client.get(reverse("learning:annual_report_pdf", args=[2025]))
    assert pdf.content.startswith(b"%PDF")
    assert client.get(reverse("learning:annual_report_pdf", args=[1800])).status_code == 404


def test_the_annual_report_counts_statutory_clocks_met_and_missed(world):
    from datetime import date

    from casereview.learning import report
    from casereview.reviews.models import Review
    from tests.factories import review_in

    def review(ref, initiated, approved=None):
        return review_in(world, Review.Status.APPROVED if approved else Review.Status.INITIATED,
                         type=Review.Type.SCR_INTENSIVE, reference=ref, initiated_on=initiated, approved_on=approved)

    review("ON-TIME", date(2025, 1, 10), approved=date(2025, 6, 30))  # due 10 July 2025
    review("LATE", date(2025, 2, 1), approved=date(2025, 9, 1))  # due 1 August 2025
    review("MISSED", date(2025, 3, 3))  # due 3 September 2025, never completed
    review("NEXT-YEAR", date(2025, 9, 1))  # due in 2026: not counted for 2025
    rows = report.build(world.board, 2025).clocks
    assert len(rows) == 1 and rows[0][0].startswith("Review completed")
    assert rows[0][1:] == ["1", "1", "1", "0"]  # met on time, met late, missed, still running
