"""The quarterly exception report (Performance Committee, seed s.7) and the summary report for the Executive
(the progress of Serious Case Reviews and Critical Incident Reviews, then action plans with outstanding and
overdue actions first), as data shared by the web page, Word and PDF. What each report shows is decided here,
not by the templates."""

from dataclasses import dataclass, field
from datetime import date

from django.template.loader import render_to_string

from casereview.lib.formats import count, long_date, short_date
from casereview.lib.office import DocumentSetup, marking_css
from casereview.lib.pdf import PdfProperties, render_pdf
from casereview.reviews.models import Review
from casereview.reviews.selectors import review_timescale, reviews_visible_to

from . import wordgen
from .charts import Bar, rag_png, rag_svg
from .models import Action, ActionPlan, Rag
from .rollups import Summary, summarise, summarise_by
from .selectors import actions_missing_update, current_cycle, plans_visible_to

KINDS = {
    "exception": "Quarterly exception report: action plans",
    "executive": "Summary report for the Executive: reviews and action plans",
}
# The reviews whose progress the Executive follows.
EXECUTIVE_REVIEW_TYPES = (Review.Type.SCR_INTENSIVE, Review.Type.SCR_TARGETED, Review.Type.CIR)
REVIEWS_IN_PROGRESS = (Review.Status.INITIATED, Review.Status.ANALYSIS, Review.Status.REPORT_QA)


@dataclass
class ReviewProgress:
    reference: str
    type: str
    stage: str
    initiated: str
    target: str
    timescale: str
    action_plan: str


@dataclass
class Row:
    plan: str
    reference: str
    description: str
    agency: str
    owner: str
    target: str
    rag: str
    percent: str
    state: str
    overdue_days: int
    narrative: str = ""
    flags: list[str] = field(default_factory=list)
    impact: str = ""

    @property
    def flag_text(self) -> str:
        return "; ".join(self.flags)


@dataclass
class Report:
    kind: str
    title: str
    board_name: str
    today: date
    board: Summary
    by_plan: list[Summary]
    by_agency: list[Summary]
    rows: list[Row]
    completed: list[Row]
    marking: str
    plans_awaiting_approval: int = 0
    reviews: list[ReviewProgress] = field(default_factory=list)

    @property
    def is_executive(self) -> bool:
        return self.kind == "executive"

    @property
    def rows_heading(self) -> str:
        return ROWS_HEADINGS[self.kind][0]

    @property
    def rows_intro(self) -> str:
        return ROWS_HEADINGS[self.kind][1]

    @property
    def shown_completed(self) -> list[Row]:
        return self.completed if self.is_executive else []

    @property
    def shown_awaiting(self) -> int:
        return self.plans_awaiting_approval if self.is_executive else 0

    @property
    def plan_bars(self) -> list[Bar]:
        return [Bar(s.label, s.by_rag) for s in self.by_plan]

    @property
    def agency_bars(self) -> list[Bar]:
        return [Bar(s.label, s.by_rag) for s in self.by_agency]

    def plan_svg(self) -> str:
        return rag_svg("RAG status of actions by plan", self.plan_bars, f"{self.kind}-plan-chart")

    def agency_svg(self) -> str:
        return rag_svg("RAG status of actions by lead agency", self.agency_bars, f"{self.kind}-agency-chart")

    @property
    def summary_text(self) -> str:
        b = self.board
        return (f"{count(b.total, 'action')} in {count(len(self.by_plan), 'plan')}: {b.open} open, "
                f"{b.overdue} overdue, "
                f"{b.complete} complete awaiting evaluation, {b.evaluated} complete and evaluated, "
                f"{b.closed} closed with a reason. Average completion {b.percent_complete}%.")


def _latest_narrative(action: Action) -> str:
    updates = list(action.updates.all())
    return updates[0].narrative if updates else ""


def _row(action: Action, today: date, flags: list[str] | None = None) -> Row:
    overdue = (today - action.current_target).days if action.is_overdue_on(today) else 0
    evaluation = getattr(action, "evaluation", None) if action.state == "evaluated" else None
    return Row(
        plan=action.plan.source_label, reference=action.reference, description=action.description,
        agency=action.lead_agency.name, owner=str(action.owner),
        target=short_date(action.current_target) + (" (revised)" if action.revised_target_date else ""),
        rag=action.rag_label, percent=f"{action.percent_complete}%", state=action.get_state_display(),
        overdue_days=overdue, narrative=_latest_narrative(action), flags=flags or [],
        impact=(f"{evaluation.get_method_display()}, {short_date(evaluation.evaluated_on)}: {evaluation.result} "
                f"(outcome improved: {evaluation.get_outcome_improved_display().lower()})") if evaluation else "",
    )


