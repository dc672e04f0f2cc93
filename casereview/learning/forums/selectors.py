"""Reads for practitioner forums, scoped to the requesting person's board; another board's forum is a 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from casereview.core.permissions import is_board_member

from ..models import Forum, ForumOutput, ForumSession
from ..permissions import can_lead_learning
from ..plans import plan_for


def forums_for(user) -> QuerySet[Forum]:
    board_id = user.board_id if is_board_member(user) else None
    return Forum.objects.filter(board_id=board_id).prefetch_related("themes", "sessions")


def forum_get_for_user(user, forum_id: int) -> Forum:
    forum = forums_for(user).filter(pk=forum_id).first()
    if forum is None:
        raise Http404("No such forum")
    return forum


def forum_session_get_for_user(user, forum_id: int, session_id: int) -> ForumSession:
    session = ForumSession.objects.filter(forum__in=forums_for(user), forum_id=forum_id, pk=session_id).first()
    if session is None:
        raise Http404("No such session")
    return session


def forum_actions(user, forum: Forum) -> set[str]:
    """What the forum's page offers this person, decided here rather than in the template."""
    if not can_lead_learning(user):
        return set()
    actions = {"plan"}
    if forum.state == Forum.State.OPEN:
        actions |= {"edit", "add_session", "record_attendance", "add_output", "close"}
    return actions


def forum_page(user, forum: Forum) -> dict:
    return {"forum": forum, "sessions": forum.sessions.prefetch_related("attendance__agency"),
            "outputs": forum.outputs.all(), "themes": forum.themes.all(), "plan": plan_for("forum", forum.pk),
            "actions": forum_actions(user, forum)}


def forum_learning(forum: Forum) -> list[str]:
    return [o.text for o in forum.outputs.filter(kind=ForumOutput.Kind.LEARNING)]
