"""Demo learning for the fictional Riverside board: the default typology, six past reviews with a library of
findings and approved learning summaries, one recurring-learning match with its open question, one practitioner
forum and one audit with its re-audit. Idempotent: records are found by reference or title before creating."""

from datetime import date

from casereview.cases.models import Case, CaseAgency, CasePerson
from casereview.reviews import services as reviews
from casereview.reviews.models import Finding, Recommendation, Review, ReviewMember
from casereview.typology.models import Theme
from casereview.typology.services import typology_seed_default

from . import services
from .audits import services as audits
from .forums import services as forums
from .grading import SCALES
from .models import Audit, AuditTool, Forum, LearningSummary, SustainQuestion

IMPROVE, GOOD = Finding.Kind.IMPROVEMENT, Finding.Kind.GOOD_PRACTICE

# reference, pseudonym, type, methodology, initiated, completed, child's fictional name, case summary, agencies,
# findings: (kind, title, narrative, theme codes), recommendations: (text, level, agency codes)
PAST_REVIEWS = [
    ("PAST-2019", "Child A", Review.Type.CIR, Review.Methodology.NORTH_WEST, date(2019, 3, 4), date(2019, 9, 30),
     "Ayla Demofield",
     "A six-year-old living with her mother; police attended several domestic abuse incidents at the home.",
     ["CSC", "POL", "SCH", "GP"],
     [(IMPROVE, "Police did not share domestic abuse incidents with the school",
       "Officers attended three domestic abuse incidents at the home but the school was not told, so staff "
       "could not support the child the next day.", ["A1", "B1"]),
      (IMPROVE, "The child's voice was missing from the assessment",
       "The assessment did not record what life was like for the child; she was not seen alone.", ["A5", "A3"]),
      (IMPROVE, "Missed health appointments were recorded as did not attend",
       "Records said the child did not attend rather than was not brought, so the pattern of neglect was missed.",
       ["A12", "C1"]),
      (GOOD, "The school nurse kept a clear chronology",
       "The school nurse's chronology made the pattern of concerns visible to the review.", ["A14", "A12"])],
     [("Police should notify the school of domestic abuse incidents involving a pupil by the next school day.",
       Recommendation.Level.PARTNERSHIP, ["POL", "SCH"])]),
    ("PAST-2020", "Child B", Review.Type.SCR_TARGETED, Review.Methodology.SCIE, date(2020, 6, 1),
     date(2021, 1, 29), "Bobby Demoworth",
     "A baby who died suddenly at home; the parents used substances and a new partner had moved in.",
     ["CSC", "HV", "MW", "GP", "POL"],
     [(IMPROVE, "Safer sleep advice was not repeated when circumstances changed",
       "Advice was given at birth but not repeated after the family moved and a new partner arrived.",
       ["C8", "C9"]),
      (IMPROVE, "Practitioners did not ask about the new partner in the household",
       "Health visitors and midwives did not ask who else lived in the home; the man stayed unseen.",
       ["A10", "A6"]),
      (IMPROVE, "Parental substance misuse was not considered in the risk assessment",
       "The risk to the baby from the parents' substance misuse was not weighed in the assessment.", ["B3", "A4"]),
      (GOOD, "The midwife escalated her concern promptly",
       "The midwife used the escalation policy when a referral was not accepted.", ["A7", "A14"])],
     [("Health visitors should ask about every adult in the household at each contact.",
       Recommendation.Level.SINGLE_AGENCY, ["HV"])]),
    ("PAST-2021", "Child C", Review.Type.LEARNING_REVIEW, Review.Methodology.SILP, date(2021, 5, 10),
     date(2021, 12, 3), "Caleb Demoshaw",
     "A fifteen-year-old exploited by an organised group; frequent missing episodes and school absence.",
     ["CSC", "POL", "SCH", "HSG"],
     [(IMPROVE, "Missing episodes were treated as isolated events",
       "Each missing episode was closed on its own; return home interviews did not look at the pattern.",
       ["C5", "C10"]),
      (IMPROVE, "School absence was not recognised as a sign of exploitation",
       "Persistent absence was treated as an attendance matter rather than an indicator of criminal "
       "exploitation.", ["C5", "C13"]),
      (IMPROVE, "Information about older men contacting the young person was not shared",
       "Police and the school each held information about older men; neither shared it.", ["A1", "C5"]),
      (GOOD, "The youth worker built a trusting relationship",
       "The youth worker kept in touch through the summer and recorded the young person's own words.",
       ["A5", "A14"])],
     [("The board should adopt a missing-from-home protocol that reviews the pattern of episodes.",
       Recommendation.Level.PARTNERSHIP, ["CSC", "POL"])]),
    ("PAST-2022", "Child D", Review.Type.SCR_INTENSIVE, Review.Methodology.RCA, date(2022, 2, 7),
     date(2022, 10, 14), "Daisy Demotree",
     "A four-month-old baby with a fractured arm; earlier bruising had been seen by professionals.",
     ["CSC", "HV", "ED", "GP", "POL", "AMB"],
     [(IMPROVE, "Bruising to a non-mobile baby was not referred",
       "A bruise on the non-mobile baby was seen at a clinic but not referred to children's social care as "
       "the bruising protocol requires.", ["C2", "C9"]),
      (IMPROVE, "Practitioners did not escalate disagreement with closing the case",
       "Two practitioners disagreed with the decision to close the case but did not use the escalation policy.",
       ["A7", "A8"]),
      (IMPROVE, "Thresholds were applied inconsistently at the front door",
       "Similar referrals received different responses because thresholds were applied inconsistently.",
       ["A8", "D2"]),
      (GOOD, "The emergency department followed the protocol",
       "The emergency department completed a full skeletal survey and made a same-day referral.", ["A14", "C2"])],
     [("All agencies should follow the bruising protocol for non-mobile babies and audit its use yearly.",
       Recommendation.Level.PARTNERSHIP, ["HV", "GP", "ED"])]),
    ("PAST-2023", "Child E", Review.Type.CIR, Review.Methodology.NORTH_WEST, date(2023, 9, 4), date(2024, 3, 22),
     "Eli Demobrook",
     "Three children living with long-standing neglect; the family's first language was not English.",
     ["CSC", "HV", "SCH", "HSG", "GP"],
     [(IMPROVE, "Supervision did not help workers see drift",
       "Caseloads were high and supervision was task-focused, with no space to reflect on drift in the plan.",
       ["A11", "C1"]),
      (IMPROVE, "Records were copied forward",
       "Copying records forward meant practitioners relied on out-of-date information about the household.",
       ["A12"]),
      (IMPROVE, "An older sibling interpreted for the mother",
       "Professional interpreters were not used; the eldest child interpreted at health visits.", ["A13", "A9"]),
      (IMPROVE, "The cumulative impact of neglect was not assessed",
       "No neglect tool was used, so the cumulative harm to the children was not measured.", ["C1", "A3"]),
      (GOOD, "Housing acted quickly on disrepair",
       "Housing moved the family within a month when disrepair was reported.", ["B8", "A14"])],
     [("Agencies should use professional interpreters and never children.", Recommendation.Level.PARTNERSHIP,
       ["HV", "GP", "SCH"])]),
    ("PAST-2024", "Child F", Review.Type.LEARNING_REVIEW, Review.Methodology.APPRECIATIVE, date(2024, 4, 15),
     date(2024, 11, 8), "Freya Demolake",
     "A nine-year-old whose behaviour at school changed while domestic abuse at home went unrecognised.",
     ["CSC", "POL", "SCH", "GP"],
     [(IMPROVE, "The school was not told about domestic abuse incidents attended by police",
       "Police attended domestic abuse incidents at the home twice, but the information was not shared with "
       "the school, so staff could not support the child.", ["A1", "B1"]),
      (IMPROVE, "The child was not seen alone",
       "Practitioners spoke to the child with her mother present; her wishes and feelings were not recorded.",
       ["A5"]),
      (GOOD, "The GP asked about domestic abuse",
       "The GP asked the mother directly about domestic abuse and referred her to a specialist service.",
       ["B1", "A14"])],
     [("The partnership should review how police notifications reach schools.", Recommendation.Level.PARTNERSHIP,
       ["POL", "SCH"])]),
]


