"""What learning adds to the apps below it, through the registries they expose (learning is the top layer
but the API, so nothing below may import it): each function here is registered from ``LearningConfig.ready``.

- committees: ``learning_summaries_waiting(meeting)`` proposes approved summaries to the Performance and the
  Learning and Development Committees' agendas, and ``presentations_from_minutes(by=, meeting=)`` records a
  summary as presented once the meeting that had it on its agenda is minuted;
- reviews: ``finding_saved(by=, finding=)`` keeps the learning library in step with a finding and asks
  whether it repeats earlier learning; ``learning_summary_needed(review)`` stops a review closing before its
  learning summary is written;
- referrals: ``forum_from_referral`` and ``audit_from_referral`` create the forum theme or the audit theme
  the SCR Committee routed a referral to.

These are the one mechanism: the library is updated by direct calls from the services that change indexed
text (here and in this app's own services), never by model signals.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from casereview.committees.agenda import Proposal
from casereview.partnership.models import Committee

from .errors import LearningError
from .models import LearningSummary, SummaryPresentation

AGENDA_SOURCE = "learning.summary"
SUMMARY_COMMITTEES = (Committee.Kind.PERFORMANCE, Committee.Kind.LEARNING_DEVELOPMENT)


# --- committees ---------------------------------------------------------------------------------------------

def learning_summaries_waiting(meeting) -> list[Proposal]:
    """Approved summaries the meeting's committee has not yet received (seed s.6 and 9: every summary goes to
    the Performance and the Learning and Development Committees)."""
    if meeting.committee.kind not in SUMMARY_COMMITTEES:
        return []
    summaries = (LearningSummary.objects.filter(board_id=meeting.board_id, state=LearningSummary.State.APPROVED)
                 .exclude(presentations__committee=meeting.committee).select_related("review")
                 .order_by("approved_at", "pk"))
    return [Proposal(kind="learning_summary", source_type=AGENDA_SOURCE, source_id=str(s.pk),
                     title=f"Learning summary: {s.review.reference} {s.title}",
                     paper=s.key_findings, url=reverse("learning:summary_detail", args=[s.pk]),
                     ready_on=s.approved_at.date() if s.approved_at else None)
            for s in summaries]


def presentations_from_minutes(*, by, meeting) -> int:
    """Record every learning summary on the minuted meeting's agenda as presented to its committee, on the
    meeting's date. Idempotent; returns how many were recorded now."""
    from .services import summary_record_presentation

    if not meeting.minutes_recorded_at:
        raise LearningError("Record the meeting's minutes first: a summary counts as presented once minuted")
    ids = [int(i) for i in meeting.agenda_items.filter(source_type=AGENDA_SOURCE)
           .values_list("source_id", flat=True) if str(i).isdigit()]
    done = set(SummaryPresentation.objects.filter(committee=meeting.committee, summary_id__in=ids)
               .values_list("summary_id", flat=True))
    held_on = timezone.localtime(meeting.starts_at).date()
    recorded = 0
    with transaction.atomic():
        for summary in LearningSummary.objects.filter(pk__in=ids, board_id=meeting.board_id).exclude(pk__in=done):
            if summary.is_approved:
                summary_record_presentation(by=by, summary=summary, committee=meeting.committee,
                                            presented_on=held_on, notes="Recorded from the meeting's minutes.")
                recorded += 1
    return recorded


# --- reviews ------------------------------------------------------------------------------------------------

def finding_saved(*, by, finding) -> None:
    """A finding was recorded or changed: index it, and raise "why was this not sustained?" if it repeats."""
    from .services import recurring_record

    recurring_record(by=by, finding=finding)


def learning_summary_needed(review) -> str | None:
    if LearningSummary.objects.filter(review=review).exists():
        return None
    return ("Write the review's learning summary first: every review has one before it is published or closed "
            "without publication")


# --- referrals ----------------------------------------------------------------------------------------------

def forum_from_referral(*, by, referral, reason: str = "") -> str:
    """The SCR Committee routed a referral to a practitioner forum theme: open the forum for the Performance
    Committee to plan. It names the referral's reference, never the child."""
    from .forums.services import forum_save
    from .models import Forum

    forum = forum_save(by=by, forum=Forum(board_id=referral.board_id),
                       title=f"Forum theme from referral {referral.reference}", origin=Forum.Origin.OTHER,
                       origin_detail=f"The SCR Committee routed referral {referral.reference} to a practitioner "
                                     "forum. Rename the theme to the learning it is about.")
    return f"Practitioner forum: {forum.title}"


def audit_from_referral(*, by, referral, reason: str = "", single_agency: bool = False) -> str:
    """The SCR Committee routed a referral to an audit: add the theme to the audits waiting to be planned."""
    from .audits.services import audit_theme_add

    theme = audit_theme_add(by=by, board=referral.board, title=f"Audit theme from referral {referral.reference}",
                            single_agency=single_agency, source_label=f"Referral {referral.reference}")
    return f"Audit theme: {theme.title}"


def single_agency_audit_from_referral(*, by, referral, reason: str = "") -> str:
    return audit_from_referral(by=by, referral=referral, reason=reason, single_agency=True)

