"""Opening a review and its set-up: terms of reference, stages, parallel processes, the start of analysis."""

from datetime import date

from django.db import transaction
from django.db.models import Max
from django_fsm import can_proceed

from casereview.audit.services import audit_record
from casereview.cases.models import Case
from casereview.core.concurrency import claim_version
from casereview.lib.formats import long_date
from casereview.partnership.roles import Role

from .. import selectors
from ..methodologies import stage_plan
from ..models import Milestone, ParallelProcess, Review, ReviewReferenceCounter
from .base import ReviewError, _move, _not_future, lock_review
from .groups import _lead_reviewers, independence_problem

SCR_TYPES = (Review.Type.SCR_INTENSIVE, Review.Type.SCR_TARGETED)

SCR_FROM_CHAIR_ONLY = ("Only the Independent Chair starts a Serious Case Review, by deciding on the case's referral. "
                       "Open a Critical Incident Review, Learning Review or Individual Agency Review here, or ask the "
                       "Chair for a decision on the referral")
SCR_SWITCH_REFUSED = ("Changing a review into a Serious Case Review is the Independent Chair's decision: ask the Chair "
                      "for a new decision on the case's referral. The Chair's decision opens the Serious Case Review "
                      "and starts the National Panel clock")


def review_next_reference(*, board_id: int, year: int) -> str:
    """The next free "REV-<year>-NNN" of the board, from a counter row locked for the rest of the transaction
    (two reviews opened at the same moment never get the same reference)."""
    prefix = f"REV-{year}-"
    with transaction.atomic():
        counter, created = ReviewReferenceCounter.objects.select_for_update(of=("self",)).get_or_create(
            board_id=board_id, year=year)
        if created:
            # Reviews opened before the counter existed, or with references typed by hand, keep their numbers.
            taken = Review.objects.filter(board_id=board_id, reference__startswith=prefix) \
                .values_list("reference", flat=True)
            counter.last = max((int(ref[len(prefix):]) for ref in taken if ref[len(prefix):].isdigit()), default=0)
        number = counter.last + 1
        while Review.objects.filter(board_id=board_id, reference__iexact=f"{prefix}{number:03d}").exists():
            number += 1
        counter.last = number
        counter.save(update_fields=["last"])
    return f"{prefix}{number:03d}"


def review_initiate(*, by, case: Case, type: str, initiated_on: date, title: str = "",
                    reference: str = "", methodology: str = "") -> Review:
    """Open a review of a case. A Serious Case Review is opened only by the Independent Chair's decision on a
    referral (the referrals app calls this with the Chair as `by`); the Business Manager opens the other types."""
    if type in SCR_TYPES and not (getattr(by, "is_authenticated", False) and by.has_role(Role.INDEPENDENT_CHAIR)):
        raise ReviewError(SCR_FROM_CHAIR_ONLY, "type")
    _not_future(initiated_on, "The date the review was initiated", "initiated_on")
    reference = reference.strip()
    with transaction.atomic():
        if reference and Review.objects.filter(board_id=case.board_id, reference__iexact=reference).exists():
            raise ReviewError(f"There is already a review with the reference {reference}", "reference")
        review = Review.objects.create(
            board_id=case.board_id, case=case, type=type, initiated_on=initiated_on,
            title=title or case.pseudonym, methodology=methodology,
            reference=reference or review_next_reference(board_id=case.board_id, year=initiated_on.year),
            created_by=by if getattr(by, "is_authenticated", False) else None,
        )
        audit_record(by=by, action="review.initiated", obj=review, detail={"type": type, "case": case.reference})
        if methodology:
            _apply_stages(review)
    return review


def _apply_stages(review: Review) -> list[Milestone]:
    """The methodology's stages, due dates spread up to the review's target (none when it has no target yet)."""
    target = selectors.review_target(review)
    plan = stage_plan(review.methodology, review.initiated_on, target or review.initiated_on)
    return [Milestone.objects.create(review=review, position=i, name=name, due_on=due if target else None)
            for i, (name, due) in enumerate(plan, start=1)]