def build(user, kind: str, today: date) -> Report:
    if kind not in KINDS:
        raise ValueError(kind)
    plans = plans_visible_to(user)
    if kind == "exception":
        plans = plans.filter(state=ActionPlan.State.MONITORING)
    else:
        plans = plans.filter(state__in=[ActionPlan.State.APPROVED, ActionPlan.State.MONITORING])
    actions = list(Action.objects.filter(plan__in=plans)
                   .select_related("plan", "outcome__recommendation", "lead_agency", "owner", "evaluation")
                   .prefetch_related("updates")
                   .order_by("plan__source_label", "outcome__recommendation__number", "number"))
    by_plan = summarise_by(actions, today, key=lambda a: a.plan_id, label=lambda a: a.plan.source_label)
    by_agency = sorted(summarise_by(actions, today, key=lambda a: a.lead_agency_id,
                                    label=lambda a: a.lead_agency.name), key=lambda s: s.label)
    missing: set[int] = set()
    for plan in plans:
        cycle = current_cycle(plan, today)
        # The quarter just finished is the one reported on; before the first due date, nothing is missing.
        finished = plan.cycles.filter(due_date__lt=today).order_by("-number").first()
        for c in {cycle, finished} - {None}:
            if c.due_date < today:
                missing |= set(actions_missing_update(c).values_list("pk", flat=True))
    rows, completed = [], []
    for action in actions:
        flags = []
        if action.is_overdue_on(today):
            flags.append(f"Overdue by {(today - action.current_target).days} days")
        if action.rag in (Rag.RED, Rag.AMBER):
            flags.append(f"Reported {action.rag_label.lower()}")
        if action.pk in missing:
            flags.append("Quarterly update not given")
        if action.state in ("complete", "evaluated", "closed"):
            if kind == "executive":
                completed.append(_row(action, today))
            elif action.state == "complete":
                # The committee reviews completed actions whose impact is still to be evaluated (seed s.7).
                rows.append(_row(action, today, ["Complete: impact not yet evaluated"]))
            continue
        if kind == "exception" and not flags:
            continue
        rows.append(_row(action, today, flags))
    # Outstanding and overdue first: most overdue, then red, amber, the rest.
    rag_rank = {"Red": 0, "Amber": 1, "Not yet reported": 2, "Green": 3, "Blue": 4}
    rows.sort(key=lambda r: (-r.overdue_days, rag_rank.get(r.rag, 5), r.plan, r.reference))
    awaiting = plans_visible_to(user).filter(state=ActionPlan.State.AWAITING_APPROVAL).count()
    return Report(kind=kind, title=KINDS[kind], board_name=user.board.name, today=today,
                  board=summarise(actions, today, "Board"), by_plan=by_plan, by_agency=by_agency, rows=rows,
                  completed=completed, marking=user.board.protective_marking, plans_awaiting_approval=awaiting,
                  reviews=reviews_in_progress(user, today) if kind == "executive" else [])


def reviews_in_progress(user, today: date) -> list[ReviewProgress]:
    """Every Serious Case Review and Critical Incident Review this person may see that is not yet approved: its
    stage, its target date and where it stands against it, and its action plan."""
    plans = {plan.review_id: plan for plan in plans_visible_to(user).filter(review__isnull=False)}
    progress = []
    reviews = (reviews_visible_to(user).filter(type__in=EXECUTIVE_REVIEW_TYPES, status__in=REVIEWS_IN_PROGRESS)
               .prefetch_related("extensions", "pauses").order_by("initiated_on", "reference"))
    for review in reviews:
        timescale = review_timescale(review, today)
        plan = plans.get(review.pk)
        progress.append(ReviewProgress(
            reference=review.reference, type=review.get_type_display(), stage=review.get_status_display(),
            initiated=long_date(review.initiated_on),
            target=long_date(timescale.target, "Not set yet: the SCR Committee sets it"),
            timescale=timescale.status.label if timescale.status else "No target yet", action_plan=plan.get_state_display() if plan else "Not yet opened"))
    return progress


