"""Demo reviews of the fictional Riverside board. Other apps' demo data builds on these references:
DEMO-1 (in analysis; chronology app adds its merged chronology), DEMO-2 (awaiting chronologies from all
ten agencies), DEMO-4 (published; action plans and learning build on its findings and recommendations)."""

from datetime import date

from casereview.cases.models import Case, CaseAgency, CasePerson
from casereview.reviews.models import Finding, Recommendation, Review

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
    Review.objects.get_or_create(board=board, reference="DEMO-1", defaults={
        "case": case1, "title": "Child J", "type": Review.Type.SCR_INTENSIVE,
        "methodology": Review.Methodology.SCIE, "status": "analysis", "initiated_on": date(2026, 7, 1),
        "created_by": people["manager"]})
    case2 = _case(board, "RSCB-DEMO-02", "Child K",
                  "A baby admitted with unexplained bruising.",
                  [(CasePerson.Relationship.SUBJECT_CHILD, "Kai Fakeington", "Child K", date(2026, 3, 2), "", "",
                    "", "")],
                  list(agencies.values()))
    Review.objects.get_or_create(board=board, reference="DEMO-2", defaults={
        "case": case2, "title": "Child K", "type": Review.Type.CIR, "methodology": Review.Methodology.NORTH_WEST,
        "status": "initiated", "initiated_on": date(2026, 10, 19), "created_by": people["manager"]})
    case4 = _case(board, "RSCB-DEMO-04", "Child L",
                  "A teenager who died; agencies had concerns about exploitation.",
                  [(CasePerson.Relationship.SUBJECT_CHILD, "Logan Notreal", "Child L", date(2009, 1, 9), "", "",
                    "", "Riverside Demo Academy")],
                  [agencies[c] for c in ("CSC", "POL", "SCH", "HSG")])
    review4, created = Review.objects.get_or_create(board=board, reference="DEMO-4", defaults={
        "case": case4, "title": "Child L", "type": Review.Type.SCR_TARGETED,
        "methodology": Review.Methodology.SILP, "status": "published", "initiated_on": date(2025, 9, 1),
        "created_by": people["manager"]})
    if created:
        findings = [
            Finding.objects.create(review=review4, number=1, kind=Finding.Kind.IMPROVEMENT,
                                   title="Information about exploitation was not shared between agencies",
                                   narrative="Police and the school each held information about older men "
                                             "contacting the young person; neither shared it with the other."),
            Finding.objects.create(review=review4, number=2, kind=Finding.Kind.IMPROVEMENT,
                                   title="Missing episodes were treated as isolated events",
                                   narrative="Five missing episodes were each closed without a return home "
                                             "interview that looked at the pattern."),
            Finding.objects.create(review=review4, number=3, kind=Finding.Kind.GOOD_PRACTICE,
                                   title="The school's pastoral lead escalated persistently",
                                   narrative="The pastoral lead used the escalation policy twice and recorded "
                                             "the young person's own words."),
        ]
        texts = [
            (1, "Agencies should share intelligence about exploitation through the multi-agency exploitation "
                "panel within five working days.", Recommendation.Level.PARTNERSHIP, ["POL", "SCH", "CSC"]),
            (2, "Children's Social Care should ensure every return home interview considers the pattern of "
                "missing episodes.", Recommendation.Level.SINGLE_AGENCY, ["CSC"]),
            (3, "Housing should tell Children's Social Care when a family with a child on a plan moves.",
             Recommendation.Level.SINGLE_AGENCY, ["HSG"]),
            (4, "The board should audit how the escalation policy is used.", Recommendation.Level.PARTNERSHIP,
             []),
        ]
        for number, text, level, codes in texts:
            rec = Recommendation.objects.create(review=review4, number=number, text=text, level=level)
            rec.findings.add(findings[min(number, 3) - 1])
            rec.target_agencies.add(*[agencies[c] for c in codes])
