"""The one way the service turns HTML into PDF.

WeasyPrint would otherwise fetch any URL a document names (an image or stylesheet written into a report by
its author, say): the fetcher below refuses every scheme except inline `data:` URLs, so rendering never
touches the network or the file system. Documents are tagged for screen readers (PDF/UA where asked) and
carry a title, a language and an author in their properties.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PdfProperties:
    title: str
    author: str = "CaseReview"
    language: str = "en-GB"
    # "pdf/ua-1" for a document meant for the public; every document is tagged either way.
    variant: str | None = None


def _fetcher():
    from weasyprint.urls import URLFetcher

    class InlineDataOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if not url.startswith("data:"):
                raise ValueError(f"Documents may not load {url.split(':', 1)[0]} resources")
            return super().fetch(url, headers)

    return InlineDataOnly(allowed_protocols=("data",), allow_redirects=False)


def warm_up() -> None:
    """Pay WeasyPrint's first-call costs now rather than on someone's first download: importing it (Pango,
    HarfBuzz, fontconfig), finding the fonts and laying out the first line. About a second on the 2-core machine
    (BENCHMARKS.md, "Documents"); call it once when a web or task worker starts, never per request."""
    render_pdf("<p>CaseReview</p>", PdfProperties(title="Warm-up"),
               stylesheets=["body { font-family: Arial, 'Liberation Sans', sans-serif; } "
                            "@page { @top-center { content: 'CaseReview'; font: bold 9pt Arial, sans-serif; } }"])


def render_pdf(html: str, properties: PdfProperties | None = None, stylesheets: list[str] | None = None) -> bytes:
    # Imported here: WeasyPrint loads Pango, which only documents need.
    from weasyprint import CSS, HTML

    fetcher = _fetcher()
    document = HTML(string=html, url_fetcher=fetcher, base_url="about:blank")
    css = [CSS(string=sheet, url_fetcher=fetcher) for sheet in stylesheets or []]
    # The PDF options are given to write_pdf as well as render: WeasyPrint only tags the document (and
    # writes a variant's identification) when write_pdf itself is told to.
    pdf_options: dict = {"pdf_tags": True}
    if properties is not None and properties.variant:
        pdf_options["pdf_variant"] = properties.variant
    rendered = document.render(stylesheets=css, **pdf_options)
    if properties is not None:
        rendered.metadata.title = properties.title
        rendered.metadata.authors = [properties.author]
        rendered.metadata.lang = properties.language
        rendered.metadata.generator = "CaseReview"
    return rendered.write_pdf(**pdf_options)
