"""The board's annual report on learning for a chosen calendar year (seed s.3: findings from all reviews,
forums and audits are summarised in the annual report)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Count

from casereview.lib.dates import today as board_today
from casereview.reviews.models import Finding, Review

from . import charts
from .audits.selectors import audit_results
from .documents import Doc
from .models import Audit, Forum, ForumAttendance, LearningSummary, SustainQuestion
from .words import plural

TOP_THEMES = 10


@dataclass
class AnnualReport:
    board: object
    year: int
    reviews_by_type: list[list[str]] = field(default_factory=list)
    reviews_total: int = 0
    summaries: list[list[str]] = field(default_factory=list)
    forums: list[list[str]] = field(default_factory=list)
    attendance_by_agency: list[list[str]] = field(default_factory=list)
    audits: list[list[str]] = field(default_factory=list)
    themes: list[tuple[str, int]] = field(default_factory=list)
    recurring: dict = field(default_factory=dict)
    actions: list[list[str]] = field(default_factory=list)
    actions_note: str = ""
    clocks: list[list[str]] = field(default_factory=list)

    @property
    def themes_svg(self) -> str:
        return charts.bar_chart(self.themes, title=f"Learning themes most seen in {self.year}")


def _status_label(review: Review) -> str:
    display = getattr(review, "get_status_display", None)
    label = display() if callable(display) else review.status
    return str(label).replace("_", " ").capitalize()


def build(board, year: int) -> AnnualReport:
    report = AnnualReport(board=board, year=year)
    reviews = list(Review.objects.filter(board=board, initiated_on__year=year))
    report.reviews_total = len(reviews)
    by_type = Counter((r.get_type_display(), _status_label(r)) for r in reviews)
    report.reviews_by_type = [[kind, status, str(n)] for (kind, status), n in sorted(by_type.items())]

    summaries = LearningSummary.objects.filter(board=board, state=LearningSummary.State.APPROVED,
                                               approved_at__year=year).select_related("review")
    report.summaries = [[s.review.reference, s.title, s.review_type,
                         str(s.presentations.count()), str(s.disseminations.count())] for s in summaries]

    forums = Forum.objects.filter(board=board, sessions__held_on__year=year).distinct()
    for forum in forums.prefetch_related("themes"):
        sessions = forum.sessions.filter(held_on__year=year)
        attendance = sum(a.attendees for s in sessions for a in s.attendance.all())
        report.forums.append([forum.title, forum.get_origin_display(), str(sessions.count()), str(attendance),
                              str(forum.outputs.count())])
    agency_rows = (ForumAttendance.objects.filter(session__forum__board=board, session__held_on__year=year)
                   .values("agency__name").annotate(n=Count("id")).order_by("agency__name"))
    totals = Counter()
    for a in ForumAttendance.objects.filter(session__forum__board=board, session__held_on__year=year).select_related(
            "agency"):
        totals[a.agency.name] += a.attendees
    report.attendance_by_agency = [[row["agency__name"], str(row["n"]), str(totals[row["agency__name"]])]
                                   for row in agency_rows]

    for audit in Audit.objects.filter(board=board, audited_on__year=year).select_related("tool", "previous"):
        results = [r for r in audit_results(audit) if r.percent is not None]
        overall = round(sum(r.percent for r in results) / len(results), 1) if results else None
        before = [r.previous_percent for r in results if r.previous_percent is not None]
        change = (round(overall - sum(before) / len(before), 1) if overall is not None and before else None)
        report.audits.append([audit.title, audit.get_kind_display(), str(audit.cases.count()),
                              f"{overall}%" if overall is not None else "No answers",
                              (f"{change:+} points" if change is not None else "First audit")])

    counts: Counter = Counter()
    for finding in Finding.objects.filter(review__board=board, review__initiated_on__year=year).prefetch_related(
            "themes"):
        counts.update(str(t) for t in finding.themes.all() if t.parent_id)
    for summary in summaries.prefetch_related("themes"):
        counts.update(str(t) for t in summary.themes.all() if t.parent_id)
    for forum in forums.prefetch_related("themes"):
        counts.update(str(t) for t in forum.themes.all() if t.parent_id)
    for audit in Audit.objects.filter(board=board, audited_on__year=year).prefetch_related("themes"):
        counts.update(str(t) for t in audit.themes.all() if t.parent_id)
    report.themes = counts.most_common(TOP_THEMES)

    questions = SustainQuestion.objects.filter(board=board, raised_at__year=year)
    report.recurring = {"raised": questions.count(),
                        "answered": questions.filter(state=SustainQuestion.State.ANSWERED).count()}

    report.clocks = _clocks(board, year)

    if apps.is_installed("casereview.actions"):
        from casereview.actions.models import Action

        actions = Action.objects.filter(plan__board=board, target_date__year=year)
        states = Counter(actions.values_list("state", flat=True))
        total = sum(states.values())
        finished = sum(states[s] for s in Action.FINISHED_STATES)
        evaluated = states["evaluated"]
        if total:
            report.actions = [["Actions due in the year", str(total)],
                              ["Complete (including closed)", f"{finished} ({round(100 * finished / total)}%)"],
                              ["Impact evaluated", f"{evaluated} ({round(100 * evaluated / total)}%)"],
                              ["Still open", str(total - finished)]]
    return report


CLOCK_OUTCOMES = ("met", "met_late", "overdue", "running")


def _clocks(board, year: int) -> list[list[str]]:
    """Statutory clocks that fell due in the year (the board's rule pack): met on time, met late, missed."""
    from casereview.lib.clocks import Status
    from casereview.reviews.selectors import review_timescale

    tally: dict[str, Counter] = {}

    def count(name: str, due, status) -> None:
        if due.year != year:
            return
        outcome = {Status.MET: "met", Status.MET_LATE: "met_late", Status.OVERDUE: "overdue"}.get(
            status.status, "running")
        tally.setdefault(name, Counter())[outcome] += 1

    if apps.is_installed("casereview.referrals"):
        from casereview.referrals.clocks import referral_clocks
        from casereview.referrals.models import Referral

        for referral in Referral.objects.filter(board=board, received_on__isnull=False).select_related(
                "board", "decision", "panel_notice"):
            for view in referral_clocks(referral):
                count(view.clock.name, view.status.due, view.status)
    today = board_today()
    for review in Review.objects.filter(board=board).prefetch_related("extensions", "pauses"):
        timescale = review_timescale(review, today)
        if timescale.clock is None:  # no statutory clock for this type of review
            continue
        count(f"Review completed ({timescale.clock.name})", timescale.target, timescale.status)
    return [[name, *(str(tally[name][o]) for o in CLOCK_OUTCOMES)] for name in sorted(tally)]


def as_doc(report: AnnualReport) -> Doc:
    doc = Doc(f"Learning and improvement: annual report {report.year}", board_name=report.board.name,
              marking=report.board.protective_marking, subtitle=report.board.name)
    doc.add("Reviews", f"{plural(report.reviews_total, 'review')} "
                       f"initiated in {report.year}.",
            headers=["Type", "Outcome so far", "Number"], rows=report.reviews_by_type)
    doc.add("Statutory clocks", "" if report.clocks else f"No statutory clock fell due in {report.year}.",
            headers=["Clock (due in the year)", "Met on time", "Met late", "Missed", "Still running"],
            rows=report.clocks)
    doc.add("Learning summaries approved", "" if report.summaries else "None this year.",
            headers=["Review", "Title", "Type", "Committees presented to", "Times shared"], rows=report.summaries)
    doc.add("Practitioner forums", "" if report.forums else "No forum sessions this year.",
            headers=["Forum theme", "Where it came from", "Sessions", "Attendance", "Outputs"], rows=report.forums)
    if report.attendance_by_agency:
        doc.add("Forum attendance by agency", headers=["Agency", "Sessions attended", "People"],
                rows=report.attendance_by_agency)
    doc.add("Audits", "" if report.audits else "No audits this year.",
            headers=["Audit", "Type", "Cases", "Meeting the standard (average of questions)", "Change"],
            rows=report.audits)
    doc.add("Learning themes most seen", "" if report.themes else "No tagged learning this year.",
            headers=["Theme", "Times tagged"], rows=[[t, str(n)] for t, n in report.themes],
            svg=report.themes_svg)
    doc.add("Recurring learning",
            f"{plural(report.recurring['raised'], 'finding')} repeated earlier learning; the Performance Committee "
            f"has answered why the learning was not sustained for {report.recurring['answered']}.")
    if report.actions:
        doc.add("Action completion and impact", headers=["Measure", "Number"], rows=report.actions)
    return doc


def years_for(board) -> list[int]:
    # Every year from 2010 (reports are asked for years after the event), plus any year with records.
    years = set(range(2010, board_today().year + 1))
    years |= {d.year for d in Review.objects.filter(board=board).values_list("initiated_on", flat=True)}
    years |= {d.year for d in Audit.objects.filter(board=board).values_list("audited_on", flat=True)}
    return sorted(years, reverse=True)
