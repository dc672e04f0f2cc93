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
