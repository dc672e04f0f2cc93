"""Every page that shows a case record, and the record it shows: the one list the audit trail reads.

A successful (200) GET of a page named here writes one audit event, "<record>.viewed", naming the record and the
page, unless the view itself already recorded the visit (a download or an export writes its own event). The
middleware that does it is `casereview.core.middleware.CaseRecordViewAuditMiddleware`.

Only URL names and model labels live here (strings, no imports), so this platform-level module depends on no
app above it. `tests/test_access_matrix.py` walks every page and fails if a case-record page (one whose URL
carries a case-record identifier) is opened without an audit event: a new case-record page needs a line here.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class CaseRecordPage:
    model: str  # "app_label.modelname" of the record the page shows
    kwarg: str  # the URL argument holding its primary key
    action: str  # the audit action: "<record>.viewed"


def _page(model: str, kwarg: str, action: str) -> CaseRecordPage:
    return CaseRecordPage(model=model, kwarg=kwarg, action=action)


CASE = _page("cases.case", "case_id", "case.viewed")
REFERRAL = _page("referrals.referral", "referral_id", "referral.viewed")
INFORMATION = _page("referrals.informationrequest", "request_id", "referral.viewed")
REVIEW = _page("reviews.review", "review_id", "review.viewed")
CHRONOLOGY = _page("reviews.review", "review_id", "chronology.viewed")
REFERRAL_CHRONOLOGY = _page("referrals.referral", "referral_id", "chronology.viewed")
PLAN = _page("actions.actionplan", "plan_id", "action_plan.viewed")
ACTION = _page("actions.action", "action_id", "action.viewed")
MEETING = _page("committees.meeting", "meeting_id", "meeting.viewed")
SUMMARY = _page("learning.learningsummary", "summary_id", "learning_summary.viewed")
SUMMARY_DRAFT = _page("reviews.review", "review_id", "learning_summary.viewed")
AUDIT = _page("learning.audit", "audit_id", "multi_agency_audit.viewed")

CASE_RECORD_PAGES: dict[str, CaseRecordPage] = {
    # The case and who may see it
    "cases:detail": CASE,
    "cases:access": CASE,
    "cases:pseudonym": CASE,
    # Referrals: the referral, its decision and letters
    **{f"referrals:{name}": REFERRAL for name in (
        "detail", "edit", "person_add", "receive", "information_request", "matrix", "question_add", "decide",
        "letter_docx", "letter_pdf", "letter_sent", "panel_notice", "panel_notice_pdf", "sin_download", "cir",
        "route", "panel_log_add",
    )},
    "referrals:answer": INFORMATION,
    # Reviews: terms of reference, groups, family, timescale, findings, report and publication
    **{f"reviews:{name}": REVIEW for name in (
        "detail", "setup", "parallel", "parallel_edit", "stages", "stage_edit", "people", "case_group",
        "case_group_status", "family", "timescale", "extension_request", "extension_decide", "pause_start",
        "pause_end", "interim_add", "requests", "request_returned", "findings", "finding_add", "finding_edit",
        "comment_respond", "recommendation_add", "recommendation_edit", "consultation", "report",
        "version_upload", "version_write", "return_qa", "version", "version_download", "version_checklist",
        "qa_sign_off", "publication", "publication_plan", "panel_copy", "statement", "publish", "not_publish",
    )},
    # Chronologies: requests, the agency's workspace, entries, versions, the merged chronology and exports
    **{f"chronology:{name}": CHRONOLOGY for name in (
        "review", "requests", "instructions", "template", "agency", "entry_add", "entry_edit", "entry_delete",
        "submit", "import_upload", "import_mapping", "import_status", "version",
        "version_send_back", "merged", "entry", "analysis", "timeline", "export",
    )},
    # Chronologies asked for while a referral is considered, before any review exists
    **{f"chronology:{name}": REFERRAL_CHRONOLOGY for name in (
        "referral_requests", "referral_agency", "referral_entry_add", "referral_entry_edit",
        "referral_entry_delete", "referral_submit",
    )},
    # Action plans and actions
    **{f"actions:{name}": PLAN for name in (
        "plan_detail", "outcome_add", "action_propose", "plan_return", "plan_handover", "plan_close",
    )},
    **{f"actions:{name}": ACTION for name in (
        "action_detail", "action_edit", "action_update", "action_evaluate", "action_close", "evidence_download",
    )},
    # Meetings (agendas, attendance, minutes and decisions discuss cases)
    **{f"committees:{name}": MEETING for name in (
        "meeting_detail", "agenda_add", "agenda_item_add", "attendance", "decision_add", "action_add",
        "minutes", "cancel", "invite", "pack",
    )},
    # Learning summaries and multi-agency audits
    "learning:summary_draft": SUMMARY_DRAFT,
    **{f"learning:{name}": SUMMARY for name in (
        "summary_detail", "summary_edit", "summary_approve", "summary_reopen", "summary_word", "summary_pdf",
        "summary_briefing", "summary_disseminate", "summary_present", "summary_evaluate",
        "summary_presented_from_minutes",
    )},
    **{f"learning:{name}": AUDIT for name in (
        "audit_detail", "audit_start", "audit_complete", "audit_sample", "audit_answers", "audit_finding_add",
        "audit_reaudit", "audit_plan",
    )},
}

# How the trail names a page where its URL name is not the board's word for it (otherwise the URL name is
# used: "case_group" is "case group").
PAGE_NAMES = {
    "reviews:detail": "overview", "reviews:setup": "terms of reference", "reviews:people": "review group",
    "reviews:family": "family involvement", "reviews:requests": "agency information",
}

# Pages that carry a case-record identifier but show nothing of the record: what the board has published to
# everyone, and an import's progress counts (polled every few seconds: recording each poll would bury the trail).
PUBLISHED_PAGES = frozenset({"reviews:public_list", "reviews:public_download"})
NOT_RECORD_CONTENT = PUBLISHED_PAGES | {"chronology:import_status_json", "chronology:export_status",
                                         "chronology:export_status_json"}

# URL arguments that identify a case record: a page carrying one shows (part of) a case record.
CASE_RECORD_KWARGS = frozenset({
    "case_id", "referral_id", "review_id", "plan_id", "action_id", "meeting_id", "summary_id", "audit_id",
})
