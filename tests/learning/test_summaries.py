import io
from datetime import date

import docx
from django.urls import reverse

from casereview.audit.models import AuditEvent
from casereview.learning import documents, selectors, services
from casereview.learning.models import LearningSummary, LibraryEntry
from casereview.reviews import services as review_services
from casereview.reviews.models import Finding, Recommendation
from tests.factories import CasePersonFactory, CommitteeFactory

from . import factories as f


def _review_with_record(world):
    themes = f.themes(world)
    rev = f.review(world)
    first = f.finding(rev, title="Missing episodes were treated as isolated events",
                      narrative="Return home interviews did not look at the pattern.", themes=[themes["C5"]])
    f.finding(rev, kind=Finding.Kind.GOOD_PRACTICE, title="The school escalated persistently",
              narrative="The pastoral lead used the escalation policy twice.", themes=[themes["A7"]])
    review_services.recommendation_save(by=world.manager, review=rev, text="Review the pattern of missing episodes.",
                                        level=Recommendation.Level.PARTNERSHIP, findings=[first],
                                        target_agencies=[world.agency_a])
    return rev


def test_draft_comes_from_the_review_record(world, as_user):
    rev = _review_with_record(world)
    response = as_user(world.reviewer).post(reverse("learning:summary_draft", args=[rev.pk]), follow=True)
    assert "Learning summary drafted from" in response.content.decode()
    summary = LearningSummary.objects.get(review=rev)
    assert summary.state == "draft"
    assert "1. Missing episodes were treated as isolated events" in summary.key_findings
    assert "The school escalated persistently" in summary.good_practice
    assert "Review the pattern of missing episodes. (Partnership: TPOL)" in summary.recommendations
    assert {t.code for t in summary.themes.all()} == {"C5", "A7"}
    assert "pattern of missing episodes" in summary.reflection_questions


def test_approval_needs_the_fields_and_a_clean_check(world, as_user):
    summary = services.summary_draft(by=world.manager, review=_review_with_record(world))
    client = as_user(world.chair)
    response = client.post(reverse("learning:summary_approve", args=[summary.pk]), follow=True)
    assert "Add the anonymised case summary and the date completed before approving" in response.content.decode()
    CasePersonFactory(case=world.case, full_name="Zebedee Fictionperson", anonymised_label="Child Q")
    services.summary_update(by=world.manager, summary=summary, themes=summary.themes.all(),
                            case_summary="Zebedee Fictionperson went missing five times.",
                            completed_on=date(2025, 9, 1))
    response = client.post(reverse("learning:summary_approve", args=[summary.pk]), follow=True)
    page = response.content.decode()
    assert "Approval is blocked: Anonymised case summary may identify someone" in page
    assert LearningSummary.objects.get(pk=summary.pk).state == "draft"
    services.summary_update(by=world.manager, summary=LearningSummary.objects.get(pk=summary.pk),
                            themes=summary.themes.all(), case_summary="Child Q went missing five times.")
    response = client.post(reverse("learning:summary_approve", args=[summary.pk]), follow=True)
    assert "Learning summary approved" in response.content.decode()
    assert LibraryEntry.objects.filter(kind="summary", source_id=summary.pk).exists()


def test_edit_form_shows_errors_and_saves(world, as_user):
    summary = services.summary_draft(by=world.manager, review=_review_with_record(world))
    client = as_user(world.reviewer)
    url = reverse("learning:summary_edit", args=[summary.pk])
    data = {"title": "Child Q", "review_type": "Critical Incident Review", "commissioned_on_0": "1",
            "commissioned_on_1": "4", "commissioned_on_2": "2025", "completed_on_0": "1", "completed_on_1": "3",
            "completed_on_2": "2025", "key_findings": "Findings", "reflection_questions": "Why?"}
    page = client.post(url, data).content.decode()
    assert "Date completed must be on or after the date commissioned" in page
    data["completed_on_2"] = "2026"
    assert client.post(url, data).status_code == 302
    assert LearningSummary.objects.get(pk=summary.pk).completed_on == date(2026, 3, 1)


