"""Access rules for every reviews URL. In scope of the world's case: the Business Manager, the Chair, agency A's
author (agency A is involved) and the lead reviewer; agency B's author, the practitioner (agency B) and the other
board's user cannot see the case, so its review is hidden (404) from them."""

from tests.access_matrix import DENY, HIDDEN, LOGIN, NOT_ALLOWED, REDIRECT, Rule
from tests.reviews import helpers as h

OK = 200


def scoped(manager, chair, author_a, reviewer, *, hidden=HIDDEN) -> dict[str, int]:
    return {"business_manager": manager, "chair": chair, "agency_a_author": author_a, "lead_reviewer": reviewer,
            "agency_b_author": hidden, "practitioner": hidden, "other_board_user": hidden, "anonymous": LOGIN}


def review_id(world) -> dict:
    return {"review_id": h.make_review(world).pk}


def in_qa(world) -> dict:
    review = h.make_review(world, reference="TST-QA", status="report_qa")
    h.written_version(review, world)
    return {"review_id": review.pk}


def role_first(manager, chair, author_a, reviewer) -> dict[str, int]:
    """A page guarded by its role first (`allowed_if`), then by scope: people without the role are refused (403)
    whatever the review, so nothing is revealed; a Business Manager of another board has the role, so their
    request reaches the scope check and finds nothing (404)."""
    return {**scoped(manager, chair, author_a, reviewer), "agency_b_author": DENY, "practitioner": DENY}


def board_role(manager, chair, author_a, reviewer) -> dict[str, int]:
    """A role the other board's Business Manager does not hold (the Chair's, the SCR Committee's): refused (403)
    like everyone else without it."""
    return {**role_first(manager, chair, author_a, reviewer), "other_board_user": DENY}


VIEWERS = scoped(OK, OK, OK, OK)
# Every page checks the role first, then the scope.
BM = role_first(OK, DENY, DENY, DENY)
BM_POST = role_first(REDIRECT, DENY, DENY, DENY)
LEADS = role_first(OK, DENY, DENY, OK)
LEADS_POST = role_first(REDIRECT, DENY, DENY, REDIRECT)
# The report is read by those who write it (the Business Manager, the review's lead reviewer), the SCR Committee
# and the Chair.
REPORT_READERS = role_first(OK, OK, DENY, OK)
PUBLIC = {p: OK for p in VIEWERS}