def _review(board, people, agencies, spec):
    """A review the board completed before it used CaseReview, recorded through the reviews' services: opened,
    its lead reviewer, findings and recommendations recorded, then recorded as approved and published on the
    day it was completed."""
    ref, pseudonym, kind, method, initiated, completed, child, summary, codes, findings, recs = spec
    review = Review.objects.filter(board=board, reference=ref).first()
    if review is not None:
        return review
    case, _ = Case.objects.get_or_create(board=board, reference=f"RSCB-{ref}",
                                         defaults={"pseudonym": pseudonym, "summary": summary})
    if not case.people.exists():
        CasePerson.objects.create(case=case, relationship=CasePerson.Relationship.SUBJECT_CHILD, full_name=child,
                                  anonymised_label=pseudonym)
    for code in codes:
        CaseAgency.objects.get_or_create(case=case, agency=agencies[code])
    manager = people["manager"]
    scr = kind in (Review.Type.SCR_INTENSIVE, Review.Type.SCR_TARGETED)
    review = reviews.review_initiate(by=people["chair"] if scr else manager, case=case, type=kind,
                                     initiated_on=initiated, title=pseudonym, reference=ref, methodology=method)
    if "reviewer" in people:
        reviews.member_add(by=manager, review=review, user=people["reviewer"], role=ReviewMember.Role.LEAD_REVIEWER,
                           has_conflict=False, conflict_details="", involved_in_case=False,
                           qualifications="Qualified social worker; independent lead reviewer.",
                           independence_declared_on=initiated)
    for stage in review.milestones.all():  # the methodology's stages, done by their due dates
        reviews.milestone_save(by=manager, review=review, milestone=stage, name=stage.name, due_on=stage.due_on,
                               completed_on=min(stage.due_on or completed, completed), owner=stage.owner)
    themes = {t.code: t for t in Theme.objects.filter(board=board)}
    made = [reviews.finding_save(by=manager, review=review, kind=fkind, title=title, narrative=narrative,
                                 themes=[themes[c] for c in theme_codes])
            for fkind, title, narrative, theme_codes in findings]
    for text, level, rec_codes in recs:
        reviews.recommendation_save(by=manager, review=review, text=text, level=level, findings=made[:1],
                                    target_agencies=[agencies[c] for c in rec_codes])
    return reviews.review_record_completed(by=manager, review=review, approved_on=completed, published_on=completed)


