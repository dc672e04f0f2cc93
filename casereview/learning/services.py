"""Writes for learning: the typology, summaries, recurring learning, forums, audits and regional sharing.

Every service is keyword-only with ``by`` first, runs in one transaction and records an audit event inside it.
A service refuses with ``LearningError`` (its message is shown to the user) and then writes nothing.
"""

from __future__ import annotations

import hashlib
import json
import string
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from casereview.audit.services import audit_record
from casereview.cases.selectors import case_known_identifiers
from casereview.core.errors import ServiceError
from casereview.lib.identifiers import scan
from casereview.partnership.models import Committee
from casereview.partnership.roles import Role
from casereview.reviews.models import Finding, Review

from . import library, regional, similarity
from .grading import SCALES
from .models import (
    Audit,
    AuditAnswer,
    AuditCase,
    AuditFinding,
    AuditQuestion,
    AuditTool,
    Forum,
    ForumAttendance,
    ForumOutput,
    ForumSession,
    LearningSummary,
    LibraryEntry,
    RecurringMatch,
    RegionalImport,
    RegionalSummary,
    SummaryDissemination,
    SummaryPresentation,
    SustainQuestion,
    Theme,
    ThemeChange,
)
from .typology import GENERAL_REFLECTION_QUESTIONS, REFLECTION_QUESTIONS, default_rows


class LearningError(ServiceError):
    """A refusal the user can act on; the message says what to do."""


def _user(by):
    return by if getattr(by, "is_authenticated", False) else None


# --- Typology ----------------------------------------------------------------------------------------------

def typology_seed_default(board, *, by=None) -> int:
    """Give the board the default typology. Idempotent: codes the board already has are left alone, so a
    board's renamed or retired themes are never reset. Returns how many themes were added."""
    with transaction.atomic():
        existing = {t.code: t for t in Theme.objects.filter(board=board)}
        added = 0
        for code, name, parent_code in default_rows():
            if code in existing:
                continue
            existing[code] = Theme.objects.create(board=board, code=code, name=name,
                                                  parent=existing[parent_code] if parent_code else None)
            added += 1
        if added:
            ThemeChange.objects.create(board=board, kind=ThemeChange.Kind.SEEDED, by=_user(by),
                                       description=f"Added {added} themes of the default typology")
            audit_record(by=by, action="typology.seeded", board_id=board.pk, label="Default typology",
                         detail={"added": added})
        return added


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise LearningError("Enter a name for the theme")
    if len(name) > 200:
        raise LearningError("The theme's name must be 200 characters or fewer")
    return name


def theme_add(*, by, board, name: str, parent: Theme | None = None) -> Theme:
    name = _clean_name(name)
    with transaction.atomic():
        themes = Theme.objects.select_for_update().filter(board=board)
        if parent is not None:
            if parent.board_id != board.pk or not parent.is_group:
                raise LearningError("Choose one of the board's theme groups")
            if parent.retired:
                raise LearningError("That group is retired: choose a group in use")
            numbers = [int(t.code[len(parent.code):]) for t in themes.filter(parent=parent)
                       if t.code[len(parent.code):].isdigit()]
            code = f"{parent.code}{max(numbers, default=0) + 1}"
        else:
            taken = set(themes.filter(parent__isnull=True).values_list("code", flat=True))
            code = next((letter for letter in string.ascii_uppercase if letter not in taken), None)
            if code is None:
                raise LearningError("The typology already has 26 groups: add the theme to an existing group")
        siblings = themes.filter(parent=parent, retired=False)
        if any(t.name.casefold() == name.casefold() for t in siblings):
            raise LearningError(f"There is already a theme called \u201c{name}\u201d there")
        theme = Theme.objects.create(board=board, code=code, name=name, parent=parent)
        ThemeChange.objects.create(board=board, theme=theme, kind=ThemeChange.Kind.ADDED, by=_user(by),
                                   description=f"Added {theme.code} {theme.name}")
        audit_record(by=by, action="theme.added", obj=theme, label=theme.code)
    return theme


