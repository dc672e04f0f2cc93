"""Demo reviews of the fictional Riverside board, one at each stage. Other apps' demo data builds on these references:
DEMO-1 (in analysis; chronology app adds its merged chronology), DEMO-2 (just initiated, awaiting chronologies
from all ten agencies), DEMO-3 (report in quality assurance; its publication check finds the child's name three
ways and the family's postcode), DEMO-4 (published; action plans and learning build on its findings and
recommendations).

DEMO-1 is paused for criminal proceedings, with interim improvement points and a corrective action recorded, and
its Case Group is being consulted on two draft findings."""

from datetime import date

from casereview.cases.models import Case, CaseAgency, CasePerson
from casereview.reviews import services
from casereview.reviews.models import (
    CaseGroupComment,
    CaseGroupMember,
    Finding,
    InterimPoint,
    ParallelProcess,
    Recommendation,
    Review,
    ReviewMember,
)

DEMO_1_PEOPLE = [
    # (relationship, full name, label, date of birth, aliases, address, postcode, school)
    (CasePerson.Relationship.SUBJECT_CHILD, "Jayden Demoson", "Child J", date(2019, 5, 14), "Jay Demoson",
     "12 Fictional Row, Riverside", "RV1 2ZZ", "Riverside Demo Primary School"),
    (CasePerson.Relationship.MOTHER, "Kerry Demoson", "Mother", date(1996, 2, 3), "", "12 Fictional Row, Riverside",
     "RV1 2ZZ", ""),
    (CasePerson.Relationship.PARTNER, "Lee Sampleton", "Mother's partner", date(1990, 11, 21), "Lee Sample", "", "",
     ""),
    (CasePerson.Relationship.SIBLING, "Mia Demoson", "Sibling", date(2021, 8, 30), "", "", "", ""),
]


def _case(board, reference, pseudonym, summary, people, agencies):
    case, created = Case.objects.get_or_create(board=board, reference=reference,
                                               defaults={"pseudonym": pseudonym, "summary": summary})
    if created:
        for rel, name, label, dob, aliases, address, postcode, school in people:
            CasePerson.objects.create(case=case, relationship=rel, full_name=name, anonymised_label=label,
                                      date_of_birth=dob, aliases=aliases, address=address, postcode=postcode,
                                      school=school)
        for agency in agencies:
            CaseAgency.objects.create(case=case, agency=agency)
    return case


def load(*, board, people, agencies):
    six = [agencies[c] for c in ("CSC", "POL", "GP", "HV", "ED", "SCH")]
    case1 = _case(board, "RSCB-DEMO-01", "Child J",
                  "A four-year-old seriously injured at home; several agencies were involved with the family.",
                  DEMO_1_PEOPLE, six)
    if not Review.objects.filter(board=board, reference="DEMO-1").exists():
        services.review_initiate(by=people["chair"], case=case1, type=Review.Type.SCR_INTENSIVE,
                                 initiated_on=date(2026, 7, 1), title="Child J", reference="DEMO-1",
                                 methodology=Review.Methodology.SCIE)
    case2 = _case(board, "RSCB-DEMO-02", "Child K",
                  "A baby admitted with unexplained bruising.",
                  [(CasePerson.Relationship.SUBJECT_CHILD, "Kai Fakeington", "Child K", date(2026, 3, 2), "", "",
                    "", "")],
                  list(agencies.values()))
    if not Review.objects.filter(board=board, reference="DEMO-2").exists():
        review2 = services.review_initiate(by=people["manager"], case=case2, type=Review.Type.CIR,
                                           initiated_on=date(2026, 10, 19), title="Child K", reference="DEMO-2")
        # A CIR has no timescale in the framework's rule pack: the SCR Committee set four months, then the
        # methodology (its stages are spread up to that target).
        services.review_update_setup(
            by=people["manager"], review=review2, type=Review.Type.CIR, methodology=Review.Methodology.NORTH_WEST,
            period_start=None, period_end=None, questions="", agencies_in_scope=[], proportionality_rationale="",
            title="Child K", target_on=date(2027, 2, 19))
    case4 = _case(board, "RSCB-DEMO-04", "Child L",
                  "A teenager who died; agencies had concerns about exploitation.",
                  [(CasePerson.Relationship.SUBJECT_CHILD, "Logan Notreal", "Child L", date(2009, 1, 9), "", "",
                    "", "Riverside Demo Academy")],
                  [agencies[c] for c in ("CSC", "POL", "SCH", "HSG")])
    if not Review.objects.filter(board=board, reference="DEMO-4").exists():
        _demo_4(case4, people=people, agencies=agencies)

    _enrich(board=board, people=people, agencies=agencies, case1=case1)


