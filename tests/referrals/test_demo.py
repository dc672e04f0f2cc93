from casereview.committees import demo as committee_demo
from casereview.committees.models import Decision
from casereview.partnership.models import Committee, CommitteeMembership
from casereview.partnership.roles import Role
from casereview.referrals import demo
from casereview.referrals.models import Referral
from tests.factories import AgencyFactory, CommitteeFactory, UserFactory


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
    # The committee's recommendations rest on its quorate meetings, which the committees demo records.
    assert states == {"RSCB-REF-DEMO-1": "draft", "RSCB-REF-DEMO-2": "received",
                      "RSCB-REF-DEMO-3": "received", "RSCB-REF-DEMO-4": "received"}
    committee = CommitteeFactory(board=world.board, kind=Committee.Kind.SCR, quorum_requires_chair=True,
                                 quorum_agency_representatives=1)
    CommitteeMembership.objects.create(committee=committee, user=people["scr-chair"], position="chair")
    CommitteeMembership.objects.create(committee=committee, user=people["police-lead"], represents=agencies["POL"])
    committee_demo.recommend_on_demo_referrals(board=world.board, people=people, agencies=agencies)
    states = dict(Referral.objects.values_list("reference", "status"))
    assert states == {"RSCB-REF-DEMO-1": "draft", "RSCB-REF-DEMO-2": "received",
                      "RSCB-REF-DEMO-3": "recommended", "RSCB-REF-DEMO-4": "decided"}
    demo.load(board=world.board, people=people, agencies=agencies)
    committee_demo.recommend_on_demo_referrals(board=world.board, people=people, agencies=agencies)
    assert Decision.objects.filter(recommends_on_referral__isnull=False, quorate=True).count() == 2
    assert Referral.objects.count() == 4
    overdue = Referral.objects.get(reference="RSCB-REF-DEMO-4")
    from casereview.referrals.clocks import referral_clocks

    notice = next(c for c in referral_clocks(overdue) if c.slug == "panel-notice")
    assert notice.status.status == "overdue"
