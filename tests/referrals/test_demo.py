from casereview.partnership.roles import Role
from casereview.referrals import demo
from casereview.referrals.models import Referral
from tests.factories import AgencyFactory, UserFactory


def test_the_demo_has_a_referral_at_each_step_and_loads_twice_without_change(world):
    codes = ("CSC", "POL", "GP", "HV", "MW", "ED", "SCH", "HSG")
    agencies = {c: AgencyFactory(board=world.board, short_code=c, name=f"Demo {c}") for c in codes}
    people = {
        "manager": world.manager, "chair": world.chair,
        "police-lead": UserFactory(board=world.board, agency=agencies["POL"], username="police-lead",
                                   roles=[Role.AGENCY_LEAD]),
        "csc-author": UserFactory(board=world.board, agency=agencies["CSC"], username="csc-author",
                                  roles=[Role.AGENCY_AUTHOR]),
        "scr-chair": UserFactory(board=world.board, username="scr-chair", roles=[Role.SCR_COMMITTEE_CHAIR]),
    }
    demo.load(board=world.board, people=people, agencies=agencies)
    states = dict(Referral.objects.values_list("reference", "status"))
    assert states == {"RSCB-REF-DEMO-1": "draft", "RSCB-REF-DEMO-2": "received",
                      "RSCB-REF-DEMO-3": "recommended", "RSCB-REF-DEMO-4": "decided"}
    demo.load(board=world.board, people=people, agencies=agencies)
    assert Referral.objects.count() == 4
    overdue = Referral.objects.get(reference="RSCB-REF-DEMO-4")
    from casereview.referrals.clocks import referral_clocks

    notice = next(c for c in referral_clocks(overdue) if c.slug == "panel-notice")
    assert notice.status.status == "overdue"