DEMO_3_REPORT = """Overview report: Child M (DEMO-3, draft for quality assurance)

1. Why this review was held
Child M, aged seven, was admitted to hospital with a serious head injury. Agencies had been involved with the
family for two years. This Targeted Serious Case Review looked at how they worked together.

2. What happened
Maisie lived with her mother and her mother's partner at an address in RV3 4ZZ. The school noticed Maisie's
absences in the autumn term and made two referrals to Children's Social Care. The GP saw Masie twice for minor
injuries but did not know about the referrals.

3. Why it happened
Information was held in three places and nobody brought it together. Practitioners did not have a shared picture
of the pattern of absences and injuries.

4. What must change
Schools and GPs need a way to share concerns about a child who is missing education and presenting with injuries.
"""

DEMO_4_REPORT = """Overview report: Child L (DEMO-4)

Child L was a teenager who died. Agencies had concerns that he was being exploited by older men. This Targeted
Serious Case Review found that information about exploitation was not shared between agencies, that missing
episodes were treated as isolated events, and that the school's pastoral lead escalated persistently and well.

The board has accepted four recommendations. Agencies have already acted on them, as set out in the statement of
actions published with this report.
"""


def _enrich(*, board, people, agencies, case1) -> None:
    # DEMO-1: in analysis, paused for criminal proceedings, consulting its Case Group on draft findings.
    review1 = Review.objects.get(board=board, reference="DEMO-1")
    if review1.status == Review.Status.INITIATED:
        _demo_1(review1, people=people, agencies=agencies)

    # DEMO-3: report in quality assurance; the check finds "Maisie", "Maisie's", "Masie" and the postcode.
    case3 = _case(board, "RSCB-DEMO-03", "Child M",
                  "A seven-year-old admitted to hospital with a head injury after a term of absences.",
                  [(CasePerson.Relationship.SUBJECT_CHILD, "Maisie Pretendson", "Child M", date(2019, 4, 2), "",
                    "4 Imaginary Close, Riverside", "RV3 4ZZ", "Riverside Demo Infant School"),
                   (CasePerson.Relationship.MOTHER, "Tanya Pretendson", "Mother", date(1994, 6, 12), "",
                    "4 Imaginary Close, Riverside", "RV3 4ZZ", "")],
                  [agencies[c] for c in ("CSC", "POL", "GP", "SCH")])
    if not Review.objects.filter(board=board, reference="DEMO-3").exists():
        _demo_3(case3, people=people, agencies=agencies)


def _appoint_lead(review: Review, *, by, reviewer, declared_on: date) -> None:
    services.member_add(by=by, review=review, user=reviewer, role=ReviewMember.Role.LEAD_REVIEWER,
                        has_conflict=False, conflict_details="", involved_in_case=False,
                        qualifications="Qualified social worker; independent lead reviewer of eight Serious Case "
                                       "Reviews for other boards.",
                        independence_declared_on=declared_on)