SUMMARY_COLUMNS = ["Name", "Actions", "Open", "Overdue", "Red", "Amber", "Green", "Blue", "Not reported",
                   "% complete"]
SUMMARY_CELLS = ["{{ s.label }}", "{{ s.total }}", "{{ s.open }}", "{{ s.overdue }}", "{{ s.by_rag.red }}",
                 "{{ s.by_rag.amber }}", "{{ s.by_rag.green }}", "{{ s.by_rag.blue }}", "{{ s.by_rag.none }}",
                 "{{ s.percent_complete }}%"]

WORD_SPEC = [
    ("title", "{{ title }}"),
    ("para", "{{ board_name }}. Produced {{ today }}."),
    ("if", "reviews", [
        ("heading", "Serious Case Reviews and Critical Incident Reviews in progress", 1),
        ("table", "v in reviews", ["Review", "Type", "Stage", "Initiated", "Target", "Timescale", "Action plan"],
         ["{{ v.reference }}", "{{ v.type }}", "{{ v.stage }}", "{{ v.initiated }}", "{{ v.target }}",
          "{{ v.timescale }}", "{{ v.action_plan }}"]),
        ("heading", "Action plans", 1),
    ]),
    ("para", "{{ summary_text }}"),
    ("if", "awaiting", [("para", "Plans awaiting approval by the SCR Committee: {{ awaiting }}.")]),
    ("heading", "{{ rows_heading }}", 1),
    ("para", "{{ rows_intro }}"),
    ("table", "r in rows", ["Plan", "Action", "What", "Lead agency and owner", "Target", "RAG", "Done",
                            "Why it is listed", "Latest narrative"],
     ["{{ r.plan }}", "{{ r.reference }}", "{{ r.description }}", "{{ r.agency }}, {{ r.owner }}",
      "{{ r.target }}", "{{ r.rag }}", "{{ r.percent }}", "{{ r.flag_text }}", "{{ r.narrative }}"]),
    ("if", "completed", [
        ("heading", "Completed actions and their impact", 1),
        ("table", "r in completed", ["Plan", "Action", "What", "Lead agency", "State", "Impact"],
         ["{{ r.plan }}", "{{ r.reference }}", "{{ r.description }}", "{{ r.agency }}", "{{ r.state }}",
          "{{ r.impact }}"]),
    ]),
    ("heading", "RAG status by plan", 1),
    ("image", "plan_chart"),
    ("table", "s in by_plan", SUMMARY_COLUMNS, SUMMARY_CELLS),
    ("heading", "RAG status by lead agency", 1),
    ("image", "agency_chart"),
    ("table", "s in by_agency", SUMMARY_COLUMNS, SUMMARY_CELLS),
]

ROWS_HEADINGS = {
    "exception": ("Exceptions", "Actions that are overdue, red or amber, missing their quarterly update, or "
                                "complete and awaiting evaluation. Green actions on time are not listed."),
    "executive": ("Outstanding and overdue actions", "Every open action, the most overdue first."),
}


def _context(report: Report) -> dict:
    return {
        "report": report, "title": report.title, "board_name": report.board_name,
        "today": long_date(report.today), "summary_text": report.summary_text,
        "awaiting": report.shown_awaiting, "rows_heading": report.rows_heading, "rows_intro": report.rows_intro,
        "rows": report.rows, "completed": report.shown_completed, "reviews": report.reviews,
        "by_plan": report.by_plan, "by_agency": report.by_agency,
    }


def as_docx(report: Report) -> bytes:
    setup = DocumentSetup(title=report.title, board_name=report.board_name, marking=report.marking, landscape=True,
                          font_size=10)
    return wordgen.render(f"actions-report-{report.kind}", WORD_SPEC, _context(report), setup=setup,
                          images={"plan_chart": rag_png("RAG status of actions by plan", report.plan_bars),
                                  "agency_chart": rag_png("RAG status of actions by lead agency",
                                                          report.agency_bars)})


# Landscape pages for wide tables; the marking and font come from the service's one document shape.
PDF_PAGE = "@page { size: A4 landscape; margin: 14mm; }"


def as_pdf(report: Report) -> bytes:
    return render_pdf(render_to_string("actions/report_pdf.html", _context(report)),
                      PdfProperties(title=report.title, author=report.board_name),
                      stylesheets=[marking_css(report.marking), PDF_PAGE])