def review_update_setup(*, by, review: Review, version: int | None = None, type: str, methodology: str,
                        period_start: date | None, period_end: date | None, questions: str, agencies_in_scope,
                        proportionality_rationale: str, title: str, target_on: date | None = None) -> Review:
    if period_start and period_end and period_end < period_start:
        raise ReviewError("The end of the period under review must be the same as or after its start",
                          "period_end")
    if bool(period_start) != bool(period_end):
        raise ReviewError("Enter both the start and the end of the period under review",
                          "period_end" if period_start else "period_start")
    if target_on and target_on <= review.initiated_on:
        raise ReviewError(f"The target completion date must be after the review started ({long_date(review.initiated_on)})",
                          "target_on")
    agencies = list(agencies_in_scope)
    if any(a.board_id != review.board_id for a in agencies):
        raise ReviewError("Choose agencies of this board", "agencies_in_scope")
    with transaction.atomic():
        review = lock_review(review)
        if type in SCR_TYPES and not review.is_scr:
            raise ReviewError(SCR_SWITCH_REFUSED, "type")
        if type in SCR_TYPES:
            for member in _lead_reviewers(review):
                if independence_problem(review=review, user=member.user, scr=True):
                    raise ReviewError(
                        f"{member.user} leads this review and is not independent: an SCR's lead reviewer must be "
                        "independent of every board agency and hold no board role. Replace the lead reviewer "
                        "first.", "type")
        claim_version(review, version, "review")
        changed_methodology = methodology != review.methodology
        review.type, review.methodology, review.title = type, methodology, title.strip() or review.title
        review.period_start, review.period_end = period_start, period_end
        review.questions, review.proportionality_rationale = questions.strip(), proportionality_rationale.strip()
        review.target_on = target_on
        review.save()
        review.agencies_in_scope.set(agencies)
        if changed_methodology and methodology and not review.milestones.exists():
            _apply_stages(review)
        audit_record(by=by, action="review.setup_updated", obj=review,
                     detail={"type": type, "methodology": methodology,
                             "agencies_in_scope": [a.short_code for a in agencies]})
    return review


def stages_apply_template(*, by, review: Review) -> list[Milestone]:
    """Replace the stages with the methodology's template (stages already completed are kept)."""
    if not review.methodology:
        raise ReviewError("Choose the review's methodology first")
    with transaction.atomic():
        review = lock_review(review)
        review.milestones.filter(completed_on__isnull=True).delete()
        offset = review.milestones.aggregate(top=Max("position"))["top"] or 0
        created = _apply_stages(review)
        for milestone in created:
            milestone.position += offset
            milestone.save(update_fields=["position"])
        audit_record(by=by, action="review.stages_applied", obj=review, detail={"methodology": review.methodology})
    return created


def _check_milestone_dates(review: Review, due_on: date | None, completed_on: date | None) -> None:
    if due_on and due_on < review.initiated_on:
        raise ReviewError(f"The due date must be on or after the review started ({long_date(review.initiated_on)})",
                          "due_on")
    if completed_on and completed_on < review.initiated_on:
        raise ReviewError("The date completed must be on or after the review started "
                          f"({long_date(review.initiated_on)})", "completed_on")
    _not_future(completed_on, "The date completed", "completed_on")


def milestone_save(*, by, review: Review, milestone: Milestone | None = None, version: int | None = None,
                   name: str, due_on: date | None, completed_on: date | None, owner, notes: str = "") -> Milestone:
    _check_milestone_dates(review, due_on, completed_on)
    if owner is not None and owner.board_id != review.board_id:
        raise ReviewError("Choose an owner from this board", "owner")
    with transaction.atomic():
        lock_review(review)
        if milestone is None:
            top = review.milestones.aggregate(top=Max("position"))["top"] or 0
            milestone = Milestone(review=review, position=top + 1)
        else:
            claim_version(milestone, version, "stage")
        milestone.name, milestone.due_on, milestone.completed_on = name.strip(), due_on, completed_on
        milestone.owner, milestone.notes = owner, notes.strip()
        milestone.save()
        audit_record(by=by, action="review.stage_saved", obj=review,
                     detail={"stage": milestone.name, "due_on": str(due_on or ""),
                             "completed_on": str(completed_on or "")})
    return milestone


_PROCESS_MOVES = {
    ParallelProcess.Status.ONGOING: "mark_ongoing",
    ParallelProcess.Status.PAUSED: "mark_paused",
    ParallelProcess.Status.CONCLUDED: "mark_concluded",
}


def parallel_process_save(*, by, review: Review, process: ParallelProcess | None = None, version: int | None = None,
                          kind: str, detail: str, status: str, status_on: date) -> ParallelProcess:
    _not_future(status_on, "The date of the status", "status_on")
    with transaction.atomic():
        lock_review(review)
        if process is None:
            process = ParallelProcess(review=review, status=status)
        else:
            claim_version(process, version, "parallel process")
            if status != process.status:
                move = _PROCESS_MOVES.get(status)
                if move is None or not can_proceed(getattr(process, move)):
                    raise ReviewError(f"A process that is {process.get_status_display().lower()} cannot become "
                                      f"{ParallelProcess.Status(status).label.lower()}", "status")
                getattr(process, move)()
        process.kind, process.detail, process.status_on = kind, detail.strip(), status_on
        process.updated_by = by
        process.save()
        audit_record(by=by, action="review.parallel_process_saved", obj=review,
                     detail={"kind": kind, "status": status})
    return process


def review_start_analysis(*, by, review: Review) -> Review:
    with transaction.atomic():
        review = lock_review(review)
        problems = []
        if not review.period_start:
            problems.append("record the period under review in the terms of reference")
        if not review.methodology:
            problems.append("choose the methodology")
        if not _lead_reviewers(review).exists():
            problems.append("appoint a lead reviewer")
        if problems:
            raise ReviewError("Before the review moves to information gathering and analysis, " +
                              ", ".join(problems))
        _move(review, review.start_analysis, "The review is already past set-up")
        review.save()
        audit_record(by=by, action="review.analysis_started", obj=review)
    return review
