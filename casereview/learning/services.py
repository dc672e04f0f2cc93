"""Writes for learning summaries, recurring learning and regional sharing (forums and audits have their own
``forums.services`` and ``audits.services``; the typology is ``casereview.typology``).

Every service is keyword-only with ``by`` first, runs in one transaction and records an audit event inside it.
A service refuses with ``LearningError`` (its message is shown to the user) and then writes nothing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from casereview.audit.services import audit_record
from casereview.cases.selectors import case_known_identifiers
from casereview.core.concurrency import claim_version
from casereview.lib.formats import file_size, month_year
from casereview.lib.identifiers import scan
from casereview.partnership.models import Committee
from casereview.reviews.models import Finding, Review, ReviewMember
from casereview.typology.selectors import live_themes

from . import library, regional, similarity
from .errors import LearningError
from .models import (
    LearningSummary,
    LibraryEntry,
    RecurringMatch,
    RegionalImport,
    RegionalSummary,
    SummaryDissemination,
    SummaryPresentation,
    SustainQuestion,
)
from .reflection import GENERAL_REFLECTION_QUESTIONS, REFLECTION_QUESTIONS
from .words import plural


def _user(by):
    return by if getattr(by, "is_authenticated", False) else None


# --- Learning summaries ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    field: str
    reason: str


def summary_check(summary: LearningSummary) -> list[Problem]:
    """The publication check of the reviews app's scanner, run on every text field of the summary."""
    known = case_known_identifiers(summary.review.case)
    problems = []
    for label, text in summary.text_fields().items():
        problems += [Problem(label, hit.reason) for hit in scan(text or "", known)]
    return problems


def _require_clear(summary: LearningSummary, what: str) -> None:
    problems = summary_check(summary)
    if problems:
        first = problems[0]
        more = f" and {len(problems) - 1} more" if len(problems) > 1 else ""
        raise LearningError(f"{what} is blocked: {first.field} may identify someone ({first.reason}){more}. "
                            "Edit the summary to remove it")


def lead_reviewers_of(review: Review) -> str:
    """The review's appointed lead reviewers (its Review Group), as the summary names them."""
    members = (review.members.filter(role=ReviewMember.Role.LEAD_REVIEWER, removed_at__isnull=True)
               .select_related("user").order_by("added_at", "id"))
    return ", ".join(str(m.user) for m in members)


def _numbered(items) -> str:
    return "\n".join(f"{n}. {text}" for n, text in items)


def summary_draft(*, by, review: Review) -> LearningSummary:
    """Draft the summary from the review's own record; the author then edits it."""
    findings = list(review.findings.prefetch_related("themes__merged_into"))
    improvements = [f for f in findings if f.kind == Finding.Kind.IMPROVEMENT]
    good = [f for f in findings if f.kind == Finding.Kind.GOOD_PRACTICE]
    themes = live_themes(t for f in findings for t in f.themes.all())
    themes = [t for t in themes if not t.retired]
    recommendations = review.recommendations.prefetch_related("target_agencies")
    questions = [REFLECTION_QUESTIONS[t.name] for t in themes if t.name in REFLECTION_QUESTIONS]
    questions = (questions or GENERAL_REFLECTION_QUESTIONS)[:5]
    with transaction.atomic():
        Review.objects.select_for_update(of=("self",)).filter(pk=review.pk).first()
        if LearningSummary.objects.filter(review=review).exists():
            raise LearningError("This review already has a learning summary")
        summary = LearningSummary.objects.create(
            board_id=review.board_id, review=review, title=review.title, review_type=review.get_type_display(),
            methodology=review.get_methodology_display() if review.methodology else "",
            commissioned_on=review.initiated_on, lead_reviewers=lead_reviewers_of(review),
            case_summary=review.case.summary,
            why_reviewed=f"The board initiated a {review.get_type_display()} in "
                         f"{month_year(review.initiated_on)}.",
            key_findings=_numbered((f.number, f"{f.title}. {f.narrative}") for f in improvements),
            good_practice=_numbered((f.number, f"{f.title}. {f.narrative}") for f in good),
            recommendations=_numbered(
                (r.number, f"{r.text} ({r.get_level_display()}"
                           + (f": {', '.join(a.short_code for a in r.target_agencies.all())})"
                              if r.target_agencies.all() else ")"))
                for r in recommendations),
            reflection_questions="\n".join(questions),
            audiences="Performance Committee\nLearning and Development Committee\nAll partner agencies",
            created_by=_user(by),
        )
        summary.themes.set(themes)
        audit_record(by=by, action="learning_summary.drafted", obj=summary)
    return summary


