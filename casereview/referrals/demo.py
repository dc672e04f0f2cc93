"""Demo referrals of the fictional Riverside board, one at each step of the process.

RSCB-REF-DEMO-1 a draft by csc-author (csc-lead, added here, approves it); -2 received and waiting for
agencies' summaries and the matrix; -3 waiting for the Chair; -4 decided, its National Panel notice overdue.
The SCR Committee's recommendations on -3 and -4 rest on decisions of its quorate meetings, which the committees
demo records (committees sit above referrals) before it calls `complete_considered`.
Dates are set relative to the day the demo is first loaded, so the clocks show every status.
"""

from datetime import date, datetime, time, timedelta

from casereview.cases.models import CasePerson
from casereview.lib.dates import BOARD_TIME_ZONE
from casereview.lib.dates import today as board_today
from casereview.partnership.models import RoleGrant, User
from casereview.partnership.roles import Role

from . import services
from .details import ChildDetails, MatrixAnswer, MatrixDetails, ReferralDetails
from .hooks import recommendation_minuted
from .models import InformationRequest, Referral

CRITERIA = {"1": "met", "2a": "not_met", "2b": "met", "3": "not_met"}


def _csc_lead(board, agencies):
    from casereview.core.management.commands.load_demo import DEMO_PASSWORD

    user = User.objects.filter(username="csc-lead").first()
    if user is None:
        user = User(username="csc-lead", first_name="Corey", last_name="Demo-Csclead", board=board,
                    job_title="Principal social worker, safeguarding lead", email="csc-lead@riverside.example",
                    agency=agencies["CSC"], is_demo_account=True)
        user.set_password(DEMO_PASSWORD)
        user.save()
    RoleGrant.objects.get_or_create(user=user, role=Role.AGENCY_LEAD)
    return user


def _raise(*, by, key: str, child: tuple, adults: list, agencies: list, referred_on: date, narrative: str,
           criteria: list[str]) -> Referral | None:
    reference = f"RSCB-REF-DEMO-{key}"
    if Referral.objects.filter(board_id=by.board_id, reference=reference).exists():
        return None
    name, dob, dod = child
    referral = services.referral_create(
        by=by, agencies=agencies, reference=reference,
        details=ReferralDetails(
            referrer_name=by.get_full_name(), referrer_role=by.job_title, referrer_contact="01632 960000",
            referrer_email=by.email, referred_on=referred_on, incident_date=referred_on - timedelta(days=3),
            where_and_with_whom="At home with the mother and her partner.", narrative=narrative,
            criteria=criteria, plan_status=Referral.PlanStatus.PREVIOUS, plan_category="Neglect",
            looked_after=Referral.YesNoUnknown.NO, open_to_csc=Referral.YesNoUnknown.YES,
            lead_consulted_name="Safeguarding lead (demo)", lead_consulted_role="Named safeguarding lead",
            key_dates=f"{referred_on - timedelta(days=3):%-d %m %Y} – admitted to hospital"),
        child=ChildDetails(full_name=name, date_of_birth=dob, date_of_death=dod, gender="Not recorded",
                           address="1 Pretend Street, Riverside", postcode="RV9 9ZZ"))
    for relationship, adult_name, adult_dob in adults:
        services.referral_person_add(by=by, referral=referral, relationship=relationship, full_name=adult_name,
                                     date_of_birth=adult_dob)
    return Referral.objects.get(pk=referral.pk)


def _submit_and_receive(referral, *, lead, manager, received_on):
    submitted_at = datetime.combine(received_on, time(9, 0), tzinfo=BOARD_TIME_ZONE)
    referral = services.referral_submit(by=lead, referral=referral, submitted_at=submitted_at)
    services.referral_receive(by=manager, referral=referral, received_on=received_on)
    return Referral.objects.get(pk=referral.pk)


def _matrix(referral, *, by, agencies, outcome, rationale, complete):
    answers = {code: MatrixAnswer(answer=a, evidence="Agency summaries and the hospital's report." if a == "met"
                                  else "", source_agency=agencies["POL"] if a == "met" else None)
               for code, a in CRITERIA.items()}
    services.matrix_save(by=by, referral=referral, version=referral.version, complete=complete, answers=answers,
                         details=MatrixDetails(
                             learning_potential="Information sharing between health visiting and police.",
                             previous_learning="Similar to the learning from DEMO-4 about sharing concerns.",
                             parallel_processes=["police"], recommended_outcome=outcome,
                             rationale=rationale, targeted_criteria=["few_spes"]))
    return Referral.objects.get(pk=referral.pk)


