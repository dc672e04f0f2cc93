"""Analysis of the merged chronology: duplicates, gaps, events per agency over time, who knew.

Duplicates are suggested (casereview.chronology.duplicates) and decided by the review group; confirmed pairs
are grouped, never deleted: two agencies recording the same event is itself evidence of who knew what.
Groups are stored on the entries (duplicate_group) and recomputed when a chronology or a decision changes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from .duplicates import Candidate, Suggestion, suggest
from .models import ChronologyEntry, DuplicateDecision, EntryStar, ReviewChronology


def _current_entries(review):
    return ChronologyEntry.objects.filter(review=review, current_returned=True)


def _decided_keys(review) -> dict[frozenset, str]:
    return {frozenset((DuplicateDecision.key(d.agency_a_id, d.ref_a), DuplicateDecision.key(d.agency_b_id, d.ref_b))):
            d.decision for d in DuplicateDecision.objects.filter(review=review)}


def refresh_duplicates(review) -> int:
    """Store the review's duplicate groups: the pairs the review group confirmed, chained into groups.
    Returns how many groups there are."""
    entries = _current_entries(review)
    confirmed = [pair for pair, decision in _decided_keys(review).items()
                 if decision == DuplicateDecision.Decision.CONFIRMED]
    # Only the entries of agencies named in a confirmed pair can be in a group (none at all, usually).
    agencies = {agency_id for pair in confirmed for agency_id, _ref in pair}
    ids = {DuplicateDecision.key(agency_id, ref): pk
           for pk, agency_id, ref in entries.filter(agency_id__in=agencies).values_list(
               "pk", "agency_id", "event_ref").iterator(chunk_size=5000)} if agencies else {}
    parent: dict[int, int] = {}

    def find(item: int) -> int:
        while parent.get(item, item) != item:
            item = parent[item]
        return item

    for pair in confirmed:
        a, b = (ids.get(key) for key in pair)
        if a is not None and b is not None:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    members: dict[int, list[int]] = defaultdict(list)
    for pk in parent.keys() | set(parent.values()):
        members[find(pk)].append(pk)
    groups = [sorted(group) for group in members.values()]
    order = dict(entries.filter(pk__in=[g[0] for g in groups]).values_list("pk", "start_sort"))
    groups.sort(key=lambda group: (order.get(group[0], 0), group[0]))
    with transaction.atomic():
        ChronologyEntry.objects.filter(review=review, duplicate_group__isnull=False).update(duplicate_group=None)
        quote = connection.ops.quote_name
        sql = (f"UPDATE {quote(ChronologyEntry._meta.db_table)} SET {quote('duplicate_group')} = %s "  # noqa: S608
               f"WHERE {quote('id')} = %s")
        with connection.cursor() as cursor:
            cursor.executemany(sql, [(number, pk) for number, group in enumerate(groups, start=1) for pk in group])
        ReviewChronology.objects.update_or_create(review=review, defaults={
            "analysis_stale": False, "analysed_at": timezone.now()})
    return len(groups)


def suggested_duplicates(review, *, limit: int = 200) -> list[Suggestion]:
    """Pairs of entries that may record the same event, not yet decided, best first."""
    decided = _decided_keys(review)
    rows = _current_entries(review).filter(start_day__isnull=False).values_list(
        "pk", "agency_id", "agency__name", "agency_code", "event_ref", "start_year", "start_month", "start_day",
        "description")
    candidates, keys = [], {}
    for pk, agency_id, name, code, ref, y, m, d, text in rows.iterator(chunk_size=5000):
        candidates.append(Candidate(pk, agency_id, name, code, date(y, m, d), text, ref))
        keys[pk] = DuplicateDecision.key(agency_id, ref)
    done = {frozenset(ids) for ids in _pairs_of(decided, keys)}
    return suggest(candidates, decided=done, limit=limit)


def _pairs_of(decided: dict[frozenset, str], keys: dict[int, tuple[int, str]]):
    by_key = {key: pk for pk, key in keys.items()}
    for pair in decided:
        ids = [by_key.get(key) for key in pair]
        if all(pk is not None for pk in ids):
            yield ids


def ensure_analysis(review) -> None:
    """Bring the stored duplicate groups up to date if a chronology has changed since they were made."""
    settings = ReviewChronology.objects.filter(review=review).first()
    if settings is None or settings.analysis_stale:
        refresh_duplicates(review)


def duplicate_label(number: int | None) -> str:
    return f"D{number}" if number else ""


def duplicate_groups(entries) -> list[list[ChronologyEntry]]:
    """The groups among these entries that have two or more members, in chronological order."""
    grouped: dict[int, list[ChronologyEntry]] = defaultdict(list)
    for entry in entries.filter(duplicate_group__isnull=False).select_related("agency").order_by(
            "duplicate_group", *ChronologyEntry.ORDERING):
        grouped[entry.duplicate_group].append(entry)
    return [members for _, members in sorted(grouped.items()) if len(members) > 1]


@dataclass
class Gap:
    after: ChronologyEntry
    before: ChronologyEntry
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days


def gaps(entries, threshold_days: int) -> list[Gap]:
    """Stretches longer than the threshold with no recorded contact by any agency."""
    found: list[Gap] = []
    previous = None
    previous_day: date | None = None
    for entry in entries.select_related("agency").order_by(*ChronologyEntry.ORDERING).only(
            "id", "event_ref", "agency_code", "agency__short_code", "agency__name", "start_year", "start_month",
            "start_day", "start_uncertain", "start_first_day", "start_sort", "start_minutes", "ref_key",
            "end_year", "end_month", "end_day", "end_uncertain").iterator(chunk_size=5000):
        from .values import last_day

        day = entry.start_first_day
        if previous is not None and (day - previous_day).days > threshold_days:
            found.append(Gap(previous, entry, previous_day, day))
        end = entry.end
        latest = max(day, last_day(end)) if end is not None else day
        if entry.start_day is None:
            latest = max(latest, last_day(entry.start))
        if previous_day is None or latest > previous_day:
            previous_day = latest
        previous = entry
    return found


def events_per_agency(entries) -> tuple[list[str], list[tuple[str, list[int], int]]]:
    """(agency codes, rows of (period, counts per agency, total)) by year, or by quarter for short spans."""
    counts = list(entries.values("agency_code", "start_year", "start_month").annotate(n=Count("id")))
    if not counts:
        return [], []
    years = {c["start_year"] for c in counts}
    by_quarter = max(years) - min(years) < 3
    codes = sorted({c["agency_code"] for c in counts})
    table: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for c in counts:
        if by_quarter:
            period = f"{c['start_year']} Q{(c['start_month'] - 1) // 3 + 1}" if c["start_month"] else \
                f"{c['start_year']} (month not known)"
        else:
            period = str(c["start_year"])
        table[period][c["agency_code"]] += c["n"]
    rows = []
    for period in sorted(table):
        values = [table[period].get(code, 0) for code in codes]
        rows.append((period, values, sum(values)))
    return codes, rows


def significant(entries):
    """Significant events: key practice episodes, and entries the review group has flagged."""
    return entries.filter(Q(key_practice_episode=True) | Q(Exists(EntryStar.objects.filter(entry=OuterRef("pk")))))


@dataclass
class Knowledge:
    entry: ChronologyEntry
    recorded_by: list[str]  # agency codes whose chronologies record this event (the duplicate group)
    told: list[str]  # agencies the entries say were told or involved


def who_knew(entries, all_entries, agencies) -> list[Knowledge]:
    """For each significant event, which agencies knew of it: those that recorded it, and those named in
    what the agencies did (a referral to, a strategy discussion with, a call to another agency)."""
    patterns = []
    for agency in agencies:
        words = [re.escape(agency.short_code), re.escape(agency.name)]
        patterns.append((agency.short_code, re.compile(rf"(?<!\w)(?:{'|'.join(words)})(?!\w)", re.IGNORECASE)))
    result = []
    events = list(significant(entries).select_related("agency").order_by(*ChronologyEntry.ORDERING)[:500])
    groups = {e.duplicate_group for e in events if e.duplicate_group}
    members: dict[int, list[ChronologyEntry]] = defaultdict(list)
    for other in all_entries.filter(duplicate_group__in=groups).only("id", "agency_code", "duplicate_group",
                                                                      "description", "response", "partnership"):
        members[other.duplicate_group].append(other)
    for entry in events:
        same = members.get(entry.duplicate_group, []) if entry.duplicate_group else []
        recorded = sorted({entry.agency_code, *(m.agency_code for m in same)})
        texts = [entry.description, entry.response, entry.partnership] + [
            t for m in same for t in (m.description, m.response, m.partnership)]
        told = sorted({code for code, pattern in patterns for t in texts if t and pattern.search(t)}
                      - set(recorded))
        result.append(Knowledge(entry, recorded, told))
    return result


def gap_summary(entries, threshold_days: int) -> dict:
    found = gaps(entries, threshold_days)
    longest = max((g.days for g in found), default=0)
    return {"gaps": found, "longest": longest, "threshold": timedelta(days=threshold_days)}