def theme_rename(*, by, theme: Theme, name: str) -> Theme:
    name = _clean_name(name)
    if theme.merged_into_id:
        raise LearningError("A merged theme cannot be renamed: rename the theme it was merged into")
    if name == theme.name:
        raise LearningError("Enter a different name: this is the theme's name already")
    with transaction.atomic():
        old = theme.name
        theme.name = name
        theme.save(update_fields=["name"])
        ThemeChange.objects.create(board_id=theme.board_id, theme=theme, kind=ThemeChange.Kind.RENAMED,
                                   by=_user(by), description=f"Renamed {theme.code} from \u201c{old}\u201d "
                                                             f"to \u201c{name}\u201d")
        audit_record(by=by, action="theme.renamed", obj=theme, label=theme.code, detail={"from": old, "to": name})
    return theme


def theme_retire(*, by, theme: Theme) -> Theme:
    if theme.retired:
        raise LearningError(f"{theme.code} is already retired")
    if theme.is_group and theme.children.filter(retired=False).exists():
        raise LearningError(f"Retire or merge the themes in {theme.code} {theme.name} first: it still has "
                            "themes in use")
    with transaction.atomic():
        theme.retired = True
        theme.save(update_fields=["retired"])
        ThemeChange.objects.create(board_id=theme.board_id, theme=theme, kind=ThemeChange.Kind.RETIRED,
                                   by=_user(by), description=f"Retired {theme.code} {theme.name}: it stays on "
                                                             "what it tagged but cannot be chosen again")
        audit_record(by=by, action="theme.retired", obj=theme, label=theme.code)
    return theme


def theme_restore(*, by, theme: Theme) -> Theme:
    if not theme.retired:
        raise LearningError(f"{theme.code} is in use already")
    if theme.merged_into_id:
        raise LearningError("A merged theme cannot be brought back: its tags now belong to "
                            f"{theme.merged_into.code} {theme.merged_into.name}")
    if theme.parent_id and theme.parent.retired:
        raise LearningError(f"Bring back the group {theme.parent.code} {theme.parent.name} first")
    with transaction.atomic():
        theme.retired = False
        theme.save(update_fields=["retired"])
        ThemeChange.objects.create(board_id=theme.board_id, theme=theme, kind=ThemeChange.Kind.RESTORED,
                                   by=_user(by), description=f"Brought {theme.code} {theme.name} back into use")
        audit_record(by=by, action="theme.restored", obj=theme, label=theme.code)
    return theme


def _theme_tag_fields():
    """Every many-to-many relation to Theme in the project (findings, summaries, forums, audits, the library,
    and any added later), so a merge moves all tags without knowing where they live."""
    return [rel for rel in Theme._meta.related_objects if rel.many_to_many]


def theme_tag_count(theme: Theme) -> int:
    return sum(rel.through.objects.filter(**{rel.field.m2m_reverse_field_name(): theme.pk}).count()
               for rel in _theme_tag_fields())


def theme_merge(*, by, source: Theme, target: Theme) -> int:
    """Move every tag from ``source`` to ``target`` and retire ``source``, pointing at ``target``.
    Returns how many tags moved. Nothing is ever left tagged with the merged theme."""
    if source.pk == target.pk:
        raise LearningError("Choose a different theme: a theme cannot be merged into itself")
    if source.board_id != target.board_id:
        raise LearningError("Choose a theme of this board")
    if source.is_group or target.is_group:
        raise LearningError("Only themes can be merged, not groups: merge the themes one by one")
    if source.merged_into_id:
        raise LearningError(f"{source.code} has already been merged into {source.merged_into.code}")
    if target.retired:
        raise LearningError(f"{target.code} {target.name} is retired: choose a theme in use to merge into")
    moved = 0
    with transaction.atomic():
        for rel in _theme_tag_fields():
            through = rel.through
            owner = rel.field.m2m_field_name()  # e.g. "finding"
            theme_col = rel.field.m2m_reverse_field_name()  # "theme"
            rows = through.objects.filter(**{theme_col: source.pk})
            owner_ids = list(rows.values_list(f"{owner}_id", flat=True))
            already = set(through.objects.filter(**{theme_col: target.pk, f"{owner}_id__in": owner_ids})
                          .values_list(f"{owner}_id", flat=True))
            through.objects.bulk_create([through(**{f"{owner}_id": oid, f"{theme_col}_id": target.pk})
                                         for oid in owner_ids if oid not in already])
            rows.delete()
            if rel.related_model is not LibraryEntry:  # the library's own index is not a tag people made
                moved += len(owner_ids)
        Theme.objects.filter(merged_into=source).update(merged_into=target)
        source.retired = True
        source.merged_into = target
        source.save(update_fields=["retired", "merged_into"])
        if theme_tag_count(source):
            raise LearningError("The merge could not move every tag, so nothing was changed")
        ThemeChange.objects.create(
            board_id=source.board_id, theme=source, kind=ThemeChange.Kind.MERGED, by=_user(by), retagged=moved,
            description=f"Merged {source.code} {source.name} into {target.code} {target.name} "
                        f"({moved} tag{'s' if moved != 1 else ''} moved)")
        audit_record(by=by, action="theme.merged", obj=source, label=source.code,
                     detail={"into": target.code, "moved": moved})
    return moved


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