ACCESS = [
    Rule("reviews:list", {**{p: OK for p in VIEWERS}, "anonymous": LOGIN}),
    Rule("reviews:create", {"business_manager": OK, "chair": DENY, "agency_a_author": DENY, "agency_b_author": DENY,
                            "lead_reviewer": DENY, "practitioner": DENY, "other_board_user": OK,
                            "anonymous": LOGIN}),
    Rule("reviews:detail", VIEWERS, kwargs=review_id),
    Rule("reviews:start_analysis", BM_POST, method="post", kwargs=review_id),
    Rule("reviews:setup", VIEWERS, kwargs=review_id),
    Rule("reviews:parallel", BM, kwargs=review_id),
    Rule("reviews:parallel_edit", BM, kwargs=review_id,
         setup=lambda w: {"process_id": h.process(h.make_review(w), w).pk}),
    Rule("reviews:stages", VIEWERS, kwargs=review_id),
    Rule("reviews:stages_template", BM_POST, method="post", kwargs=review_id),
    Rule("reviews:stage_edit", BM, kwargs=review_id,
         setup=lambda w: {"milestone_id": h.milestone(h.make_review(w)).pk}),
    Rule("reviews:people", VIEWERS, kwargs=review_id),
    Rule("reviews:member_remove", BM_POST, method="post", kwargs=review_id,
         setup=lambda w: {"member_id": _fresh_member(w).pk}),
    Rule("reviews:case_group", VIEWERS, kwargs=review_id),
    Rule("reviews:case_group_status", BM, method="post", kwargs=review_id,
         setup=lambda w: {"member_id": h.case_group_member(h.make_review(w), w.author_a, w.agency_a).pk}),
    Rule("reviews:family", VIEWERS, kwargs=review_id),
    Rule("reviews:timescale", VIEWERS, kwargs=review_id),
    Rule("reviews:extension_request", BM, method="post", kwargs=review_id),
    Rule("reviews:extension_decide", {**role_first(DENY, OK, DENY, DENY), "other_board_user": DENY}, method="post",
         kwargs=review_id,
         setup=lambda w: {"extension_id": h.pending_extension(h.make_review(w), w).pk}),
    Rule("reviews:pause_start", BM, method="post", kwargs=review_id),
    Rule("reviews:pause_end", BM, method="post", kwargs=review_id,
         setup=lambda w: h.open_pause(h.make_review(w), w) and {}),
    Rule("reviews:interim_add", LEADS, method="post", kwargs=review_id),
    Rule("reviews:requests", VIEWERS, kwargs=review_id),
    Rule("reviews:request_returned", BM, method="post", kwargs=review_id,
         setup=lambda w: {"request_id": _agency_request(w).pk}),
    Rule("reviews:findings", VIEWERS, kwargs=review_id),
    Rule("reviews:finding_add", LEADS, kwargs=review_id),
    Rule("reviews:finding_edit", LEADS, kwargs=review_id,
         setup=lambda w: {"finding_id": h.finding(h.make_review(w)).pk}),
    Rule("reviews:consultation_toggle", LEADS_POST, method="post", kwargs=review_id),
    Rule("reviews:comment_respond", LEADS, kwargs=review_id,
         setup=lambda w: {"comment_id": h.comment(h.make_review(w), w).pk}),
    Rule("reviews:recommendation_add", LEADS, kwargs=review_id),
    Rule("reviews:recommendation_edit", LEADS, kwargs=review_id,
         setup=lambda w: {"recommendation_id": h.recommendation(h.make_review(w)).pk}),
    # Only the Case Group member (agency A's author here) has a consultation page; nobody else learns of it.
    Rule("reviews:consultation", {"business_manager": HIDDEN, "chair": HIDDEN, "agency_a_author": OK,
                                  "agency_b_author": HIDDEN, "lead_reviewer": HIDDEN, "practitioner": HIDDEN,
                                  "other_board_user": HIDDEN, "anonymous": LOGIN}, kwargs=review_id,
         setup=lambda w: h.case_group_member(h.make_review(w), w.author_a, w.agency_a) and {}),
    # A practitioner without an account holds a link: it is their credential, so it opens the page for anyone.
    Rule("reviews:consultation_link", {**PUBLIC, "anonymous": OK},
         kwargs=lambda w: h.link_member(h.make_review(w), w) and {"secret": h.LINK_SECRET}),
    Rule("reviews:report", REPORT_READERS, kwargs=review_id),
    Rule("reviews:version_upload", LEADS, kwargs=review_id),
    Rule("reviews:version_write", LEADS, kwargs=review_id),
    Rule("reviews:submit_qa", LEADS_POST, method="post", kwargs=review_id),
    # Refused by the service (no reason given): the page is shown again with the error, so 200 for the Chair.
    Rule("reviews:return_qa", board_role(DENY, OK, DENY, DENY), method="post", kwargs=in_qa),
    Rule("reviews:approve", board_role(DENY, REDIRECT, DENY, DENY), method="post", kwargs=in_qa),
    Rule("reviews:version", REPORT_READERS, kwargs=review_id,
         setup=lambda w: {"version_id": h.written_version(h.make_review(w), w, number=1).pk}),
    Rule("reviews:version_download", REPORT_READERS, kwargs=review_id,
         setup=lambda w: {"version_id": h.written_version(h.make_review(w), w, number=1).pk}),
    Rule("reviews:hit_accept", role_first(OK, OK, DENY, DENY), method="post", kwargs=review_id,
         setup=lambda w: {"version_id": h.written_version(h.make_review(w), w, number=1).pk}),
    Rule("reviews:version_checklist", LEADS_POST, method="post", kwargs=review_id,
         setup=lambda w: {"version_id": h.written_version(h.make_review(w), w, number=1).pk}),
    # Sign-off is the SCR Committee's: none of the personas sits on it.
    Rule("reviews:qa_sign_off", board_role(DENY, DENY, DENY, DENY), method="post", kwargs=review_id,
         setup=lambda w: {"version_id": h.written_version(h.make_review(w), w, number=1).pk}),
    Rule("reviews:publication", VIEWERS, kwargs=review_id),
    Rule("reviews:publication_plan", BM, method="post", kwargs=review_id),
    Rule("reviews:panel_copy", BM, method="post", kwargs=review_id),
    Rule("reviews:statement", BM_POST, method="post", kwargs=review_id),
    Rule("reviews:publish", BM, method="post", kwargs=review_id),  # refused in the page: not approved yet
    Rule("reviews:not_publish", BM, method="post", kwargs=review_id),
    # Publishing is a POST only: those with the role are told the method is not accepted; nobody else learns more.
    Rule("reviews:publish", {**role_first(NOT_ALLOWED, DENY, DENY, DENY), "other_board_user": NOT_ALLOWED},
         kwargs=review_id),
    Rule("reviews:publication_impact", BM_POST, method="post", kwargs=review_id),
    Rule("reviews:report_request", BM, method="post", kwargs=lambda w: {"review_id": h.published_review(w).pk}),
    # Refused by the service (no date or answer given): the page is shown again with the error.
    Rule("reviews:request_answer", BM, method="post",
         kwargs=lambda w: {"review_id": h.published_review(w).pk},
         setup=lambda w: {"request_id": h.report_request(h.published_review(w)).pk}),
    # The public page and its downloads need no sign-in at all.
    Rule("reviews:public_list", PUBLIC, kwargs=lambda w: {"board_slug": w.board.slug}),
    Rule("reviews:public_download", PUBLIC,
         kwargs=lambda w: {"board_slug": w.board.slug, "review_id": h.published_review(w).pk}),
    # Offered only when the board chose to publish the Word original as well; otherwise there is nothing there.
    Rule("reviews:public_download_original", {p: 404 for p in PUBLIC},
         kwargs=lambda w: {"board_slug": w.board.slug, "review_id": h.published_review(w).pk}),
]


def _fresh_member(world):
    from casereview.reviews import services
    from casereview.reviews.models import ReviewMember
    from tests.factories import UserFactory

    review = h.make_review(world)
    return services.member_add(by=world.manager, review=review, user=UserFactory(board=world.board),
                               role=ReviewMember.Role.LEAD_REVIEWER, has_conflict=False, conflict_details="",
                               involved_in_case=False, qualifications="Independent safeguarding consultant",
                               independence_declared_on=review.initiated_on)


def _agency_request(world):
    from datetime import timedelta

    from casereview.reviews.models import AgencyRequest

    review = h.make_review(world)
    return AgencyRequest.objects.get_or_create(review=review, agency=world.agency_a, defaults={
        "what": "Agency report", "requested_on": review.initiated_on,
        "due_on": review.initiated_on + timedelta(days=30), "requested_by": world.manager})[0]
