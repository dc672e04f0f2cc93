"""Server-rendered charts of RAG status: SVG for the web page and PDF, PNG (same drawing) for Word.

Every chart is shown next to a data table with the same numbers, so nobody depends on seeing colours.
"""

import io
from dataclasses import dataclass
from html import escape

from PIL import Image, ImageDraw, ImageFont

# label, colour, text colour (GOV.UK palette; the colours meet contrast with their text)
SEGMENTS = [
    ("red", "Red", "#d4351c", "#ffffff"),
    ("amber", "Amber", "#f47738", "#0b0c0c"),
    ("green", "Green", "#00703c", "#ffffff"),
    ("blue", "Blue", "#1d70b8", "#ffffff"),
    ("none", "Not yet reported", "#b1b4b6", "#0b0c0c"),
]
WIDTH = 680
LABEL_WIDTH = 210
BAR_HEIGHT = 24
GAP = 10
LEGEND_HEIGHT = 34


@dataclass(frozen=True)
class Bar:
    label: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.get(key, 0) for key, *_ in SEGMENTS)


def _layout(bars: list[Bar]):
    biggest = max((bar.total for bar in bars), default=0) or 1
    scale = (WIDTH - LABEL_WIDTH - 40) / biggest
    for index, bar in enumerate(bars):
        y = LEGEND_HEIGHT + index * (BAR_HEIGHT + GAP)
        x = LABEL_WIDTH
        segments = []
        for key, name, colour, ink in SEGMENTS:
            count = bar.counts.get(key, 0)
            if count:
                width = count * scale
                segments.append((x, width, count, name, colour, ink))
                x += width
        yield bar, y, segments, x


def _height(bars: list[Bar]) -> int:
    return LEGEND_HEIGHT + max(len(bars), 1) * (BAR_HEIGHT + GAP)


def _short(label: str, limit: int = 30) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def rag_svg(title: str, bars: list[Bar], chart_id: str) -> str:
    """An accessible SVG (role="img" with a title and description) of RAG counts per bar."""
    height = _height(bars)
    description = "; ".join(
        f"{bar.label}: " + ", ".join(f"{bar.counts.get(k, 0)} {n.lower()}" for k, n, *_ in SEGMENTS)
        for bar in bars) or "No actions"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="Arial, Helvetica, sans-serif" font-size="14">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    x = 0
    for _key, name, colour, _ink in SEGMENTS:
        parts.append(f'<rect x="{x}" y="6" width="14" height="14" fill="{colour}"/>'
                     f'<text x="{x + 18}" y="18" fill="#0b0c0c">{escape(name)}</text>')
        x += 30 + len(name) * 8
    if not bars:
        parts.append(f'<text x="0" y="{LEGEND_HEIGHT + 16}" fill="#0b0c0c">No actions to show</text>')
    for bar, y, segments, end in _layout(bars):
        parts.append(f'<text x="0" y="{y + 17}" fill="#0b0c0c">{escape(_short(bar.label))}</text>')
        for sx, width, count, name, colour, ink in segments:
            parts.append(f'<rect x="{sx:.1f}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" fill="{colour}">'
                         f'<title>{escape(bar.label)}: {count} {escape(name.lower())}</title></rect>')
            if width >= 18:
                parts.append(f'<text x="{sx + width / 2:.1f}" y="{y + 17}" fill="{ink}" '
                             f'text-anchor="middle">{count}</text>')
        parts.append(f'<text x="{end + 6:.1f}" y="{y + 17}" fill="#0b0c0c">{bar.total}</text>')
    parts.append("</svg>")
    return "".join(parts)


def rag_png(title: str, bars: list[Bar]) -> bytes:
    """The same chart as a PNG at twice the size, for Word (which cannot show SVG everywhere)."""
    zoom = 2
    height = _height(bars) + 30
    image = Image.new("RGB", (WIDTH * zoom, height * zoom), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=14 * zoom)
    bold = ImageFont.load_default(size=16 * zoom)
    draw.text((0, 0), title, fill="#0b0c0c", font=bold)
    offset = 30
    x = 0
    for _key, name, colour, _ink in SEGMENTS:
        draw.rectangle([x * zoom, (offset + 6) * zoom, (x + 14) * zoom, (offset + 20) * zoom], fill=colour)
        draw.text(((x + 18) * zoom, (offset + 5) * zoom), name, fill="#0b0c0c", font=font)
        x += 30 + len(name) * 8
    for bar, y, segments, end in _layout(bars):
        y += offset
        draw.text((0, (y + 4) * zoom), _short(bar.label), fill="#0b0c0c", font=font)
        for sx, width, count, _name, colour, ink in segments:
            draw.rectangle([sx * zoom, y * zoom, (sx + width) * zoom, (y + BAR_HEIGHT) * zoom], fill=colour)
            if width >= 18:
                text = str(count)
                w = draw.textlength(text, font=font)
                draw.text(((sx + width / 2) * zoom - w / 2, (y + 4) * zoom), text, fill=ink, font=font)
        draw.text(((end + 6) * zoom, (y + 4) * zoom), str(bar.total), fill="#0b0c0c", font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
