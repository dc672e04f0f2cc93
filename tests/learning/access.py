from tests.access_matrix import HIDDEN, LOGIN, REDIRECT, Rule, board_members, only

from . import factories as f

MANAGER = {"business_manager"}
WRITERS = {"business_manager", "lead_reviewer"}
APPROVERS = {"business_manager", "chair"}


def _ours(expect: dict) -> dict:
    """Our board's record: the other board's user is told it does not exist."""
    return {**expect, "other_board_user": HIDDEN}


def _summary(w, approved=True):
    return {"summary_id": f.summary(w, approved=approved).pk}


def _minuted(w):
    """An approved summary on the agenda of a meeting that has been minuted."""
    from casereview.committees import services as committees
    from casereview.committees.agenda import proposals_for
    from tests.committees import factories as meetings

    summary = f.summary(w)
    meeting = meetings.meeting(w, days_from_today=0)
    key = next(p.key for p in proposals_for(meeting) if p.source_id == str(summary.pk))
    committees.agenda_add_proposals(by=w.manager, meeting=meeting, keys=[key])
    committees.attendance_record(by=w.manager, meeting=meeting, statuses={})
    committees.minutes_save(by=w.manager, meeting=meeting, minutes="The committee received the summary.")
    return {"summary_id": summary.pk, "meeting_id": meeting.pk}


def _theme(w):
    from casereview.typology import services

    f.themes(w)
    parent = w.board.themes.get(code="A")
    return {"theme_id": services.theme_add(by=w.manager, board=w.board, name=f"Fresh theme {next(f._refs)}",
                                         parent=parent).pk}


def _forum(w):
    return {"forum_id": f.forum(w).pk}


def _session(w):
    from datetime import date

    from casereview.learning.forums import services

    forum = f.forum(w)
    session = services.forum_session_add(by=w.manager, forum=forum, held_on=date(2025, 1, 1), format="Online")
    return {"forum_id": forum.pk, "session_id": session.pk}


def _audit(w):
    return {"audit_id": f.audit(w).pk}


def _answers(w):
    audit = f.audit(w)
    return {"audit_id": audit.pk, "case_id": audit.cases.first().pk, "agency_id": w.agency_a.pk}


DRAFT_VIEWERS = {"business_manager": 200, "chair": 200, "agency_a_author": 200, "agency_b_author": HIDDEN,
                 "lead_reviewer": 200, "practitioner": HIDDEN, "other_board_user": HIDDEN, "anonymous": LOGIN}
LEAD_ON_OURS = _ours(only(MANAGER))
LEAD_POST_ON_OURS = _ours(only(MANAGER, allowed=REDIRECT))