def _demo_1(review: Review, *, people, agencies) -> None:
    """DEMO-1 through the services a board uses: terms of reference, Review Group, family, parallel processes,
    analysis, a court pause with interim points, agency information, the Case Group and two draft findings."""
    manager, reviewer = people["manager"], people["reviewer"]
    six = [agencies[c] for c in ("CSC", "POL", "GP", "HV", "ED", "SCH")]
    review = services.review_update_setup(
        by=manager, review=review, type=review.type, methodology=review.methodology, title="Child J",
        period_start=date(2024, 9, 1), period_end=date(2026, 6, 20), agencies_in_scope=six,
        questions="How well did agencies share what they knew about the injuries to Child J?\n"
                  "Was the mother's partner known to agencies, and was he included in assessments?\n"
                  "How was the voice of Child J heard?",
        proportionality_rationale="Six agencies had significant contact and the chronologies show many "
                                  "significant practice events, so an Intensive review is proportionate.")
    for milestone in review.milestones.filter(due_on__lt=date(2026, 9, 1)):
        services.milestone_save(by=manager, review=review, milestone=milestone, name=milestone.name,
                                due_on=milestone.due_on, completed_on=milestone.due_on, owner=reviewer)
    _appoint_lead(review, by=manager, reviewer=reviewer, declared_on=date(2026, 7, 3))
    services.member_add(by=manager, review=review, user=people["police-lead"],
                        role=ReviewMember.Role.SENIOR_MANAGER, has_conflict=True, involved_in_case=False,
                        conflict_details="Line-manages the officer who attended the incident.")
    services.family_update(by=manager, review=review, family_status=Review.FamilyStatus.INVITED,
                           family_invited_on=date(2026, 8, 3), family_expectations="", family_contributions="",
                           family_how="A letter from the lead reviewer, followed by an offer to meet at home.")
    services.parallel_process_save(by=manager, review=review, kind=ParallelProcess.Kind.POLICE,
                                   status=ParallelProcess.Status.ONGOING, status_on=date(2026, 7, 1),
                                   detail="Investigation into the injuries; file with the Crown Prosecution Service.")
    services.parallel_process_save(by=manager, review=review, kind=ParallelProcess.Kind.CRIMINAL,
                                   status=ParallelProcess.Status.ONGOING, status_on=date(2026, 10, 1),
                                   detail="Trial listed for spring 2027.")
    review = services.review_start_analysis(by=manager, review=review)
    for code, requested, due, returned in (("CSC", date(2026, 7, 6), date(2026, 8, 14), date(2026, 8, 12)),
                                           ("POL", date(2026, 7, 6), date(2026, 8, 14), None),
                                           ("HV", date(2026, 7, 6), date(2026, 8, 14), date(2026, 8, 20))):
        request = services.agency_request_add(
            by=manager, review=review, agency=agencies[code], requested_on=requested, due_on=due,
            what="Agency report: your Significant Practice Event chronology and an analysis of your involvement.")
        if returned:
            services.agency_request_returned(by=manager, request=request, returned_on=returned, note="")
    services.pause_start(by=manager, review=review, started_on=date(2026, 10, 1),
                         reason="Criminal trial listed for spring 2027: the lead reviewer may not interview two "
                                "practitioners who are prosecution witnesses.")
    improvement = services.interim_point_add(
        by=reviewer, review=review, kind=InterimPoint.Kind.IMPROVEMENT, agency=agencies["GP"],
        recorded_on=date(2026, 10, 8),
        text="GP practices do not see the child protection information held by Children's Social Care.")
    services.interim_point_add(by=manager, review=review, kind=InterimPoint.Kind.CORRECTIVE, agency=agencies["HV"],
                               recorded_on=date(2026, 10, 15),
                               text="Health visiting now asks about every adult living in the home at each contact.")
    services.agency_request_add(
        by=manager, review=review, agency=agencies["SCH"], requested_on=date(2026, 11, 2), due_on=date(2026, 12, 11),
        what="Agency report: your Significant Practice Event chronology and an analysis of your involvement.")
    practitioner = services.case_group_add(
        by=manager, review=review, user=people["practitioner"],
        involvement="Health visitor at the two-year check and the missed contacts.")
    author = services.case_group_add(by=manager, review=review, user=people["csc-author"],
                                     involvement="Team manager when the second referral was closed.")
    for member in (practitioner, author):
        services.case_group_update(by=manager, member=member, status=CaseGroupMember.Status.INVITED,
                                   on=date(2026, 8, 10))
    f1 = services.finding_save(
        by=reviewer, review=review, kind=Finding.Kind.IMPROVEMENT,
        title="The mother's partner was not included in assessments",
        narrative="Three agencies knew that a man was living in the home. None of the assessments asked who he "
                  "was or what part he played in the child's care.",
        evidence="Chronology entries CSC-012, HV-007 and POL-004.",
        system_pattern=Finding.SystemPattern.FAMILY_PROFESSIONAL, interim_points=[improvement],
        contributory_factors="Assessment templates ask about parents but not about other adults in the home.")
    services.finding_save(
        by=reviewer, review=review, kind=Finding.Kind.GOOD_PRACTICE,
        title="The nursery recorded the child's own words",
        narrative="The nursery practitioner wrote down what the child said about his bruises and passed it on "
                  "the same day.",
        evidence="Chronology entry SCH-003.")
    services.consultation_open(by=reviewer, review=review)
    services.comment_add(by=people["practitioner"], member=practitioner, finding=f1,
                         kind=CaseGroupComment.Kind.CORRECTION,
                         text="Health visiting did ask about the partner at the two-year check: the mother said he "
                              "had moved out.")