def _summary(review, people, completed):
    summary = LearningSummary.objects.filter(review=review).first()
    if summary is None:
        summary = services.summary_draft(by=people["manager"], review=review)
        services.summary_update(by=people["manager"], summary=summary, themes=summary.themes.all(),
                                completed_on=completed, published_on=completed)
    if not summary.is_approved:
        services.summary_approve(by=people["chair"], summary=LearningSummary.objects.get(pk=summary.pk))
    return summary


def _forum(board, people, agencies):
    title = "Seeing the whole household: hidden men"
    if Forum.objects.filter(board=board, title=title).exists():
        return
    manager = people["manager"]
    forum = forums.forum_save(
        by=manager, forum=Forum(board=board), themes=Theme.objects.filter(board=board, code__in=["A10", "A6"]),
        title=title, origin=Forum.Origin.REVIEW_FINDINGS,
        origin_review=Review.objects.get(board=board, reference="PAST-2020"),
        origin_detail="Child B found that practitioners did not ask about a new partner in the household.")
    for held_on, fmt, counts in [
        (date(2025, 2, 12), "In person, Riverside Demo Centre", {"HV": 6, "MW": 3, "CSC": 4, "POL": 2, "GP": 1}),
        (date(2025, 5, 14), "Online recall session", {"HV": 4, "CSC": 3, "PRB": 2, "HSG": 1}),
    ]:
        session = forums.forum_session_add(by=manager, forum=forum, held_on=held_on, format=fmt,
                                           facilitator="Board learning and development officer")
        forums.forum_attendance_save(by=manager, session=session,
                                     counts={agencies[c]: n for c, n in counts.items()})
    forums.forum_output_add(by=manager, forum=forum, kind="discussion",
                            text="Practitioners said they feel awkward asking mothers about new partners and "
                                 "want a shared form of words.")
    forums.forum_output_add(by=manager, forum=forum, kind="learning",
                            text="Ask about every adult in the household at every contact, and record who "
                                 "they are and their role in the child's care.")
    forums.forum_output_add(by=manager, forum=forum, kind="learning",
                            text="Probation and police checks on a new partner should be requested when risk "
                                 "is unclear.")


