
"""Referrals at each step, made through the services so every test starts from a state the service can reach."""

from dataclasses import replace
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from casereview.lib.dates import today
from casereview.referrals import services
from casereview.referrals.details import ChildDetails, MatrixAnswer, MatrixDetails, ReferralDetails
from casereview.referrals.models import Referral

ANSWERS_MET = {"1": MatrixAnswer(answer="met", evidence="Police and hospital records"),
               "2a": MatrixAnswer(answer="not_met"),
               "2b": MatrixAnswer(answer="met", evidence="Life-threatening injury, hospital report"),
               "3": MatrixAnswer(answer="not_met")}

PDF = b"%PDF-1.4\n% fictional referral form\n"


def referral_details(**overrides) -> ReferralDetails:
    details = ReferralDetails(referrer_name="Testy Referrer", referrer_role="Detective",
                              referrer_contact="01632 960001", referrer_email="referrer@testshire.example",
                              referred_on=today(), incident_date=today(), narrative="A fictional incident for tests.",
                              criteria=["1", "2b"])
    return replace(details, **overrides)


def make_referral(world, status: str = Referral.Status.RECEIVED, *, by=None, decision: str = "not_initiated",
                  agencies=None, child_name: str = "Zebedee Fictionperson", purpose: str = Referral.Purpose.SCR,
                  route_to: str = "none") -> Referral:
    by = by or world.author_a
    referral = services.referral_create(by=by, details=referral_details(purpose=purpose),
                                        child=ChildDetails(full_name=child_name, date_of_birth=date(2020, 1, 1)),
                                        agencies=agencies if agencies is not None else [world.agency_a])
    if status == Referral.Status.DRAFT:
        return referral
    services.referral_submit(by=world.lead_a, referral=referral)
    if status == Referral.Status.SUBMITTED:
        return _fresh(referral)
    services.referral_receive(by=world.manager, referral=_fresh(referral), received_on=today())
    if status == Referral.Status.RECEIVED:
        return _fresh(referral)
    referral = _fresh(referral)
    if purpose != Referral.Purpose.SCR:
        services.referral_route(by=world.manager, referral=referral, outcome=route_to, decided_on=today(),
                                reason="The committee's fictional rationale.")
        return _fresh(referral)
    minute_recommendation(world, referral)
    services.matrix_save(by=world.manager, referral=referral, version=referral.version, answers=ANSWERS_MET,
                         complete=True, details=MatrixDetails(recommended_outcome="scr_intensive",
                                                              rationale="The committee finds criteria 1 and 2b met."))
    if status == Referral.Status.RECOMMENDED:
        return _fresh(referral)
    services.decision_record(by=world.chair, referral=_fresh(referral), decision=decision,
                             decided_on=today(), rationale="The Chair's fictional rationale.")
    return _fresh(referral)


def minute_recommendation(world, referral):
    """The SCR Committee records its recommendation on the referral as a decision of a quorate meeting, as it
    must before the decision matrix is completed."""
    from casereview.committees import services as meetings
    from tests.actions.factories import scr_chair, scr_meeting

    return meetings.decision_record(by=scr_chair(world), meeting=scr_meeting(world), recommends_on_referral=referral,
                                    text=f"Recommendation to the Independent Chair on {referral.reference}")


def record_external(world, **overrides) -> Referral:
    """A referral the Business Manager recorded from a secure email, with the original form attached."""
    kwargs = {"by": world.manager, "details": referral_details(), "agencies": [world.agency_a],
              "child": ChildDetails(full_name="Yolanda Fictionperson", date_of_birth=date(2019, 5, 5)),
              "referrer_organisation": "Testshire Child Death Overview Panel", "received_via": "secure_email",
              "received_on": today(), "board_notified_on": None,
              "upload": SimpleUploadedFile("referral.pdf", PDF, content_type="application/pdf")}
    kwargs.update(overrides)
    return services.referral_record_received(**kwargs)


def _fresh(referral: Referral) -> Referral:
    return Referral.objects.get(pk=referral.pk)