def _demo_3(case3, *, people, agencies) -> None:
    """DEMO-3 through the services: a Targeted SCR whose first report version is in quality assurance."""
    manager, reviewer = people["manager"], people["reviewer"]
    review = services.review_initiate(by=people["chair"], case=case3, type=Review.Type.SCR_TARGETED,
                                      initiated_on=date(2026, 5, 11), title="Child M", reference="DEMO-3",
                                      methodology=Review.Methodology.RCA)
    review = services.review_update_setup(
        by=manager, review=review, type=review.type, methodology=review.methodology, title="Child M",
        period_start=date(2024, 9, 1), period_end=date(2026, 5, 1),
        agencies_in_scope=[agencies[c] for c in ("CSC", "POL", "GP", "SCH")],
        questions="How did schools and health share concerns about absences and injuries?",
        proportionality_rationale="Few significant practice events, concentrated in one term: Targeted.")
    services.family_update(by=manager, review=review, family_status=Review.FamilyStatus.DECLINED,
                           family_invited_on=date(2026, 6, 1), family_expectations="", family_contributions="",
                           family_how="Letter from the lead reviewer; the mother declined to take part.")
    for milestone in review.milestones.filter(due_on__lt=date(2026, 9, 1)):
        services.milestone_save(by=manager, review=review, milestone=milestone, name=milestone.name,
                                due_on=milestone.due_on, completed_on=milestone.due_on, owner=reviewer)
    _appoint_lead(review, by=manager, reviewer=reviewer, declared_on=date(2026, 5, 14))
    review = services.review_start_analysis(by=manager, review=review)
    services.finding_save(by=reviewer, review=review, kind=Finding.Kind.IMPROVEMENT,
                          title="Concerns about absences and injuries were held in separate places",
                          narrative="The school and the GP each held part of the picture.")
    services.version_write(by=reviewer, review=review, text=DEMO_3_REPORT.strip(),
                           note="First draft for the SCR Committee")
    services.review_submit_for_qa(by=reviewer, review=review)


# DEMO-4's history, on the days it happened: the board recorded it in CaseReview after publishing it.
DEMO_4_WRITTEN, DEMO_4_CHECKED, DEMO_4_SIGNED_OFF = date(2026, 4, 14), date(2026, 4, 20), date(2026, 4, 22)
DEMO_4_APPROVED = date(2026, 5, 6)
DEMO_4_PANEL_COPY, DEMO_4_PUBLISHED = date(2026, 6, 1), date(2026, 6, 15)