def summary_update(*, by, summary: LearningSummary, version: int | None = None, themes=(),
                   **fields) -> LearningSummary:
    """Save the author's edits. ``fields`` are the summary's own text and date fields; the lead reviewers are
    always those appointed to the review, so they are refreshed here rather than typed."""
    unknown = set(fields) - set(SUMMARY_FIELDS)
    if unknown:
        raise TypeError(f"Not fields of a learning summary: {', '.join(sorted(unknown))}")
    commissioned = fields.get("commissioned_on", summary.commissioned_on)
    completed = fields.get("completed_on", summary.completed_on)
    published = fields.get("published_on", summary.published_on)
    if completed and commissioned and completed < commissioned:
        raise LearningError("Date completed must be on or after the date commissioned", field="completed_on")
    if published and completed and published < completed:
        raise LearningError("Date published must be on or after the date completed", field="published_on")
    if "title" in fields and not (fields["title"] or "").strip():
        raise LearningError("Enter the review's title or pseudonym", field="title")
    themes = list(themes)
    if any(t.board_id != summary.board_id for t in themes):
        raise LearningError("Choose themes from the board's typology", field="themes")
    with transaction.atomic():
        summary = LearningSummary.objects.select_for_update(of=("self",)).select_related("review").get(pk=summary.pk)
        if summary.is_approved:
            raise LearningError("This summary is approved: reopen it to make changes")
        claim_version(summary, version, "learning summary")
        for name, value in fields.items():
            setattr(summary, name, value.strip() if isinstance(value, str) else value)
        summary.lead_reviewers = lead_reviewers_of(summary.review)
        summary.save()
        summary.themes.set(themes)
        audit_record(by=by, action="learning_summary.edited", obj=summary)
    return summary


# What the author edits (the lead reviewers come from the review).
SUMMARY_FIELDS = ["title", "review_type", "methodology", "commissioned_on", "completed_on", "published_on",
                  "case_summary", "why_reviewed", "key_findings", "good_practice", "recommendations",
                  "reflection_questions", "audiences"]


def _locked(summary: LearningSummary) -> LearningSummary:
    return LearningSummary.objects.select_for_update(of=("self",)).select_related("review__case", "board").get(pk=summary.pk)


def summary_approve(*, by, summary: LearningSummary) -> LearningSummary:
    with transaction.atomic():
        summary = _locked(summary)
        if summary.is_approved:
            raise LearningError("This summary is already approved")
        missing = [label for label, value in (("the anonymised case summary", summary.case_summary),
                                              ("the key findings", summary.key_findings),
                                              ("the date completed", summary.completed_on)) if not value]
        if missing:
            raise LearningError(f"Add {' and '.join(missing)} before approving the summary")
        if not summary.themes.exists():
            raise LearningError("Tag the summary with at least one learning theme before approving it")
        _require_clear(summary, "Approval")
        summary.approve()
        summary.approved_at = timezone.now()
        summary.approved_by = _user(by)
        summary.save()
        library.index_summary(summary)
        audit_record(by=by, action="learning_summary.approved", obj=summary)
    return summary


def summary_reopen(*, by, summary: LearningSummary) -> LearningSummary:
    with transaction.atomic():
        summary = _locked(summary)
        if not summary.is_approved:
            raise LearningError("This summary is not approved")
        summary.reopen()
        summary.approved_at = None
        summary.approved_by = None
        summary.save()
        library.index_summary(summary)
        audit_record(by=by, action="learning_summary.reopened", obj=summary)
    return summary


def summary_record_evaluation(*, by, summary: LearningSummary, version: int | None = None,
                              evaluation: str) -> LearningSummary:
    if not (evaluation or "").strip():
        raise LearningError("Enter how the learning has been used", field="evaluation")
    with transaction.atomic():
        summary = _locked(summary)
        if not summary.is_approved:
            raise LearningError("Approve the summary before recording how it was used")
        claim_version(summary, version, "learning summary")
        summary.evaluation = evaluation.strip()
        summary.save(update_fields=["evaluation"])
        audit_record(by=by, action="learning_summary.evaluated", obj=summary)
    return summary


def summary_record_dissemination(*, by, summary: LearningSummary, channel: str, audience: str, date: date,
                                 notes: str = "") -> SummaryDissemination:
    if channel not in SummaryDissemination.Channel.values:
        raise LearningError("Choose how the learning was shared", field="channel")
    if not (audience or "").strip():
        raise LearningError("Enter who the learning was shared with", field="audience")
    with transaction.atomic():
        summary = _locked(summary)
        if not summary.is_approved:
            raise LearningError("Approve the summary before recording how it was shared")
        record = SummaryDissemination.objects.create(summary=summary, channel=channel, audience=audience.strip(),
                                                     date=date, notes=notes.strip(), recorded_by=_user(by))
        audit_record(by=by, action="learning_summary.disseminated", obj=summary,
                     detail={"channel": channel, "date": date.isoformat()})
    return record


