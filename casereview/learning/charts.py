"""Server-rendered SVG charts: no script, no styles, text escaped; the same figures are always also given in a
table beside the chart, which is what screen readers and Word use."""

from django.utils.html import escape

BAR_COLOUR = "#1d70b8"
TEXT_COLOUR = "#0b0c0c"


def bar_chart(rows: list[tuple[str, int]], *, title: str, width: int = 640) -> str:
    """A horizontal bar chart of (label, value) rows."""
    if not rows:
        return ""
    label_width, row_height, gap = 300, 22, 6
    top = max((v for _, v in rows), default=0) or 1
    plot = width - label_width - 50
    height = len(rows) * (row_height + gap) + gap
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>"]
    for index, (label, value) in enumerate(rows):
        y = gap + index * (row_height + gap)
        bar = max(2, round(plot * value / top)) if value else 0
        text = label if len(label) <= 44 else label[:43] + "\u2026"
        parts.append(f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end" font-family="Arial, sans-serif" '
                     f'font-size="13" fill="{TEXT_COLOUR}">{escape(text)}</text>')
        parts.append(f'<rect x="{label_width}" y="{y}" width="{bar}" height="{row_height}" fill="{BAR_COLOUR}"/>')
        parts.append(f'<text x="{label_width + bar + 6}" y="{y + 15}" font-family="Arial, sans-serif" '
                     f'font-size="13" fill="{TEXT_COLOUR}">{value}</text>')
    parts.append("</svg>")
    return "".join(parts)
