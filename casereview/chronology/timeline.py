"""A server-rendered SVG swimlane timeline: one lane per agency, significant events marked, long gaps shaded.

Presentation attributes only (no style attributes), so it passes the Content Security Policy and renders
the same in the browser and in the PDF export. The chronology table is its accessible alternative.

Agency names are never cut: they wrap inside the lane's label. Every mark is a link to its entry (reachable
with the keyboard); when there are too many events to draw one by one, each lane shows counts per period
instead, each a link to the merged chronology for that agency and period. Zooming is a date range in the
page's address (server-rendered), so it works without script and prints as shown.
"""

from __future__ import annotations

from datetime import date
from xml.sax.saxutils import escape, quoteattr

from casereview.lib.formats import long_date

from .display import AGENCY_COLOURS

WIDTH = 960
LABEL_WIDTH = 190
LANE_HEIGHT = 46
AXIS_HEIGHT = 30
LEGEND_HEIGHT = 30
PAD = 12  # room for a mark at either end, so nothing is clipped
# Beyond this many events the lanes show counts per period rather than one mark per event.
DENSE = 1500
BUCKETS = 48
_CHARS_PER_LINE = 30


def _x(day: date, first: date, span_days: int) -> float:
    return LABEL_WIDTH + PAD + (WIDTH - LABEL_WIDTH - 2 * PAD) * (day - first).days / max(span_days, 1)


def _wrap(text: str, width: int = _CHARS_PER_LINE, lines: int = 3) -> list[str]:
    """The name in lines of at most `width` characters (a long word gets its own line); never dropped."""
    out: list[str] = []
    for word in text.split():
        if out and len(out[-1]) + 1 + len(word) <= width:
            out[-1] += " " + word
        else:
            out.append(word)
    if len(out) > lines:
        out = [*out[: lines - 1], " ".join(out[lines - 1:])]
    return out


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


def render(*, lanes: list[tuple[str, str]], palette: dict[str, int], events: list[tuple],
           gaps: list[tuple[date, date]] = (), title: str = "Timeline", period_url=None) -> str:
    """lanes: (agency code, agency name); events: (agency code, day, significant[, link to the entry]);
    period_url(code, first day, last day): the link for a count when the lanes are aggregated."""
    height = AXIS_HEIGHT + LANE_HEIGHT * max(len(lanes), 1) + LEGEND_HEIGHT + 10
    # A picture of links is a group (its marks are links a keyboard reaches); without links it is an image.
    linked = any(len(event) > 3 and event[3] for event in events[:1]) or (
        period_url is not None and len(events) > DENSE)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="cr-timeline" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="{"group" if linked else "img"}" aria-labelledby="cr-timeline-title cr-timeline-desc" '
        f'font-family="Arial, sans-serif" font-size="12">',
        f'<title id="cr-timeline-title">{escape(title)}</title>',
        '<desc id="cr-timeline-desc">One lane per agency; each mark is an event, diamonds are significant '
        'events and shaded bands are gaps with no recorded contact. The chronology table has the same '
        'information.</desc>',
    ]
    if not events or not lanes:
        parts.append(f'<text x="10" y="{AXIS_HEIGHT}" fill="#0b0c0c">No events to show.</text></svg>')
        return "".join(parts)
    first = min(event[1] for event in events)
    last = max(event[1] for event in events)
    first = date(first.year, first.month, 1)
    span = max((last - first).days, 30)
    lane_top = {code: AXIS_HEIGHT + index * LANE_HEIGHT for index, (code, _) in enumerate(lanes)}
    bottom = AXIS_HEIGHT + LANE_HEIGHT * len(lanes)
    for index, (code, name) in enumerate(lanes):
        top = lane_top[code]
        fill = "#f3f2f1" if index % 2 == 0 else "#ffffff"
        parts.append(f'<rect x="0" y="{top}" width="{WIDTH}" height="{LANE_HEIGHT}" fill="{fill}"/>')
        parts.append(f'<text x="6" y="{top + 14}" fill="#0b0c0c" font-weight="bold">{escape(code)}</text>')
        for line, text in enumerate(_wrap(name)):
            parts.append(f'<text x="6" y="{top + 26 + line * 10}" fill="#0b0c0c" font-size="9">{escape(text)}'
                         "</text>")
    for start, end in gaps:
        x1, x2 = _x(start, first, span), _x(end, first, span)
        parts.append(f'<rect class="cr-timeline__gap" x="{x1:.1f}" y="{AXIS_HEIGHT}" width="{max(x2 - x1, 1):.1f}" '
                     f'height="{bottom - AXIS_HEIGHT}" fill="#ffdd00" fill-opacity="0.35" stroke="#0b0c0c" '
                     f'stroke-dasharray="4 3"><title>No recorded contact from {long_date(start)} to {long_date(end)}'
                     "</title></rect>")
    for day, label in _ticks(first, last):
        x = _x(day, first, span)
        parts.append(f'<line x1="{x:.1f}" y1="{AXIS_HEIGHT - 6}" x2="{x:.1f}" y2="{bottom}" stroke="#b1b4b6" '
                     f'stroke-width="1"/>')
        parts.append(f'<text x="{x:.1f}" y="{AXIS_HEIGHT - 10}" fill="#0b0c0c" text-anchor="middle">'
                     f'{escape(label)}</text>')
    if len(events) > DENSE:
        parts.extend(_counts(events, lane_top, palette, first, span, period_url))
    else:
        parts.extend(_marks(events, lane_top, palette, first, span))
    legend = bottom + 20
    parts.append(f'<line x1="10" y1="{legend - 5}" x2="10" y2="{legend + 5}" stroke="#0b0c0c" stroke-width="2"/>'
                 f'<text x="18" y="{legend + 4}" fill="#0b0c0c">Event</text>'
                 f'<polygon points="90,{legend - 7} 96,{legend} 90,{legend + 7} 84,{legend}" fill="#ffffff" '
                 f'stroke="#0b0c0c" stroke-width="1.5"/><text x="102" y="{legend + 4}" fill="#0b0c0c">'
                 'Significant event (key practice episode or flagged)</text>'
                 f'<rect x="420" y="{legend - 7}" width="20" height="14" fill="#ffdd00" fill-opacity="0.35" '
                 f'stroke="#0b0c0c" stroke-dasharray="4 3"/><text x="446" y="{legend + 4}" fill="#0b0c0c">'
                 'Gap with no recorded contact</text>'
                 + (f'<text x="660" y="{legend + 4}" fill="#0b0c0c">Numbers: events in that period</text>'
                    if len(events) > DENSE else ""))
    parts.append("</svg>")
    return "".join(parts)


