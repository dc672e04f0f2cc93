"""Writes for practitioner forums: keyword-only, ``by`` first, one transaction with its audit event; a
refusal is a ``LearningError`` naming what to fix, and nothing is written then."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from casereview.audit.services import audit_record
from casereview.core.concurrency import claim_version

from .. import library
from ..errors import LearningError
from ..models import Forum, ForumAttendance, ForumOutput, ForumSession


def _user(by):
    return by if getattr(by, "is_authenticated", False) else None


def _lock_open(forum: Forum) -> Forum:
    forum = Forum.objects.select_for_update(of=("self",)).get(pk=forum.pk)
    if forum.state == Forum.State.CLOSED:
        raise LearningError("This forum is closed: nothing more can be added")
    return forum


def forum_save(*, by, forum: Forum, version: int | None = None, title: str, origin: str, origin_detail: str = "",
               origin_review=None, themes=()) -> Forum:
    """Plan a forum (``forum`` unsaved, with its board) or edit one that is still open."""
    title = " ".join((title or "").split())
    if not title:
        raise LearningError("Enter the forum's theme", field="title")
    if origin not in Forum.Origin.values:
        raise LearningError("Choose where the theme came from", field="origin")
    if origin == Forum.Origin.REVIEW_FINDINGS and origin_review is None:
        raise LearningError("Choose the review the theme came from", field="origin_review")
    if origin_review is not None and origin_review.board_id != forum.board_id:
        raise LearningError("Choose one of the board's reviews", field="origin_review")
    themes = list(themes)
    if any(t.board_id != forum.board_id for t in themes):
        raise LearningError("Choose themes from the board's typology", field="themes")
    creating = forum.pk is None
    with transaction.atomic():
        if not creating:
            forum = _lock_open(forum)
            claim_version(forum, version, "forum")
        forum.title, forum.origin, forum.origin_detail = title, origin, (origin_detail or "").strip()
        forum.origin_review = origin_review
        if creating:
            forum.created_by = _user(by)
        forum.save()
        forum.themes.set(themes)
        library.index_forum(forum)
        audit_record(by=by, action="forum.created" if creating else "forum.edited", obj=forum)
    return forum


def forum_session_add(*, by, forum: Forum, held_on: date, format: str, facilitator: str = "") -> ForumSession:
    if not (format or "").strip():
        raise LearningError("Enter how the session was held", field="format")
    with transaction.atomic():
        forum = _lock_open(forum)
        session = ForumSession.objects.create(forum=forum, held_on=held_on, format=format.strip(),
                                              facilitator=(facilitator or "").strip())
        library.index_forum(forum)
        audit_record(by=by, action="forum.session_added", obj=forum, detail={"date": held_on.isoformat()})
    return session


def forum_attendance_save(*, by, session: ForumSession, counts: dict, version: int | None = None) -> None:
    """Set the number attending from each agency (0 removes the agency from the register). `version` is the
    session's when the form was opened (a stale one is refused)."""
    with transaction.atomic():
        forum = _lock_open(session.forum)
        claim_version(session, version, "attendance record")
        for agency, count in counts.items():
            if agency.board_id != forum.board_id:
                raise LearningError("Choose the board's own agencies")
            if count:
                ForumAttendance.objects.update_or_create(session=session, agency=agency,
                                                         defaults={"attendees": count})
            else:
                ForumAttendance.objects.filter(session=session, agency=agency).delete()
        library.index_forum(forum)
        audit_record(by=by, action="forum.attendance_recorded", obj=forum,
                     detail={"session": session.pk, "total": sum(counts.values())})


def forum_output_add(*, by, forum: Forum, kind: str, text: str) -> ForumOutput:
    if kind not in ForumOutput.Kind.values:
        raise LearningError("Choose the type of output", field="kind")
    if not (text or "").strip():
        raise LearningError("Enter what was said or learned", field="text")
    with transaction.atomic():
        forum = _lock_open(forum)
        output = ForumOutput.objects.create(forum=forum, kind=kind, text=text.strip(), created_by=_user(by))
        library.index_forum_output(output)
        audit_record(by=by, action="forum.output_added", obj=forum)
    return output


def forum_close(*, by, forum: Forum) -> Forum:
    with transaction.atomic():
        forum = Forum.objects.select_for_update(of=("self",)).get(pk=forum.pk)
        if forum.state == Forum.State.CLOSED:
            raise LearningError("This forum is already closed")
        if not forum.sessions.exists() or not forum.outputs.exists():
            raise LearningError("Record at least one session and one output before closing the forum")
        forum.close()
        forum.save()
        audit_record(by=by, action="forum.closed", obj=forum)
    return forum


def forum_topic_from_referral(*, by, board, title: str, detail: str = "", review=None) -> Forum:
    """A forum theme the SCR Committee chose as a referral's outcome: planned, open, pointing back at where it
    came from (never naming the child), for the Performance Committee to arrange."""
    return forum_save(by=by, forum=Forum(board=board), title=title,
                      origin=Forum.Origin.REVIEW_FINDINGS if review is not None else Forum.Origin.OTHER,
                      origin_detail=detail, origin_review=review)