def summary_record_presentation(*, by, summary: LearningSummary, committee: Committee, presented_on: date,
                                notes: str = "") -> SummaryPresentation:
    """Record that a committee received the summary (from the summary's page, or from the minutes of the
    meeting whose agenda carried it: ``presentations_from_minutes``)."""
    if committee.board_id != summary.board_id:
        raise LearningError("Choose one of the board's committees", field="committee")
    with transaction.atomic():
        summary = _locked(summary)
        if not summary.is_approved:
            raise LearningError("Approve the summary before presenting it")
        if SummaryPresentation.objects.filter(summary=summary, committee=committee).exists():
            raise LearningError(f"The {committee.name} has already received this summary", field="committee")
        record = SummaryPresentation.objects.create(summary=summary, committee=committee, presented_on=presented_on,
                                                    notes=notes.strip(), recorded_by=_user(by))
        audit_record(by=by, action="learning_summary.presented", obj=summary,
                     detail={"committee": committee.name, "date": presented_on.isoformat()})
    return record


def summary_exported(*, by, summary: LearningSummary, what: str) -> None:
    """Refuse an export that could identify someone; record the ones that go ahead."""
    _require_clear(summary, "Export")
    with transaction.atomic():
        audit_record(by=by, action="learning_summary.exported", obj=summary, detail={"format": what})


# --- Recurring learning ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Match:
    """Earlier learning a finding repeats, with the evidence."""

    entry: LibraryEntry
    score: float
    text_similarity: float
    shared_themes: list[str]
    shared_phrases: list[str]

    @property
    def when(self):
        return self.entry.learned_on


MAX_CANDIDATES = 5000


def recurring_check(finding: Finding) -> list[Match]:
    """Compare a finding with the board's earlier learning (other reviews' findings, audit findings and forum
    learning from before this review began) and return what it repeats, best first. Writes nothing; the
    reviews app may call it to show matches as a finding is recorded."""
    if finding.kind != Finding.Kind.IMPROVEMENT:
        return []
    review = finding.review
    text = f"{finding.title}. {finding.narrative}"
    themes = {t.pk: t for t in live_themes(finding.themes.select_related("merged_into"))}
    candidates = list(
        LibraryEntry.objects.filter(board_id=review.board_id, improvement=True, learned_on__lt=review.initiated_on)
        .filter(Q(kind=LibraryEntry.Kind.FINDING) | Q(kind=LibraryEntry.Kind.AUDIT_FINDING)
                | Q(kind=LibraryEntry.Kind.FORUM_OUTPUT))
        .exclude(review=review).prefetch_related("themes").order_by("-learned_on")[:MAX_CANDIDATES])
    if not candidates:
        return []
    corpus = similarity.Corpus([text, *(f"{c.title}. {c.body}" for c in candidates)])
    vector = corpus.vector(text)
    matches = []
    for entry in candidates:
        earlier = f"{entry.title}. {entry.body}"
        cosine = similarity.cosine(vector, corpus.vector(earlier))
        shared = [t for t in entry.themes.all() if t.pk in themes]
        if similarity.is_recurring(cosine, len(shared)):
            phrases = similarity.shared_phrases(text, earlier) or similarity.shared_words(text, earlier, corpus)
            matches.append(Match(entry, similarity.score(cosine, len(shared), len(themes)), round(cosine, 3),
                                 [str(t) for t in shared], phrases))
    return sorted(matches, key=lambda m: -m.score)


def recurring_record(*, by, finding: Finding) -> SustainQuestion | None:
    """A finding was recorded or changed: put it in the learning library as it now reads, then check it and, if
    it repeats earlier learning, raise the Performance Committee's question with the evidence. Idempotent: a
    finding has one question, and matches already recorded are not added twice.

    The reviews app calls this (through its "finding saved" hook) whenever a finding's text or tags change: it
    is the one way the library follows findings."""
    library.index_finding(finding)
    matches = recurring_check(finding)
    if not matches:
        return None
    board = finding.review.board
    with transaction.atomic():
        Finding.objects.select_for_update(of=("self",)).filter(pk=finding.pk).first()  # one question per finding, even racing
        committee = Committee.objects.filter(board=board, kind=Committee.Kind.PERFORMANCE).first()
        question, created = SustainQuestion.objects.get_or_create(
            finding=finding, defaults={"board": board, "committee": committee, "raised_by": _user(by)})
        known = set(question.matches.values_list("earlier_id", flat=True))
        for match in matches:
            if match.entry.pk in known:
                continue
            RecurringMatch.objects.create(
                question=question, earlier=match.entry, earlier_kind=match.entry.kind,
                earlier_title=match.entry.title, earlier_source=match.entry.source_label,
                earlier_on=match.entry.learned_on, score=match.score, text_similarity=match.text_similarity,
                shared_themes=match.shared_themes, shared_phrases=match.shared_phrases)
        if created:
            audit_record(by=by, action="recurring_learning.raised", obj=question, board_id=board.pk,
                         detail={"review": finding.review.reference, "finding": finding.number,
                                 "matches": len(matches)})
    return question


