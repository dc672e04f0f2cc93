"""Fictional test data. Names are deliberately unreal so nobody mistakes them for real people."""

import factory

from casereview.cases.models import Case, CaseAccess, CaseAgency, CasePerson
from casereview.partnership.models import Agency, Board, Committee, RoleGrant, User


class BoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Board

    name = factory.Sequence(lambda n: f"Testshire Board {n}")
    slug = factory.Sequence(lambda n: f"testshire-{n}")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    board = factory.SubFactory(BoardFactory)
    name = factory.Sequence(lambda n: f"Test Agency {n}")
    short_code = factory.Sequence(lambda n: f"TA{n}")
    type = Agency.Type.OTHER


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"tester{n}")
    first_name = "Testy"
    last_name = factory.Sequence(lambda n: f"Mctestface{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@testshire.example")
    board = factory.SubFactory(BoardFactory)
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or []:
            RoleGrant.objects.create(user=self, role=role)
        self.__dict__.pop("_role_cache", None)
        if create:
            self.save()


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee

    board = factory.SubFactory(BoardFactory)
    kind = Committee.Kind.PERFORMANCE
    name = factory.Sequence(lambda n: f"Test Committee {n}")
    meeting_frequency_days = 42
    quorum_agency_representatives = 3


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    board = factory.SubFactory(BoardFactory)
    reference = factory.Sequence(lambda n: f"TEST-{n:04d}")
    pseudonym = factory.Sequence(lambda n: f"Child T{n}")


class CasePersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CasePerson

    case = factory.SubFactory(CaseFactory)
    relationship = CasePerson.Relationship.SUBJECT_CHILD
    full_name = "Zebedee Fictionperson"
    anonymised_label = factory.Sequence(lambda n: f"Child Z{n}")


class CaseAgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseAgency

    case = factory.SubFactory(CaseFactory)
    agency = factory.SubFactory(AgencyFactory)


class CaseAccessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseAccess

    case = factory.SubFactory(CaseFactory)
    user = factory.SubFactory(UserFactory)
    reason = "Lead reviewer"
    granted_by = factory.SubFactory(UserFactory)


# --- Reviews: the one way tests build a review, through the services the product uses ----------------------
# A review only reaches a state the way a board's review does: the Independent Chair opens a Serious Case Review
# (the business unit the other types), a lead reviewer is appointed, the terms of reference recorded, the report
# written by the lead reviewer, quality assured, approved by the Chair and published. Nothing writes a status.

REVIEW_REPORT = "An anonymised report about Child Q."
_REVIEW_STEPS = ("initiated", "analysis", "report_qa", "approved", "published")
_LEAD = object()  # "the world's lead reviewer", distinct from None ("nobody appointed yet")


def _records_office(world, board=None):
    """Who in the board's business unit set the records up: not one of the personas, so a test of what a persona
    did (their audit trail, their emails) sees only what it did itself."""
    board = board or world.board
    offices = world.__dict__.setdefault("_records_offices", {})
    if board.pk not in offices:
        offices[board.pk] = UserFactory(board=board, username=f"records-office-{board.slug}", first_name="Rory",
                                        last_name="Recordkeeper")
    return offices[board.pk]