def load(*, board, people, agencies):
    today = board_today()
    manager, police_lead = people["manager"], people["police-lead"]
    csc_lead = _csc_lead(board, agencies)

    _raise(by=people["csc-author"], key="1", child=("Ava Demoson-Fakeley", date(2022, 4, 2), None),
           adults=[(CasePerson.Relationship.MOTHER, "Tina Demoson-Fakeley", date(1998, 6, 1))],
           agencies=[agencies[c] for c in ("CSC", "HV", "GP")], referred_on=today - timedelta(days=1),
           criteria=["1", "2b"],
           narrative="A three-year-old was admitted with a head injury that the family could not explain. Health "
                     "visiting and the GP had each seen bruising in the past year; it was not shared.")

    second = _raise(by=police_lead, key="2", child=("Noah Notreal-Sample", date(2016, 9, 12), None),
                    adults=[(CasePerson.Relationship.FATHER, "Gary Notreal-Sample", date(1985, 1, 20))],
                    agencies=[agencies[c] for c in ("POL", "CSC", "HV", "SCH")],
                    referred_on=today - timedelta(days=12), criteria=["1", "2b"],
                    narrative="A nine-year-old was found with serious injuries after a domestic incident. Police "
                              "had attended the address four times in a year.")
    if second:
        second = _submit_and_receive(second, lead=police_lead, manager=manager, received_on=today - timedelta(days=10))
        # Health visiting was asked first, by phone, and is late; the others were asked today.
        services.information_request_send(by=manager, referral=second, agencies=[agencies["HV"]],
                                          requested_on=today - timedelta(days=9), due_on=today - timedelta(days=2))
        services.information_request_send(by=manager, referral=second, due_on=today + timedelta(days=4),
                                          agencies=[agencies[c] for c in ("CSC", "SCH")])
        csc = InformationRequest.objects.get(referral=second, agency=agencies["CSC"])
        services.information_answer(by=csc_lead, request=csc, still_involved=True,
                                    summary="Open to children's social care as a child in need since last spring; "
                                            "two home visits in the three months before the incident.")

    third = _raise(by=police_lead, key="3", child=("Ella Fictionby", date(2025, 11, 3), None),
                   adults=[(CasePerson.Relationship.MOTHER, "Fran Fictionby", date(2001, 3, 14))],
                   agencies=[agencies[c] for c in ("POL", "CSC", "MW", "ED")],
                   referred_on=today - timedelta(days=22), criteria=["1", "2b"],
                   narrative="A baby was brought to the emergency department with fractures. Midwifery had "
                             "recorded concerns before birth that did not reach children's social care.")
    if third:
        third = _submit_and_receive(third, lead=police_lead, manager=manager, received_on=today - timedelta(days=20))
        _matrix(third, by=people["scr-chair"], agencies=agencies, complete=False, outcome="scr_targeted",
                rationale=THIRD_RATIONALE)

    fourth = _raise(by=police_lead, key="4", child=("Oscar Madeupson", date(2010, 2, 25), None),
                    adults=[(CasePerson.Relationship.MOTHER, "Mina Madeupson", date(1988, 8, 8))],
                    agencies=[agencies[c] for c in ("POL", "CSC", "SCH", "HSG")],
                    referred_on=today - timedelta(days=40), criteria=["1"],
                    narrative="A young person was seriously assaulted. Agencies worked closely together; the "
                              "referral asks whether there is learning about housing moves.")
    if fourth:
        fourth = _submit_and_receive(fourth, lead=police_lead, manager=manager,
                                     received_on=today - timedelta(days=38))
        _matrix(fourth, by=people["scr-chair"], agencies=agencies, complete=False, outcome="cir",
                rationale=FOURTH_RATIONALE)
    complete_considered(board=board, people=people, agencies=agencies)


THIRD_RATIONALE = ("Criteria 1 and 2b are met. The chronologies show few significant practice episodes, so a "
                   "Targeted review is proportionate.")
FOURTH_RATIONALE = ("Abuse is known, but there is no cause for concern about how agencies worked together; a "
                    "Critical Incident Review could capture the learning on housing moves.")
# Which demo referrals the SCR Committee recommended on, and the day its quorate meeting did so (days ago).
RECOMMENDED_AT = {"RSCB-REF-DEMO-3": 7, "RSCB-REF-DEMO-4": 30}


def complete_considered(*, board, people, agencies) -> None:
    """The SCR Committee's recommendations on DEMO-3 and DEMO-4, and the Chair's decision on DEMO-4. A
    recommendation rests on a decision of a quorate SCR Committee meeting: the committees demo records those
    meetings and calls this again, so without them both referrals wait for the committee."""
    today = board_today()
    third = Referral.objects.filter(board=board, reference="RSCB-REF-DEMO-3",
                                    status=Referral.Status.RECEIVED).first()
    if third and recommendation_minuted(third):
        _matrix(third, by=people["scr-chair"], agencies=agencies, complete=True, outcome="scr_targeted",
                rationale=THIRD_RATIONALE)
    fourth = Referral.objects.filter(board=board, reference="RSCB-REF-DEMO-4",
                                     status=Referral.Status.RECEIVED).first()
    if fourth and recommendation_minuted(fourth):
        fourth = _matrix(fourth, by=people["scr-chair"], agencies=agencies, complete=True, outcome="cir",
                         rationale=FOURTH_RATIONALE)
        services.decision_record(by=people["chair"], referral=fourth, decision="not_initiated",
                                 decided_on=today - timedelta(days=20),
                                 rationale="The criteria for a Serious Case Review are not met: agencies worked well "
                                           "together.\n\nThe case will be considered for a Critical Incident Review "
                                           "on housing moves.")
