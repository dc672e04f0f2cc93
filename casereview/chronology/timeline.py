"""A server-rendered SVG swimlane timeline: one lane per agency, significant events marked, long gaps shaded.

Presentation attributes only (no style attributes), so it passes the Content Security Policy and renders
the same in the browser and in the PDF export. The chronology table is its accessible alternative.
"""

from __future__ import annotations

from datetime import date
from xml.sax.saxutils import escape, quoteattr

from .display import AGENCY_COLOURS

WIDTH = 960
LABEL_WIDTH = 150
LANE_HEIGHT = 34
AXIS_HEIGHT = 30
LEGEND_HEIGHT = 30


def _x(day: date, first: date, span_days: int) -> float:
    return LABEL_WIDTH + (WIDTH - LABEL_WIDTH - 10) * (day - first).days / max(span_days, 1)


def _ticks(first: date, last: date) -> list[tuple[date, str]]:
    span_years = last.year - first.year
    if span_years >= 2:
        step = max(1, span_years // 10)
        return [(date(y, 1, 1), str(y)) for y in range(first.year + 1, last.year + 1, step)]
    ticks = []
    year, month = first.year, first.month
    months = span_years * 12 + last.month - first.month
    step = 1 if months <= 12 else 3
    while (year, month) <= (last.year, last.month):
        day = date(year, month, 1)
        if day > first:
            ticks.append((day, day.strftime("%b %Y")))
        month += step
        while month > 12:
            month -= 12
            year += 1
    return ticks


def render(*, lanes: list[tuple[str, str]], palette: dict[str, int], events: list[tuple[str, date, bool]],
           gaps: list[tuple[date, date]] = (), title: str = "Timeline") -> str:
    """lanes: (agency code, agency name); events: (agency code, day, significant)."""
    height = AXIS_HEIGHT + LANE_HEIGHT * max(len(lanes), 1) + LEGEND_HEIGHT + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="cr-timeline" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="cr-timeline-title cr-timeline-desc" '
        f'font-family="Arial, sans-serif" font-size="12">',
        f'<title id="cr-timeline-title">{escape(title)}</title>',
        '<desc id="cr-timeline-desc">One lane per agency; each mark is an event, diamonds are significant '
        'events and shaded bands are gaps with no recorded contact. The chronology table has the same '
        'information.</desc>',
    ]
    if not events or not lanes:
        parts.append(f'<text x="10" y="{AXIS_HEIGHT}" fill="#0b0c0c">No events to show.</text></svg>')
        return "".join(parts)
    first = min(day for _, day, _ in events)
    last = max(day for _, day, _ in events)
    first = date(first.year, first.month, 1)
    span = max((last - first).days, 30)
    lane_top = {code: AXIS_HEIGHT + index * LANE_HEIGHT for index, (code, _) in enumerate(lanes)}
    bottom = AXIS_HEIGHT + LANE_HEIGHT * len(lanes)
    for index, (code, name) in enumerate(lanes):
        top = lane_top[code]
        fill = "#f3f2f1" if index % 2 == 0 else "#ffffff"
        parts.append(f'<rect x="0" y="{top}" width="{WIDTH}" height="{LANE_HEIGHT}" fill="{fill}"/>')
        parts.append(f'<text x="6" y="{top + LANE_HEIGHT / 2 + 4:.0f}" fill="#0b0c0c" font-weight="bold">'
                     f'{escape(code)}</text>')
        parts.append(f'<text x="60" y="{top + LANE_HEIGHT / 2 + 4:.0f}" fill="#0b0c0c" font-size="10">'
                     f'{escape(name[:16])}</text>')
    for start, end in gaps:
        x1, x2 = _x(start, first, span), _x(end, first, span)
        parts.append(f'<rect class="cr-timeline__gap" x="{x1:.1f}" y="{AXIS_HEIGHT}" width="{max(x2 - x1, 1):.1f}" '
                     f'height="{bottom - AXIS_HEIGHT}" fill="#ffdd00" fill-opacity="0.35" stroke="#0b0c0c" '
                     f'stroke-dasharray="4 3"/>')
    for day, label in _ticks(first, last):
        x = _x(day, first, span)
        parts.append(f'<line x1="{x:.1f}" y1="{AXIS_HEIGHT - 6}" x2="{x:.1f}" y2="{bottom}" stroke="#b1b4b6" '
                     f'stroke-width="1"/>')
        parts.append(f'<text x="{x:.1f}" y="{AXIS_HEIGHT - 10}" fill="#0b0c0c" text-anchor="middle">'
                     f'{escape(label)}</text>')
    # One mark per lane and pixel: tens of thousands of events stay a few thousand shapes.
    ticks: dict[tuple[str, int], bool] = {}
    for code, day, important in events:
        if code not in lane_top:
            continue
        key = (code, round(_x(day, first, span)))
        ticks[key] = ticks.get(key, False) or important
    for (code, x), important in sorted(ticks.items(), key=lambda item: item[1]):
        colour = AGENCY_COLOURS[palette.get(code, 0)]
        middle = lane_top[code] + LANE_HEIGHT / 2
        if important:
            parts.append(f'<polygon points="{x},{middle - 8} {x + 7},{middle} {x},{middle + 8} {x - 7},{middle}" '
                         f'fill="{colour}" stroke="#0b0c0c" stroke-width="1.5"><title>{escape(code)}: '
                         'significant event</title></polygon>')
        else:
            parts.append(f'<line x1="{x}" y1="{middle - 7}" x2="{x}" y2="{middle + 7}" stroke={quoteattr(colour)} '
                         'stroke-width="2"/>')
    legend = bottom + 20
    parts.append(f'<line x1="10" y1="{legend - 5}" x2="10" y2="{legend + 5}" stroke="#0b0c0c" stroke-width="2"/>'
                 f'<text x="18" y="{legend + 4}" fill="#0b0c0c">Event</text>'
                 f'<polygon points="90,{legend - 7} 96,{legend} 90,{legend + 7} 84,{legend}" fill="#ffffff" '
                 f'stroke="#0b0c0c" stroke-width="1.5"/><text x="102" y="{legend + 4}" fill="#0b0c0c">'
                 'Significant event (key practice episode or flagged)</text>'
                 f'<rect x="420" y="{legend - 7}" width="20" height="14" fill="#ffdd00" fill-opacity="0.35" '
                 f'stroke="#0b0c0c" stroke-dasharray="4 3"/><text x="446" y="{legend + 4}" fill="#0b0c0c">'
                 'Gap with no recorded contact</text>')
    parts.append("</svg>")
    return "".join(parts)