def recurring_scan(*, by, board) -> int:
    """Run the check over every finding of the board (for findings recorded before the check existed).
    Returns how many findings have an open question afterwards."""
    for finding in Finding.objects.filter(review__board=board, kind=Finding.Kind.IMPROVEMENT).select_related(
            "review__board"):
        recurring_record(by=by, finding=finding)
    return SustainQuestion.objects.filter(board=board, state=SustainQuestion.State.OPEN).count()


def sustain_answer(*, by, question: SustainQuestion, answer: str) -> SustainQuestion:
    answer = (answer or "").strip()
    if not answer:
        raise LearningError("Enter the committee's answer", field="answer")
    with transaction.atomic():
        question = SustainQuestion.objects.select_for_update(of=("self",)).get(pk=question.pk)
        if question.state != SustainQuestion.State.OPEN:
            raise LearningError("This question has already been answered", field="answer")
        question.answer = answer
        question.answered_at = timezone.now()
        question.answered_by = _user(by)
        question.mark_answered()
        question.save()
        audit_record(by=by, action="recurring_learning.answered", obj=question)
    return question


# --- Regional sharing --------------------------------------------------------------------------------------

def regional_export(*, by, board) -> bytes:
    """The board's approved summaries as a regional file. Refused whole if any summary may identify someone."""
    summaries = list(LearningSummary.objects.filter(board=board, state=LearningSummary.State.APPROVED)
                     .select_related("review__case").prefetch_related("themes__parent"))
    if not summaries:
        raise LearningError("There are no approved learning summaries to share yet")
    for summary in summaries:
        problems = summary_check(summary)
        if problems:
            raise LearningError(f"The summary \u201c{summary.title}\u201d may identify someone "
                                f"({problems[0].field}: {problems[0].reason}). Reopen and edit it before sharing")
    document = regional.build(board, summaries)
    data = json.dumps(document, indent=2, ensure_ascii=False).encode()
    try:
        regional.validate(data)  # never send a file our own import would refuse
    except regional.FormatError as error:
        raise LearningError(f"The export was stopped because another board could not import it: {error}") from error
    with transaction.atomic():
        audit_record(by=by, action="regional.exported", board_id=board.pk, label="Regional learning export",
                     detail={"summaries": len(summaries), "version": regional.FORMAT_VERSION})
    return data


def regional_import(*, by, board, file) -> RegionalImport:
    """Import another board's regional file (an uploaded file: its size and name are checked before it is
    read). A file that breaks the format or may identify anyone is refused whole."""
    if not (file.name or "").lower().endswith(".json"):
        raise LearningError("The file must be a .json file exported from CaseReview", field="file")
    if file.size > regional.MAX_BYTES:
        raise LearningError(f"The file must be smaller than {file_size(regional.MAX_BYTES)}", field="file")
    data = file.read(regional.MAX_BYTES + 1)
    try:
        document = regional.validate(data)
    except regional.FormatError as error:
        shown = error.errors[:regional.MAX_ERRORS_SHOWN]
        more = len(error.errors) - len(shown)
        raise LearningError("The file cannot be imported: " + "; ".join(shown)
                            + (f"; and {plural(more, 'more problem')}" if more else ""), field="file") from error
    digest = hashlib.sha256(data).hexdigest()
    source = document["board"]
    if source["name"].casefold() == board.name.casefold():
        raise LearningError("This file is your own board's export: import files from other boards", field="file")
    with transaction.atomic():
        if RegionalImport.objects.select_for_update(of=("self",)).filter(board=board, sha256=digest).exists():
            raise LearningError("This file has already been imported", field="file")
        record = RegionalImport.objects.create(
            board=board, source_board=source["name"], source_region=source.get("region", ""),
            format_version=document["version"], exported_at=regional.parse_time(document["exported_at"]),
            sha256=digest, imported_by=_user(by))
        RegionalSummary.objects.bulk_create([RegionalSummary(
            regional_import=record, external_id=s["id"], title=s["title"], review_type=s["review_type"],
            year_completed=s.get("year_completed"), key_findings=s["key_findings"],
            good_practice=s.get("good_practice", ""), recommendations=s.get("recommendations", ""),
            themes=s["themes"]) for s in document["summaries"]])
        audit_record(by=by, action="regional.imported", board_id=board.pk, label=source["name"][:200],
                     detail={"summaries": len(document["summaries"]), "sha256": digest})
    return record