def test_exports_word_pdf_and_briefing(world, as_user):
    summary = f.summary(world)
    client = as_user(world.practitioner)
    word = client.get(reverse("learning:summary_word", args=[summary.pk]))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)
    assert "Learning summary: Child Q" in text and "Information was not shared" in text
    pdf = client.get(reverse("learning:summary_pdf", args=[summary.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    briefing = client.get(reverse("learning:summary_briefing", args=[summary.pk]))
    assert briefing.content.startswith(b"%PDF")
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(briefing.content))
    assert len(reader.pages) == 1
    assert "Questions for reflection" in reader.pages[0].extract_text()
    assert AuditEvent.objects.filter(action="learning_summary.exported").count() == 3


def test_word_export_escapes_what_people_typed(world, as_user):
    summary = f.summary(world, approved=False)
    services.summary_update(by=world.manager, summary=summary, themes=[],
                            key_findings="Agencies <w:p> & \"quotes\" {{ not a tag }}")
    word = as_user(world.manager).get(reverse("learning:summary_word", args=[summary.pk]))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)
    assert 'Agencies <w:p> & "quotes" {{ not a tag }}' in text


def test_export_with_a_name_is_blocked(world, as_user):
    CasePersonFactory(case=world.case, full_name="Zebedee Fictionperson", anonymised_label="Child Q")
    summary = f.summary(world)
    LearningSummary.objects.filter(pk=summary.pk).update(key_findings="Zebedee was not seen alone.")
    for download in ("learning:summary_pdf", "learning:summary_word", "learning:summary_briefing"):
        response = as_user(world.manager).get(reverse(download, args=[summary.pk]), follow=True)
        page = response.content.decode()
        assert "Export is blocked: Key findings may identify someone" in page
    assert not AuditEvent.objects.filter(action="learning_summary.exported").exists()


def test_dissemination_presentation_and_awaiting_list(world, as_user):
    summary = f.summary(world)
    performance = world.committee
    learning_dev = CommitteeFactory(board=world.board, kind="learning_development", name="L&D")
    assert list(selectors.summaries_awaiting_presentation(board=world.board, committee=performance)) == [summary]
    client = as_user(world.manager)
    response = client.post(reverse("learning:summary_present", args=[summary.pk]), {
        "committee": performance.pk, "presented_on_0": "3", "presented_on_1": "11", "presented_on_2": "2025"},
        follow=True)
    assert "Presentation recorded" in response.content.decode()
    assert not selectors.summaries_awaiting_presentation(board=world.board, committee=performance).exists()
    assert selectors.summaries_awaiting_presentation(board=world.board, committee_kind="learning_development"
                                                     ).get() == summary
    assert learning_dev
    page = client.post(reverse("learning:summary_disseminate", args=[summary.pk]), {}).content.decode()
    assert "Select channel" in page and "Enter audience" in page
    response = client.post(reverse("learning:summary_disseminate", args=[summary.pk]), {
        "channel": "briefing", "audience": "Health visitors", "date_0": "4", "date_1": "11", "date_2": "2025"},
        follow=True)
    page = response.content.decode()
    assert "Seven-minute briefing" in page and "Health visitors" in page


def test_draft_is_hidden_from_those_who_cannot_see_the_case(world, as_user):
    summary = f.summary(world, approved=False)
    assert as_user(world.practitioner).get(reverse("learning:summary_detail", args=[summary.pk])).status_code == 404
    services.summary_approve(by=world.manager, summary=summary)
    assert as_user(world.practitioner).get(reverse("learning:summary_detail", args=[summary.pk])).status_code == 200


def test_the_editor_lists_each_theme_once_in_natural_order(world, as_user):
    themes = f.themes(world)
    first = f.summary(world, approved=False)
    for _ in range(3):  # other summaries tagged with the same theme used to repeat it in the editor
        f.summary(world, approved=False)
    services.summary_update(by=world.manager, summary=first, themes=[themes["A1"], themes["A10"]])
    page = as_user(world.manager).get(reverse("learning:summary_edit", args=[first.pk])).content.decode()
    assert page.count("A1 Information sharing") == 1
    assert page.count("A14 Good practice") == 1
    assert page.index("A2 Multi-agency working") < page.index("A10 Hidden or unseen men")


def test_lead_reviewers_come_from_the_review(world):
    from casereview.reviews.models import ReviewMember

    rev = f.review(world)  # led by the world's reviewer, appointed when the review was set up
    summary = f.summary(world, rev=rev, approved=False)
    assert summary.lead_reviewers == str(world.reviewer)
    for member in ReviewMember.objects.filter(review=rev):
        review_services.member_remove(by=world.manager, member=member)
    services.summary_update(by=world.manager, summary=summary, themes=summary.themes.all(), title="Child Q")
    assert LearningSummary.objects.get(pk=summary.pk).lead_reviewers == ""


def test_the_briefing_bullets_each_line_once(world):
    summary = f.summary(world)
    briefing = documents.briefing_document(summary)
    key = next(s for s in briefing.sections if s.heading == "Key learning")
    assert key.bullets and not any(b[0].isdigit() for b in key.bullets)


def test_documents_carry_the_boards_marking_and_name(world, as_user):
    from pypdf import PdfReader

    world.board.protective_marking = "OFFICIAL-SENSITIVE PERSONAL"
    world.board.save()
    summary = f.summary(world)
    client = as_user(world.manager)
    word = docx.Document(io.BytesIO(client.get(reverse("learning:summary_word", args=[summary.pk])).content))
    section = word.sections[0]
    assert section.header.paragraphs[0].text == "OFFICIAL-SENSITIVE PERSONAL"
    assert section.footer.paragraphs[0].text == "OFFICIAL-SENSITIVE PERSONAL"
    assert word.core_properties.author == world.board.name
    reader = PdfReader(io.BytesIO(client.get(reverse("learning:summary_pdf", args=[summary.pk])).content))
    assert reader.metadata.title == "Learning summary: Child Q"
    assert reader.metadata.author == world.board.name
    assert "OFFICIAL-SENSITIVE PERSONAL" in reader.pages[0].extract_text()


def test_a_draft_summary_waits_for_its_approver_on_the_home_page(world, as_user):
    from casereview.core.dashboard import waiting_for

    summary = f.summary(world, approved=False)
    label = f"Approve the learning summary for {summary.review.reference}"
    assert label in [item.label for item in waiting_for(world.chair)]
    assert label not in [item.label for item in waiting_for(world.practitioner)]
    services.summary_approve(by=world.chair, summary=summary)
    assert label not in [item.label for item in waiting_for(world.chair)]