# (question, scale) and, per audit, the grades given for each question across the sample.
AUDIT_QUESTIONS = [
    ("Was the child seen alone at the last visit?", "yes_no"),
    ("Does the record describe the child's daily lived experience?", "ofsted"),
    ("Are the child's wishes and feelings recorded in their own words?", "yes_no"),
    ("Is the plan informed by what the child said?", "rag"),
]
FIRST_GRADES = [["yes", "no", "no", "partly", "yes", "no"], ["good", "requires_improvement", "inadequate",
                "requires_improvement", "good", "requires_improvement"], ["no", "no", "yes", "partly", "no", "na"],
                ["amber", "red", "amber", "green", "amber", "red"]]
RE_GRADES = [["yes", "yes", "no", "yes", "yes", "partly"], ["good", "good", "requires_improvement", "outstanding",
             "good", "requires_improvement"], ["yes", "partly", "yes", "yes", "no", "yes"],
             ["green", "amber", "green", "green", "amber", "green"]]


def _audit(board, people, agencies):
    manager = people["manager"]
    tool = AuditTool.objects.filter(board=board, name="Voice of the child").first()
    if tool is None:
        tool = audits.audit_tool_create(by=manager, board=board, name="Voice of the child",
                                        purpose="Is the child's voice heard and used in planning?")
        for text, scale in AUDIT_QUESTIONS:
            audits.audit_question_add(by=manager, tool=tool, text=text, scale=scale)
    if Audit.objects.filter(board=board, tool=tool).exists():
        return
    first = audits.audit_create(
        by=manager, board=board, tool=tool, title="Voice of the child: multi-agency audit",
        kind=Audit.Kind.MULTI_AGENCY, agencies=[agencies[c] for c in ("CSC", "HV", "SCH")],
        themes=Theme.objects.filter(board=board, code__in=["A5", "A12"]), audited_on=date(2025, 3, 20),
        sample_size=6)
    _answer(first, FIRST_GRADES, manager)
    audits.audit_finding_add(by=manager, audit=first, improvement=True,
                             text="In half the cases the child was not seen alone, and wishes and feelings were "
                                  "rarely recorded in the child's own words.")
    audits.audit_finding_add(by=manager, audit=first, improvement=False,
                             text="Health visiting records described the baby's day in detail.")
    audits.audit_complete(by=manager, audit=first)
    second = audits.audit_reaudit(by=manager, audit=first, audited_on=date(2025, 10, 16))
    _answer(second, RE_GRADES, manager)
    audits.audit_finding_add(by=manager, audit=second, improvement=False,
                             text="After the voice of the child briefing, most children were seen alone and "
                                  "their words were quoted in the plan.")
    audits.audit_complete(by=manager, audit=second)


def _answer(audit, grades, by):
    audits.audit_start(by=by, audit=audit)
    questions = list(audit.tool.questions.all())
    for case_index, case in enumerate(audit.cases.all()):
        for agency in audit.agencies.all():
            audits.audit_answers_save(by=by, case=case, agency=agency, answers={
                q: (grades[i][case_index], "") for i, q in enumerate(questions)
                if SCALES[q.scale].grade(grades[i][case_index])})


def load(*, board, people, agencies):
    typology_seed_default(board, by=people["manager"])
    reviews = {spec[0]: _review(board, people, agencies, spec) for spec in PAST_REVIEWS}
    for spec in PAST_REVIEWS:
        _summary(reviews[spec[0]], people, spec[5])
    repeat = Finding.objects.get(review=reviews["PAST-2024"], number=1)
    if not SustainQuestion.objects.filter(finding=repeat).exists():
        services.recurring_record(by=people["manager"], finding=repeat)
    _forum(board, people, agencies)
    _audit(board, people, agencies)