def _lead_reviewers(review: Review) -> str:
    grants = review.case.access_grants.filter(revoked_at__isnull=True, user__role_grants__role=Role.LEAD_REVIEWER)
    return ", ".join(sorted({str(g.user) for g in grants.select_related("user")}))


def _numbered(items) -> str:
    return "\n".join(f"{n}. {text}" for n, text in items)


def summary_draft(*, by, review: Review) -> LearningSummary:
    """Draft the summary from the review's own record; the author then edits it."""
    if LearningSummary.objects.filter(review=review).exists():
        raise LearningError("This review already has a learning summary")
    findings = list(review.findings.prefetch_related("themes__merged_into"))
    improvements = [f for f in findings if f.kind == Finding.Kind.IMPROVEMENT]
    good = [f for f in findings if f.kind == Finding.Kind.GOOD_PRACTICE]
    themes = library.live_themes(t for f in findings for t in f.themes.all())
    themes = [t for t in themes if not t.retired]
    recommendations = review.recommendations.prefetch_related("target_agencies")
    questions = [REFLECTION_QUESTIONS[t.name] for t in themes if t.name in REFLECTION_QUESTIONS]
    questions = (questions or GENERAL_REFLECTION_QUESTIONS)[:5]
    with transaction.atomic():
        summary = LearningSummary.objects.create(
            board_id=review.board_id, review=review, title=review.title, review_type=review.get_type_display(),
            methodology=review.get_methodology_display() if review.methodology else "",
            commissioned_on=review.initiated_on, lead_reviewers=_lead_reviewers(review),
            case_summary=review.case.summary,
            why_reviewed=f"The board initiated a {review.get_type_display()} in "
                         f"{review.initiated_on:%B %Y}.",
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


SUMMARY_FIELDS = ["title", "review_type", "methodology", "commissioned_on", "completed_on", "published_on",
                  "lead_reviewers", "case_summary", "why_reviewed", "key_findings", "good_practice",
                  "recommendations", "reflection_questions", "audiences"]


def summary_update(*, by, summary: LearningSummary, data: dict, themes) -> LearningSummary:
    if summary.is_approved:
        raise LearningError("This summary is approved: reopen it to make changes")
    with transaction.atomic():
        for name in SUMMARY_FIELDS:
            if name in data:
                setattr(summary, name, data[name])
        summary.save()
        summary.themes.set(themes)
        audit_record(by=by, action="learning_summary.edited", obj=summary)
    return summary


def summary_approve(*, by, summary: LearningSummary) -> LearningSummary:
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
    with transaction.atomic():
        summary.approve()
        summary.approved_at = timezone.now()
        summary.approved_by = _user(by)
        summary.save()
        library.index_summary(summary)
        audit_record(by=by, action="learning_summary.approved", obj=summary)
    return summary


def summary_reopen(*, by, summary: LearningSummary) -> LearningSummary:
    if not summary.is_approved:
        raise LearningError("This summary is not approved")
    with transaction.atomic():
        summary.reopen()
        summary.approved_at = None
        summary.approved_by = None
        summary.save()
        library.index_summary(summary)
        audit_record(by=by, action="learning_summary.reopened", obj=summary)
    return summary


def summary_record_evaluation(*, by, summary: LearningSummary, evaluation: str) -> LearningSummary:
    with transaction.atomic():
        summary.evaluation = evaluation.strip()
        summary.save(update_fields=["evaluation"])
        audit_record(by=by, action="learning_summary.evaluated", obj=summary)
    return summary


def summary_record_dissemination(*, by, summary: LearningSummary, channel: str, audience: str, date: date,
                                 notes: str = "") -> SummaryDissemination:
    if not summary.is_approved:
        raise LearningError("Approve the summary before recording how it was shared")
    with transaction.atomic():
        record = SummaryDissemination.objects.create(summary=summary, channel=channel, audience=audience.strip(),
                                                     date=date, notes=notes.strip(), recorded_by=_user(by))
        audit_record(by=by, action="learning_summary.disseminated", obj=summary,
                     detail={"channel": channel, "date": date.isoformat()})
    return record


def summary_record_presentation(*, by, summary: LearningSummary, committee: Committee, presented_on: date,
                                notes: str = "") -> SummaryPresentation:
    """Record that a committee received the summary (called from this app, or by the committees app when the
    agenda item is minuted)."""
    if not summary.is_approved:
        raise LearningError("Approve the summary before presenting it")
    if committee.board_id != summary.board_id:
        raise LearningError("Choose one of the board's committees")
    if SummaryPresentation.objects.filter(summary=summary, committee=committee).exists():
        raise LearningError(f"The {committee.name} has already received this summary")
    with transaction.atomic():
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
    themes = {t.pk: t for t in library.live_themes(finding.themes.select_related("merged_into"))}
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
    """Check a finding and, if it repeats earlier learning, raise the Performance Committee's question with the
    evidence. Idempotent: a finding has one question, and matches already recorded are not added twice."""
    matches = recurring_check(finding)
    if not matches:
        return None
    board = finding.review.board
    with transaction.atomic():
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
    answer = answer.strip()
    if not answer:
        raise LearningError("Enter the committee's answer")
    if question.state != SustainQuestion.State.OPEN:
        raise LearningError("This question has already been answered")
    with transaction.atomic():
        question.answer = answer
        question.answered_at = timezone.now()
        question.answered_by = _user(by)
        question.mark_answered()
        question.save()
        audit_record(by=by, action="recurring_learning.answered", obj=question)
    return question


# --- Practitioner forums -----------------------------------------------------------------------------------

FORUM_FIELDS = ["title", "origin", "origin_detail", "origin_review"]


def forum_save(*, by, forum: Forum, data: dict, themes) -> Forum:
    creating = forum.pk is None
    if forum.state == Forum.State.CLOSED:
        raise LearningError("This forum is closed")
    with transaction.atomic():
        for name in FORUM_FIELDS:
            setattr(forum, name, data.get(name))
        if creating:
            forum.created_by = _user(by)
        forum.save()
        forum.themes.set(themes)
        library.index_forum(forum)
        audit_record(by=by, action="forum.created" if creating else "forum.edited", obj=forum)
    return forum


def _open_forum(forum: Forum) -> None:
    if forum.state == Forum.State.CLOSED:
        raise LearningError("This forum is closed: nothing more can be added")


def forum_session_add(*, by, forum: Forum, held_on: date, format: str, facilitator: str = "") -> ForumSession:
    _open_forum(forum)
    with transaction.atomic():
        session = ForumSession.objects.create(forum=forum, held_on=held_on, format=format.strip(),
                                              facilitator=facilitator.strip())
        library.index_forum(forum)
        audit_record(by=by, action="forum.session_added", obj=forum, detail={"date": held_on.isoformat()})
    return session


def forum_attendance_save(*, by, session: ForumSession, counts: dict) -> None:
    """Set the number attending from each agency (0 removes the agency from the register)."""
    _open_forum(session.forum)
    with transaction.atomic():
        for agency, count in counts.items():
            if agency.board_id != session.forum.board_id:
                raise LearningError("Choose the board's own agencies")
            if count:
                ForumAttendance.objects.update_or_create(session=session, agency=agency,
                                                         defaults={"attendees": count})
            else:
                ForumAttendance.objects.filter(session=session, agency=agency).delete()
        library.index_forum(session.forum)
        audit_record(by=by, action="forum.attendance_recorded", obj=session.forum,
                     detail={"session": session.pk, "total": sum(counts.values())})


def forum_output_add(*, by, forum: Forum, kind: str, text: str) -> ForumOutput:
    _open_forum(forum)
    with transaction.atomic():
        output = ForumOutput.objects.create(forum=forum, kind=kind, text=text.strip(), created_by=_user(by))
        library.index_forum_output(output)
        audit_record(by=by, action="forum.output_added", obj=forum)
    return output


def forum_close(*, by, forum: Forum) -> Forum:
    if forum.state == Forum.State.CLOSED:
        raise LearningError("This forum is already closed")
    if not forum.sessions.exists() or not forum.outputs.exists():
        raise LearningError("Record at least one session and one output before closing the forum")
    with transaction.atomic():
        forum.close()
        forum.save()
        audit_record(by=by, action="forum.closed", obj=forum)
    return forum


# --- Audits ------------------------------------------------------------------------------------------------

def audit_tool_create(*, by, board, name: str, purpose: str = "") -> AuditTool:
    name = " ".join(name.split())
    if AuditTool.objects.filter(board=board, name__iexact=name).exists():
        raise LearningError(f"There is already an audit tool called \u201c{name}\u201d")
    with transaction.atomic():
        tool = AuditTool.objects.create(board=board, name=name, purpose=purpose.strip(), created_by=_user(by))
        audit_record(by=by, action="audit_tool.created", obj=tool, board_id=board.pk, label=name)
    return tool


def audit_question_add(*, by, tool: AuditTool, text: str, scale: str) -> AuditQuestion:
    if scale not in SCALES:
        raise LearningError("Choose a grading scale")
    if tool.audits.exclude(state=Audit.State.PLANNED).exists():
        raise LearningError("This tool has been used in an audit: create a new tool so results stay comparable")
    with transaction.atomic():
        number = (tool.questions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        question = AuditQuestion.objects.create(tool=tool, number=number, text=text.strip(), scale=scale)
        audit_record(by=by, action="audit_tool.question_added", obj=tool, board_id=tool.board_id,
                     label=tool.name, detail={"number": number})
    return question


def _add_sample(audit: Audit, count: int) -> None:
    start = audit.cases.count()
    AuditCase.objects.bulk_create([AuditCase(audit=audit, pseudonym=f"Case {n:02d}")
                                   for n in range(start + 1, start + count + 1)])


def audit_create(*, by, board, tool: AuditTool, title: str, kind: str, agencies, themes, audited_on: date,
                 sample_size: int, previous: Audit | None = None) -> Audit:
    agencies = list(agencies)
    if tool.board_id != board.pk or any(a.board_id != board.pk for a in agencies):
        raise LearningError("Choose the board's own audit tool and agencies")
    if not tool.questions.exists():
        raise LearningError(f"Add questions to the audit tool \u201c{tool.name}\u201d first")
    if kind == Audit.Kind.SINGLE_AGENCY and len(agencies) != 1:
        raise LearningError("A single-agency audit needs exactly one agency")
    if kind == Audit.Kind.MULTI_AGENCY and len(agencies) < 2:
        raise LearningError("A multi-agency audit needs at least two agencies")
    if not 1 <= sample_size <= 200:
        raise LearningError("The sample must be between 1 and 200 cases")
    with transaction.atomic():
        audit = Audit.objects.create(board=board, tool=tool, title=" ".join(title.split()), kind=kind,
                                     audited_on=audited_on, previous=previous, created_by=_user(by))
        audit.agencies.set(agencies)
        audit.themes.set(themes)
        _add_sample(audit, sample_size)
        audit_record(by=by, action="audit.created", obj=audit,
                     detail={"tool": tool.name, "sample": sample_size, "reaudit_of": previous.pk if previous else None})
    return audit


def audit_reaudit(*, by, audit: Audit, audited_on: date, title: str = "") -> Audit:
    """Repeat an audit with the same tool, agencies and sample size, to compare the results."""
    if audit.state != Audit.State.COMPLETE:
        raise LearningError("Complete the audit before planning its re-audit")
    if audited_on <= audit.audited_on:
        raise LearningError("The re-audit must be after the audit it repeats")
    return audit_create(by=by, board=audit.board, tool=audit.tool, title=title or f"Re-audit: {audit.title}",
                        kind=audit.kind, agencies=audit.agencies.all(), themes=audit.themes.all(),
                        audited_on=audited_on, sample_size=audit.cases.count(), previous=audit)


def audit_sample_add(*, by, audit: Audit, count: int) -> None:
    if audit.state == Audit.State.COMPLETE:
        raise LearningError("This audit is complete")
    if not 1 <= count <= 50:
        raise LearningError("Add between 1 and 50 cases at a time")
    with transaction.atomic():
        _add_sample(audit, count)
        audit_record(by=by, action="audit.sample_added", obj=audit, detail={"added": count})


def audit_start(*, by, audit: Audit) -> Audit:
    if audit.state != Audit.State.PLANNED:
        raise LearningError("This audit has already started")
    with transaction.atomic():
        audit.start()
        audit.save()
        audit_record(by=by, action="audit.started", obj=audit)
    return audit


def audit_answers_save(*, by, case: AuditCase, agency, answers: dict) -> None:
    """``answers`` maps each AuditQuestion to (grade code, comment)."""
    audit = case.audit
    if audit.state != Audit.State.IN_PROGRESS:
        raise LearningError("Answers can be recorded only while the audit is in progress")
    if not audit.agencies.filter(pk=agency.pk).exists():
        raise LearningError("That agency is not part of this audit")
    with transaction.atomic():
        for question, (grade, comment) in answers.items():
            if question.tool_id != audit.tool_id or SCALES[question.scale].grade(grade) is None:
                raise LearningError(f"Choose a grade for question {question.number}")
            AuditAnswer.objects.update_or_create(case=case, agency=agency, question=question, defaults={
                "grade": grade, "comment": comment.strip(), "answered_by": _user(by)})
        audit_record(by=by, action="audit.answers_recorded", obj=audit,
                     detail={"case": case.pseudonym, "agency": agency.short_code})


def audit_complete(*, by, audit: Audit) -> Audit:
    if audit.state != Audit.State.IN_PROGRESS:
        raise LearningError("Only an audit in progress can be completed")
    if not AuditAnswer.objects.filter(case__audit=audit).exists():
        raise LearningError("Record answers for at least one case before completing the audit")
    with transaction.atomic():
        audit.complete()
        audit.save()
        audit_record(by=by, action="audit.completed", obj=audit)
    return audit


def audit_finding_add(*, by, audit: Audit, text: str, improvement: bool) -> AuditFinding:
    with transaction.atomic():
        finding = AuditFinding.objects.create(audit=audit, text=text.strip(), improvement=improvement,
                                              created_by=_user(by))
        library.index_audit_finding(finding)
        audit_record(by=by, action="audit.finding_added", obj=audit)
    return finding


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
    regional.validate(data)  # never send a file our own import would refuse
    with transaction.atomic():
        audit_record(by=by, action="regional.exported", board_id=board.pk, label="Regional learning export",
                     detail={"summaries": len(summaries), "version": regional.FORMAT_VERSION})
    return data


def regional_import(*, by, board, data: bytes) -> RegionalImport:
    document = regional.validate(data)
    digest = hashlib.sha256(data).hexdigest()
    if RegionalImport.objects.filter(board=board, sha256=digest).exists():
        raise LearningError("This file has already been imported")
    source = document["board"]
    if source["name"].casefold() == board.name.casefold():
        raise LearningError("This file is your own board's export: import files from other boards")
    with transaction.atomic():
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