def _demo_4(case4, *, people, agencies) -> None:
    """DEMO-4 through the services: a Targeted SCR whose report the board approved in May and published in June,
    with its findings, recommendations and the statement of actions (action plans and learning build on them)."""
    manager, reviewer, scr_chair, chair = people["manager"], people["reviewer"], people["scr-chair"], people["chair"]
    review = services.review_initiate(by=chair, case=case4, type=Review.Type.SCR_TARGETED,
                                      initiated_on=date(2025, 9, 1), title="Child L", reference="DEMO-4",
                                      methodology=Review.Methodology.SILP)
    review = services.review_update_setup(
        by=manager, review=review, type=review.type, methodology=review.methodology, title="Child L",
        period_start=date(2024, 1, 1), period_end=date(2025, 7, 31),
        agencies_in_scope=[agencies[c] for c in ("CSC", "POL", "SCH", "HSG")],
        questions="How did agencies share what they knew about the young person's exploitation?",
        proportionality_rationale="The practice to learn from sits with four agencies over eighteen months: "
                                  "Targeted.")
    for milestone in review.milestones.all():
        done = min(max(milestone.due_on, review.initiated_on), DEMO_4_APPROVED) if milestone.due_on else None
        services.milestone_save(by=manager, review=review, milestone=milestone, name=milestone.name,
                                due_on=milestone.due_on, completed_on=done, owner=reviewer)
    _appoint_lead(review, by=manager, reviewer=reviewer, declared_on=date(2025, 9, 4))
    review = services.review_start_analysis(by=manager, review=review)
    findings = [
        services.finding_save(by=reviewer, review=review, kind=kind, title=title, narrative=narrative)
        for kind, title, narrative in (
            (Finding.Kind.IMPROVEMENT, "Information about exploitation was not shared between agencies",
             "Police and the school each held information about older men contacting the young person; neither "
             "shared it with the other."),
            (Finding.Kind.IMPROVEMENT, "Missing episodes were treated as isolated events",
             "Five missing episodes were each closed without a return home interview that looked at the "
             "pattern."),
            (Finding.Kind.GOOD_PRACTICE, "The school's pastoral lead escalated persistently",
             "The pastoral lead used the escalation policy twice and recorded the young person's own words."),
        )]
    for number, text, level, codes in (
        (1, "Agencies should share intelligence about exploitation through the multi-agency exploitation panel "
            "within five working days.", Recommendation.Level.PARTNERSHIP, ["POL", "SCH", "CSC"]),
        (2, "Children's Social Care should ensure every return home interview considers the pattern of missing "
            "episodes.", Recommendation.Level.SINGLE_AGENCY, ["CSC"]),
        (3, "Housing should tell Children's Social Care when a family with a child on a plan moves.",
         Recommendation.Level.SINGLE_AGENCY, ["HSG"]),
        (4, "The board should audit how the escalation policy is used.", Recommendation.Level.PARTNERSHIP, []),
    ):
        services.recommendation_save(by=reviewer, review=review, text=text, level=level,
                                     findings=[findings[min(number, 3) - 1]],
                                     target_agencies=[agencies[c] for c in codes])
    version = services.version_write(by=reviewer, review=review, text=DEMO_4_REPORT.strip(),
                                     note="Final draft for the SCR Committee", written_on=DEMO_4_WRITTEN)
    services.review_submit_for_qa(by=reviewer, review=review)
    services.version_checklist(by=scr_chair, version=version, check_analysis=True, check_plain_english=True,
                               check_publishable=True, check_good_practice=True, checked_on=DEMO_4_CHECKED)
    services.version_qa_sign_off(by=scr_chair, version=version, comments="Clear, balanced and publishable.",
                                 signed_off_on=DEMO_4_SIGNED_OFF)
    review = services.review_approve(by=chair, review=review, confirmed=True, approved_on=DEMO_4_APPROVED)

    services.statement_update(
        by=manager, review=review,
        statement_actions_taken="Police and schools now share exploitation intelligence through the multi-agency "
                                "exploitation panel.\nEvery return home interview now looks at the pattern of "
                                "missing episodes.",
        statement_impact="In the six months since, the panel has considered 14 young people referred by schools; "
                         "all return home interviews audited in May looked at the pattern.",
        statement_what_more="The board will audit how the escalation policy is used, and report the results in "
                            "its annual report.")
    services.publication_impact_update(by=manager, review=review, family_told=True, practitioners_told=True,
                                       media_lines_agreed=True, court_restrictions_checked=True,
                                       keep_online_until=None, offer_original=False)
    services.panel_copy_sent(by=manager, review=review, sent_on=DEMO_4_PANEL_COPY)
    services.review_publish(by=manager, review=review, confirmed=True, published_on=DEMO_4_PUBLISHED)

