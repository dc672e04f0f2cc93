"""Referrals at each step, made through the services so every test starts from a state the service can reach."""

from datetime import date

from casereview.deadlines.services import board_today
from casereview.referrals import services
from casereview.referrals.models import Referral

ANSWERS_MET = {"1": {"answer": "met", "evidence": "Police and hospital records"},
               "2a": {"answer": "not_met", "evidence": ""},
               "2b": {"answer": "met", "evidence": "Life-threatening injury, hospital report"},
               "3": {"answer": "not_met", "evidence": ""}}


def referral_data(**overrides) -> dict:
    data = {"referrer_name": "Testy Referrer", "referrer_role": "Detective", "referrer_contact": "01632 960001",
            "referrer_email": "referrer@testshire.example", "referred_on": board_today(),
            "incident_date": board_today(), "narrative": "A fictional incident for tests.", "criteria": ["1", "2b"]}
    data.update(overrides)
    return data


def make_referral(world, status: str = Referral.Status.RECEIVED, *, by=None, decision: str = "not_initiated",
                  agencies=None, child_name: str = "Zebedee Fictionperson") -> Referral:
    by = by or world.author_a
    referral = services.referral_create(by=by, data=referral_data(),
                                        child={"full_name": child_name, "date_of_birth": date(2020, 1, 1)},
                                        agencies=agencies if agencies is not None else [world.agency_a])
    if status == Referral.Status.DRAFT:
        return referral
    services.referral_submit(by=world.lead_a, referral=referral)
    if status == Referral.Status.SUBMITTED:
        return _fresh(referral)
    services.referral_receive(by=world.manager, referral=_fresh(referral), received_on=board_today())
    if status == Referral.Status.RECEIVED:
        return _fresh(referral)
    referral = _fresh(referral)
    services.matrix_save(by=world.manager, referral=referral, version=referral.version, answers=ANSWERS_MET,
                         complete=True, data={"recommended_outcome": "scr_intensive",
                                              "rationale": "The committee finds criteria 1 and 2b met."})
    if status == Referral.Status.RECOMMENDED:
        return _fresh(referral)
    services.decision_record(by=world.chair, referral=_fresh(referral), decision=decision,
                             decided_on=board_today(), rationale="The Chair's fictional rationale.")
    return _fresh(referral)


def _fresh(referral: Referral) -> Referral:
    return Referral.objects.get(pk=referral.pk)
