"""Keeping the learning library's entries in step with what they index.

Every entry is written by a direct call from the service that changed its text: findings through the reviews
app's "finding saved" hook (``hooks.finding_saved``), summaries, forum outputs and audit findings by this app's
own services. There are no model signals.
``library_reindex`` rebuilds everything (management command ``library_reindex``).
"""

from __future__ import annotations

from django.db import connection, transaction

from casereview.reviews.models import Finding, Review
from casereview.typology.selectors import live_themes

from . import fts
from .models import AuditFinding, ForumOutput, LearningSummary, LibraryEntry

Kind = LibraryEntry.Kind


def _summary_approved(review: Review) -> bool:
    return LearningSummary.objects.filter(review=review, state=LearningSummary.State.APPROVED).exists()


def _review_agency_ids(review: Review) -> set[int]:
    return set(review.case.case_agencies.values_list("agency_id", flat=True))


def _save(*, kind, source_id, board_id, title, body, source_label, review=None, year=None, learned_on=None,
          improvement=True, restricted_case_id=None, themes=(), agency_ids=()) -> LibraryEntry:
    entry, _ = LibraryEntry.objects.update_or_create(kind=kind, source_id=source_id, defaults={
        "board_id": board_id, "title": title[:300], "body": body, "source_label": source_label[:200],
        "review": review, "review_type": review.type if review else "", "year": year, "learned_on": learned_on,
        "improvement": improvement, "restricted_case_id": restricted_case_id,
    })
    entry.themes.set([t.pk for t in live_themes(themes)])
    entry.agencies.set(list(agency_ids))
    return entry


def index_finding(finding: Finding) -> LibraryEntry:
    review = finding.review
    agency_ids = _review_agency_ids(review)
    agency_ids |= set(finding.recommendations.values_list("target_agencies", flat=True)) - {None}
    return _save(
        kind=Kind.FINDING, source_id=finding.pk, board_id=review.board_id, title=finding.title,
        body=finding.narrative, source_label=review.reference, review=review, year=review.initiated_on.year,
        learned_on=review.initiated_on, improvement=finding.kind == Finding.Kind.IMPROVEMENT,
        restricted_case_id=None if _summary_approved(review) else review.case_id,
        themes=finding.themes.select_related("merged_into"), agency_ids=agency_ids,
    )


def index_review(review: Review) -> None:
    for finding in review.findings.all():
        index_finding(finding)


def index_summary(summary: LearningSummary) -> LibraryEntry | None:
    """Approved summaries are learning of the whole board; drafts are not in the library."""
    if not summary.is_approved:
        LibraryEntry.objects.filter(kind=Kind.SUMMARY, source_id=summary.pk).delete()
        index_review(summary.review)
        return None
    review = summary.review
    body = "\n\n".join(part for part in (summary.case_summary, summary.key_findings, summary.good_practice,
                                         summary.recommendations) if part)
    when = summary.completed_on or summary.commissioned_on or review.initiated_on
    entry = _save(
        kind=Kind.SUMMARY, source_id=summary.pk, board_id=summary.board_id,
        title=f"Learning summary: {summary.title}", body=body, source_label=review.reference, review=review,
        year=when.year, learned_on=when, themes=summary.themes.select_related("merged_into"),
        agency_ids=_review_agency_ids(review),
    )
    index_review(review)
    return entry


def index_forum_output(output: ForumOutput) -> LibraryEntry:
    forum = output.forum
    first = forum.sessions.order_by("held_on").first()
    when = first.held_on if first else output.created_at.date()
    agency_ids = set(forum.sessions.values_list("attendance__agency", flat=True)) - {None}
    return _save(
        kind=Kind.FORUM_OUTPUT, source_id=output.pk, board_id=forum.board_id,
        title=f"{output.get_kind_display()} from the forum: {forum.title}", body=output.text,
        source_label=f"Forum: {forum.title}", review=forum.origin_review, year=when.year, learned_on=when,
        themes=forum.themes.select_related("merged_into"), agency_ids=agency_ids,
    )


def index_forum(forum) -> None:
    for output in forum.outputs.all():
        index_forum_output(output)


def index_audit_finding(finding: AuditFinding) -> LibraryEntry:
    audit = finding.audit
    return _save(
        kind=Kind.AUDIT_FINDING, source_id=finding.pk, board_id=audit.board_id,
        title=f"Audit finding: {audit.title}", body=finding.text, source_label=f"Audit: {audit.title}",
        year=audit.audited_on.year, learned_on=audit.audited_on, improvement=finding.improvement,
        themes=audit.themes.select_related("merged_into"), agency_ids=audit.agencies.values_list("pk", flat=True),
    )


def index_audit(audit) -> None:
    for finding in audit.findings.all():
        index_audit_finding(finding)


def remove(kind: str, source_id: int) -> None:
    LibraryEntry.objects.filter(kind=kind, source_id=source_id).delete()


def reindex(board=None) -> int:
    """Rebuild the board's (or every board's) entries from their sources; returns how many there are."""
    with transaction.atomic():
        findings = Finding.objects.select_related("review__case")
        summaries = LearningSummary.objects.all()
        outputs = ForumOutput.objects.select_related("forum")
        audit_findings = AuditFinding.objects.select_related("audit")
        entries = LibraryEntry.objects.all()
        if board is not None:
            findings = findings.filter(review__board=board)
            summaries = summaries.filter(board=board)
            outputs = outputs.filter(forum__board=board)
            audit_findings = audit_findings.filter(audit__board=board)
            entries = entries.filter(board=board)
        entries.delete()
        for finding in findings:
            index_finding(finding)
        for summary in summaries:
            index_summary(summary)
        for output in outputs:
            index_forum_output(output)
        for audit_finding in audit_findings:
            index_audit_finding(audit_finding)
        fts.rebuild(connection)
        return LibraryEntry.objects.filter(board=board).count() if board else LibraryEntry.objects.count()