def _link(url: str | None, inner: str, label: str) -> str:
    if not url:
        return inner
    return f"<a href={quoteattr(url)} aria-label={quoteattr(label)}>{inner}</a>"


def _marks(events, lane_top, palette, first: date, span: int) -> list[str]:
    """One mark per event, each a link to its entry; events on the same pixel share one mark."""
    marks: dict[tuple[str, int], list] = {}
    for event in events:
        code, day, important = event[0], event[1], event[2]
        url = event[3] if len(event) > 3 else None
        if code not in lane_top:
            continue
        key = (code, round(_x(day, first, span)))
        held = marks.setdefault(key, [False, url, day, 0])
        held[0] = held[0] or important
        held[3] += 1
        if important and url:
            held[1] = url
    parts = []
    for (code, x), (important, url, day, count) in sorted(marks.items(), key=lambda item: item[1][0]):
        colour = AGENCY_COLOURS[palette.get(code, 0)]
        middle = lane_top[code] + LANE_HEIGHT / 2
        label = (f"{code}: {'significant event' if important else 'event'} on {long_date(day)}"
                 + (f" and {count - 1} more that day or close to it" if count > 1 else ""))
        if important:
            shape = (f'<polygon points="{x},{middle - 8} {x + 7},{middle} {x},{middle + 8} {x - 7},{middle}" '
                     f'fill="{colour}" stroke="#0b0c0c" stroke-width="1.5"><title>{escape(label)}</title></polygon>')
        else:
            shape = (f'<line x1="{x}" y1="{middle - 9}" x2="{x}" y2="{middle + 9}" stroke={quoteattr(colour)} '
                     f'stroke-width="3"><title>{escape(label)}</title></line>')
        parts.append(_link(url, shape, label))
    return parts


def _counts(events, lane_top, palette, first: date, span: int, period_url) -> list[str]:
    """Too many events to draw one by one: per lane, the number of events in each of BUCKETS periods."""
    from datetime import timedelta

    size = max(span // BUCKETS + 1, 1)
    counts: dict[tuple[str, int], list[int]] = {}
    for event in events:
        code, day, important = event[0], event[1], event[2]
        if code not in lane_top:
            continue
        held = counts.setdefault((code, (day - first).days // size), [0, 0])
        held[0] += 1
        held[1] += int(bool(important))
    busiest = max((held[0] for held in counts.values()), default=1)
    parts = []
    for (code, bucket), (count, important) in sorted(counts.items()):
        start = first + timedelta(days=bucket * size)
        end = start + timedelta(days=size - 1)
        x1, x2 = _x(start, first, span), _x(min(end, first + timedelta(days=span)), first, span)
        top = lane_top[code] + 6
        colour = AGENCY_COLOURS[palette.get(code, 0)]
        opacity = 0.25 + 0.75 * count / busiest
        label = (f"{code}: {count} events from {long_date(start)} to {long_date(end)}"
                 + (f", {important} significant" if important else ""))
        shape = (f'<rect x="{x1:.1f}" y="{top}" width="{max(x2 - x1 - 1, 2):.1f}" height="{LANE_HEIGHT - 12}" '
                 f'fill={quoteattr(colour)} fill-opacity="{opacity:.2f}" '
                 f'stroke="{"#0b0c0c" if important else "none"}"><title>{escape(label)}</title></rect>'
                 f'<text x="{(x1 + x2) / 2:.1f}" y="{top + LANE_HEIGHT / 2:.0f}" fill="#0b0c0c" font-size="9" '
                 f'text-anchor="middle">{count}</text>')
        parts.append(_link(period_url(code, start, end) if period_url else None, shape, label))
    return parts
