"""Publication dates: the Panel's copy, how long a report stays online, the public list, and what the
public page offers."""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from casereview.lib import clocks

from .. import hooks
from ..models import InterimPoint, ParallelProcess, PublicationImpact, Review
from ..permissions import can_manage_reviews


def prepublication_clock(review: Review) -> clocks.Clock:
    return clocks.resolve_clock(review.board.rule_pack, "prepublication-copy")


def prepublication_due(review: Review, publication_on: date) -> date:
    return clocks.due_date(prepublication_clock(review), publication_on,
                           review.board.closure_days.values_list("date", flat=True))


def publication_impact(review: Review) -> PublicationImpact | None:
    return PublicationImpact.objects.filter(review=review).first()


def online_until(review: Review) -> date | None:
    """The last day the report is on the public page: at least the rule pack's period (12 months under the
    framework), or longer when the board has chosen to keep it."""
    if review.published_on is None:
        return None
    clock = clocks.resolve_clock(review.board.rule_pack, "publication-online")
    until = clocks.due_date(clock, review.published_on)
    impact = publication_impact(review)
    if impact is not None and impact.keep_online_until and impact.keep_online_until > until:
        return impact.keep_online_until
    return until


# A court's reporting restriction is recorded as a parallel process; the kind is looked up by name so that
# publication keeps working whichever way the Review Group's list of kinds spells it.
COURT_RESTRICTION_KINDS = tuple(
    kind for kind in ParallelProcess.Kind if kind.name in ("COURT_RESTRICTION", "REPORTING_RESTRICTION")
)


def court_restrictions_in_force(review: Review) -> list[ParallelProcess]:
    return list(review.parallel_processes.filter(kind__in=COURT_RESTRICTION_KINDS)
                .exclude(status=ParallelProcess.Status.CONCLUDED))


def published_reviews(board) -> QuerySet[Review]:
    return (Review.objects.filter(board=board, status=Review.Status.PUBLISHED, published_version__isnull=False)
            .select_related("published_version", "board", "published_report").order_by("-published_on", "-id"))


@dataclass(frozen=True)
class PublicationActions:
    """Where publication stands and what a person may do on the publication page right now."""

    published: bool
    not_published: bool
    plan: bool
    send_panel_copy: bool
    publish: bool
    not_publish: bool
    edit_impact: bool
    edit_statement: bool
    log_requests: bool


def publication_actions(user, review: Review) -> PublicationActions:
    manage = can_manage_reviews(user)
    status = review.status
    published, not_published = status == Review.Status.PUBLISHED, status == Review.Status.NOT_PUBLISHED
    deciding = status == Review.Status.APPROVED  # approved: the plan, the Panel's copy, publishing or not
    return PublicationActions(
        published=published, not_published=not_published,
        plan=manage and deciding, send_panel_copy=manage and deciding and review.is_scr,
        publish=manage and deciding, not_publish=manage and deciding,
        edit_impact=manage and not not_published, edit_statement=manage and not not_published,
        log_requests=manage and published,
    )


def statement_prefill(review: Review) -> dict[str, str]:
    """The statement form's starting text. Saved text wins; otherwise a draft from the corrective actions recorded
    during the review (the first actions already taken) and from the review's action plans."""
    points = review.interim_points.filter(kind=InterimPoint.Kind.CORRECTIVE).select_related("agency")
    interim = [f"- {p.text}" + (f" ({p.agency})" if p.agency_id else "") for p in points]
    drafted = hooks.statement_draft(review)
    return {
        "statement_actions_taken": review.statement_actions_taken
        or "\n".join(filter(None, [*interim, drafted["actions_taken"]])),
        "statement_impact": review.statement_impact or drafted["impact"],
        "statement_what_more": review.statement_what_more or drafted["what_more"],
    }


def public_list_rows(board, today: date) -> list[dict]:
    """The board's public page: each published report, whether it is still online, and its PDF's size."""
    rows = []
    for review in published_reviews(board):
        until = online_until(review)
        published = getattr(review, "published_report", None)
        rows.append({"review": review, "online_until": until, "online": until is None or today <= until,
                     "published": published,
                     "pdf_size": published.pdf.size if published is not None and published.pdf else None})
    return rows