def review_in(world, state: str = "initiated", *, type: str = "cir", reference: str = "", title: str = "Child Q",
              case=None, initiated_on=None, methodology: str = "scie", lead_reviewer=_LEAD,
              report_text: str = REVIEW_REPORT, approved_on=None,
              published_on=None, findings: int = 0, recommendations: int = 0, target_agencies=None):
    """A review of `world.case` (or `case`) in `state` ("initiated", "analysis", "report_qa", "approved",
    "published" or "not_published"), reached through the review services.

    `approved_on` approves it on that (past) day: the steps up to approval happen on that day. A published
    review without `approved_on` was approved ten days before its publication. `published_on` (past) records a
    publication made before the board used CaseReview, as the service allows. `findings` and
    `recommendations` are recorded during analysis (each recommendation answers the first finding and is
    addressed to `target_agencies`, agency A by default)."""
    from contextlib import nullcontext
    from datetime import timedelta

    import time_machine

    from casereview.lib.dates import today
    from casereview.reviews import services
    from casereview.reviews.models import Finding, Recommendation, Review, ReviewMember
    from casereview.reviews.selectors import prepublication_due

    case = case or world.case
    office = _records_office(world, case.board)
    final = Review.Status(state)
    step = _REVIEW_STEPS.index("approved" if final == Review.Status.NOT_PUBLISHED else final)
    scr = type in (Review.Type.SCR_INTENSIVE, Review.Type.SCR_TARGETED)
    lead = world.reviewer if lead_reviewer is _LEAD else lead_reviewer
    if step >= 1 and lead is None:
        raise ValueError("A review leaves set-up only once a lead reviewer is appointed: give `lead_reviewer`")
    publication_day = published_on or today()
    if final == Review.Status.PUBLISHED and approved_on is None:
        approved_on = publication_day - timedelta(days=10)
    if approved_on is not None and step < 3:
        raise ValueError("Only an approved or published review has an approval date")
    initiated_on = initiated_on or (approved_on or today()) - timedelta(days=30)

    with time_machine.travel(approved_on, tick=False) if approved_on else nullcontext():
        review = services.review_initiate(by=world.chair if scr else office, case=case,
                                          type=type, initiated_on=initiated_on, title=title, reference=reference,
                                          methodology=methodology)
        if lead is not None:
            services.member_add(by=office, review=review, user=lead, role=ReviewMember.Role.LEAD_REVIEWER,
                                has_conflict=False, conflict_details="", involved_in_case=False,
                                qualifications="Independent safeguarding consultant" if scr else "",
                                independence_declared_on=initiated_on if scr else None)
        if step >= 1:
            services.review_update_setup(
                by=office, review=review, type=type, methodology=methodology or "scie", title=title,
                period_start=initiated_on - timedelta(days=730), period_end=initiated_on - timedelta(days=1),
                questions="What did agencies know, and what did they do?", agencies_in_scope=[],
                proportionality_rationale="")
            review = services.review_start_analysis(by=office, review=review)
        made = [services.finding_save(by=lead or office, review=review, kind=Finding.Kind.IMPROVEMENT,
                                      title=f"Information was not shared ({n})", narrative="Nobody joined up.")
                for n in range(1, max(findings, 1 if recommendations else 0) + 1)]
        for n in range(1, recommendations + 1):
            services.recommendation_save(by=office, review=review, text=f"Recommendation text {n}",
                                         level=Recommendation.Level.PARTNERSHIP, findings=made[:1],
                                         target_agencies=[world.agency_a] if target_agencies is None
                                         else target_agencies)
        if step >= 2:
            version = services.version_write(by=lead, review=review, text=report_text)
            review = services.review_submit_for_qa(by=lead, review=review)
        if step >= 3:
            # A review reaches the board's approval with its stages done.
            for stage in review.milestones.filter(completed_on__isnull=True):
                services.milestone_save(by=office, review=review, milestone=stage, name=stage.name,
                                        due_on=stage.due_on, completed_on=today(), owner=stage.owner)
            services.version_checklist(by=office, version=version, check_analysis=True,
                                       check_plain_english=True, check_publishable=True, check_good_practice=True)
            services.version_qa_sign_off(by=office, version=version, comments="Clear and balanced.")
            review = services.review_approve(by=world.chair, review=review, confirmed=True)
    review = Review.objects.get(pk=review.pk)
    if final == Review.Status.NOT_PUBLISHED:
        services.review_not_publish(by=office, review=review, reason="The family asked the board not to.",
                                    panel_advice="The Panel agreed." if scr else "",
                                    panel_advice_on=today() if scr else None)
    elif final == Review.Status.PUBLISHED:
        if published_on is None:
            services.publication_plan(by=office, review=review, planned_publication_on=today())
        if scr:
            services.statement_update(by=office, review=review,
                                      statement_actions_taken="Agencies trained their staff.",
                                      statement_impact="Referrals are shared the same day.",
                                      statement_what_more="The board will audit it in a year.")
            # On the day of approval: the Panel is sent the approved report, and must have it before publication.
            if prepublication_due(review, publication_day) < approved_on:
                raise ValueError("A Serious Case Review is published at least the Panel's notice after its "
                                 "approval: give an earlier `approved_on` or a later `published_on`")
            services.panel_copy_sent(by=office, review=review, sent_on=approved_on)
        services.publication_impact_update(by=office, review=review, family_told=True,
                                           practitioners_told=True, media_lines_agreed=True,
                                           court_restrictions_checked=True, keep_online_until=None,
                                           offer_original=False)
        services.review_publish(by=office, review=Review.objects.get(pk=review.pk), confirmed=True,
                                published_on=published_on)
    return Review.objects.get(pk=review.pk)
