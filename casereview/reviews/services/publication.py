"""Publication: the plan, the Panel's copy, the statement, the blockers and the decision."""

from datetime import date, timedelta

from django.db import transaction

from casereview.audit.services import audit_record

from .. import selectors
from ..models import Review
from .base import ReviewError, _fmt, _move, _not_future, _today


def publication_plan(*, by, review: Review, planned_publication_on: date) -> Review:
    if planned_publication_on < _today():
        raise ReviewError("The planned publication date must be today or in the future", "planned_publication_on")
    with transaction.atomic():
        review.planned_publication_on = planned_publication_on
        review.save(update_fields=["planned_publication_on"])
        audit_record(by=by, action="review.publication_planned", obj=review,
                     detail={"planned_publication_on": planned_publication_on.isoformat()})
    return review


def panel_copy_sent(*, by, review: Review, sent_on: date) -> Review:
    version = selectors.latest_version(review)
    if review.status != Review.Status.APPROVED or version is None or not version.board_approved_at:
        raise ReviewError("Send the Panel the approved report: the board has not approved it yet", "sent_on")
    _not_future(sent_on, "The date the copy was sent", "sent_on")
    if sent_on < review.initiated_on:
        raise ReviewError("The date the copy was sent must be after the review started", "sent_on")
    with transaction.atomic():
        review.panel_copy_sent_on, review.panel_copy_version = sent_on, version
        review.save(update_fields=["panel_copy_sent_on", "panel_copy_version"])
        audit_record(by=by, action="review.panel_copy_sent", obj=review,
                     detail={"sent_on": sent_on.isoformat(), "version": version.number})
    return review


def statement_update(*, by, review: Review, statement_actions_taken: str, statement_impact: str,
                     statement_what_more: str) -> Review:
    with transaction.atomic():
        review.statement_actions_taken = statement_actions_taken.strip()
        review.statement_impact = statement_impact.strip()
        review.statement_what_more = statement_what_more.strip()
        review.save(update_fields=["statement_actions_taken", "statement_impact", "statement_what_more"])
        audit_record(by=by, action="review.statement_updated", obj=review)
    return review


def publication_blockers(review: Review, today: date) -> list[str]:
    """Everything that stops publication today, in words; an empty list means the report may be published."""
    if review.status != Review.Status.APPROVED:
        return ["The board must approve the report before it is published"]
    version = selectors.latest_version(review)
    blockers = []
    if version is None or not version.board_approved_at:
        blockers.append("The latest report version has not been approved by the board")
        return blockers
    open_hits = selectors.version_check(version).open_hits
    if open_hits:
        n = len(open_hits)
        blockers.append(f"The publication check found {n} thing{'s' if n != 1 else ''} that could identify "
                        f"someone in version {version.number}: fix {'them' if n != 1 else 'it'} in a new version "
                        "or accept each with a reason")
    if not review.planned_publication_on:
        blockers.append("Record the planned publication date")
    if review.is_scr:
        due = selectors.prepublication_due(review, today)
        if not review.panel_copy_sent_on:
            blockers.append("Record that the National Panel has been sent its copy: it must have it by "
                            f"{_fmt(due)} to publish today")
        elif review.panel_copy_version_id != version.pk:
            blockers.append(f"The Panel was sent version {review.panel_copy_version.number}: send them version "
                            f"{version.number} and record it")
        elif review.panel_copy_sent_on > due:
            earliest = today
            while selectors.prepublication_due(review, earliest) < review.panel_copy_sent_on:
                earliest += timedelta(days=1)
            length = selectors.board_clock(review.board, ("prepublication-copy",)).length_text
            blockers.append(f"The Panel's copy was sent on {_fmt(review.panel_copy_sent_on)}: it must have it "
                            f"{length} publication, so the report can be published from {_fmt(earliest)}")
    return blockers


def review_publish(*, by, review: Review) -> Review:
    today = _today()
    blockers = publication_blockers(review, today)
    if blockers:
        raise ReviewError(blockers[0])
    version = selectors.latest_version(review)
    with transaction.atomic():
        _move(review, review.publish, "Only an approved report can be published")
        review.published_on, review.published_version = today, version
        review.save()
        audit_record(by=by, action="review.published", obj=review, detail={"version": version.number})
    return review


def review_not_publish(*, by, review: Review, reason: str, panel_advice: str,
                       panel_advice_on: date | None) -> Review:
    if review.status != Review.Status.APPROVED:
        raise ReviewError("A decision about publication is made once the board has approved the report")
    if not reason.strip():
        raise ReviewError("Explain why the report will not be published", "reason")
    if review.is_scr and (not panel_advice.strip() or not panel_advice_on):
        raise ReviewError("Record the National Panel's advice and the date it was given: a decision not to "
                          "publish a Serious Case Review goes to the Panel for advice", "panel_advice")
    _not_future(panel_advice_on, "The date of the Panel's advice", "panel_advice_on")
    with transaction.atomic():
        _move(review, review.decide_not_to_publish, "A decision about publication follows board approval")
        review.not_published_reason, review.panel_advice = reason.strip(), panel_advice.strip()
        review.panel_advice_on = panel_advice_on
        review.save()
        audit_record(by=by, action="review.not_published", obj=review)
    return review