ACCESS = [
    Rule("learning:library", board_members()),
    Rule("learning:summary_list", board_members()),
    Rule("learning:summary_draft", _ours(only(WRITERS, allowed=REDIRECT)), method="post",
         setup=lambda w: {"review_id": f.review(w).pk}),
    Rule("learning:summary_detail", _ours(board_members()), setup=_summary),
    Rule("learning:summary_detail", DRAFT_VIEWERS, setup=lambda w: _summary(w, approved=False)),
    Rule("learning:summary_edit", _ours(only(WRITERS)), setup=lambda w: _summary(w, approved=False)),
    Rule("learning:summary_approve", _ours(only(APPROVERS, allowed=REDIRECT)), method="post",
         setup=lambda w: _summary(w, approved=False)),
    Rule("learning:summary_reopen", _ours(only(APPROVERS, allowed=REDIRECT)), method="post", setup=_summary),
    Rule("learning:summary_word", _ours(board_members()), setup=_summary),
    Rule("learning:summary_pdf", _ours(board_members()), setup=_summary),
    Rule("learning:summary_briefing", _ours(board_members()), setup=_summary),
    Rule("learning:summary_disseminate", LEAD_ON_OURS, setup=_summary),
    Rule("learning:summary_present", LEAD_ON_OURS, setup=_summary),
    Rule("learning:summary_presented_from_minutes", LEAD_POST_ON_OURS, method="post", setup=_minuted),
    Rule("learning:summary_evaluate", LEAD_ON_OURS, setup=_summary),
    Rule("learning:typology", board_members()),
    Rule("learning:theme_add", only(MANAGER, outsider=200)),
    Rule("learning:typology_defaults", only(MANAGER, allowed=REDIRECT, outsider=REDIRECT), method="post"),
    Rule("learning:theme_detail", _ours(board_members()), setup=_theme),
    Rule("learning:theme_rename", LEAD_ON_OURS, setup=_theme),
    Rule("learning:theme_merge", LEAD_ON_OURS, setup=_theme),
    Rule("learning:theme_retire", LEAD_POST_ON_OURS, method="post", setup=_theme),
    Rule("learning:question_list", board_members()),
    Rule("learning:question_detail", _ours(board_members()), setup=lambda w: {"question_id": f.question(w).pk}),
    # The Performance Committee answers; an empty answer is refused on the page (200 with the error summary).
    Rule("learning:question_answer", _ours(only(MANAGER)), method="post",
         setup=lambda w: {"question_id": f.question(w).pk}),
    Rule("learning:recurring_scan", only(MANAGER, allowed=REDIRECT, outsider=REDIRECT), method="post"),
    Rule("learning:forum_list", board_members()),
    Rule("learning:forum_create", only(MANAGER, outsider=200)),
    Rule("learning:forum_detail", _ours(board_members()), setup=_forum),
    Rule("learning:forum_edit", LEAD_ON_OURS, setup=_forum),
    Rule("learning:forum_session_add", LEAD_ON_OURS, setup=_forum),
    Rule("learning:forum_attendance", LEAD_ON_OURS, setup=_session),
    Rule("learning:forum_output_add", LEAD_ON_OURS, setup=_forum),
    Rule("learning:forum_close", LEAD_POST_ON_OURS, method="post", setup=_forum),
    Rule("learning:forum_plan", LEAD_POST_ON_OURS, method="post", setup=_forum),
    Rule("learning:audit_list", board_members()),
    Rule("learning:tool_create", only(MANAGER, outsider=200)),
    Rule("learning:tool_detail", _ours(board_members()), setup=lambda w: {"tool_id": f.tool(w).pk}),
    # An empty question is refused on the page (200 with the error summary).
    Rule("learning:tool_question_add", LEAD_ON_OURS, method="post", setup=lambda w: {"tool_id": f.tool(w).pk}),
    Rule("learning:audit_create", only(MANAGER, outsider=200)),
    Rule("learning:audit_detail", _ours(board_members()), setup=_audit),
    Rule("learning:audit_start", LEAD_POST_ON_OURS, method="post", setup=lambda w: {
        "audit_id": f.audit(w, start=False).pk}),
    Rule("learning:audit_complete", LEAD_POST_ON_OURS, method="post", setup=_audit),
    Rule("learning:audit_sample", LEAD_ON_OURS, setup=_audit),
    Rule("learning:audit_finding_add", LEAD_ON_OURS, setup=_audit),
    Rule("learning:audit_reaudit", LEAD_ON_OURS, setup=_audit),
    Rule("learning:audit_plan", LEAD_POST_ON_OURS, method="post", setup=_audit),
    # Agency staff answer for their own agency; auditors for any.
    Rule("learning:audit_answers", _ours({**only({"business_manager", "agency_a_author"})}), setup=_answers),
    Rule("learning:annual_report", board_members()),
    Rule("learning:annual_report_word", board_members(), kwargs=lambda w: {"year": 2025}),
    Rule("learning:annual_report_pdf", board_members(), kwargs=lambda w: {"year": 2025}),
    Rule("learning:regional", board_members()),
    # Nothing approved to export in the test world: the manager is sent back with a message.
    Rule("learning:regional_export", only(MANAGER, allowed=REDIRECT, outsider=REDIRECT)),
    Rule("learning:regional_import", only(MANAGER, outsider=200)),
]

