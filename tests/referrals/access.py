from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from tests.access_matrix import ALLOW, DENY, HIDDEN, LOGIN, REDIRECT, Rule, board_members

OK, NO, GONE = ALLOW, DENY, HIDDEN


def _ref(world, status="received", **kwargs):
    """One referral per state per test, raised by agency A's author (agency A is involved)."""
    from tests.referrals.factories import make_referral

    cache = world.__dict__.setdefault("_referrals", {})
    key = (status, tuple(sorted(kwargs.items())))
    if key not in cache:
        cache[key] = make_referral(world, status, **kwargs)
    return cache[key]


def _id(status="received", **kwargs):
    return lambda w: {"referral_id": _ref(w, status, **kwargs).pk}


def _fresh(status, **kwargs):
    def setup(world):
        from tests.referrals.factories import make_referral

        return {"referral_id": make_referral(world, status, **kwargs).pk}
    return setup


def _person(world):
    from casereview.referrals import services

    referral = _ref(world)
    person = services.referral_person_add(by=world.manager, referral=referral, relationship="mother",
                                          full_name="Mabel Fictionperson")
    return {"referral_id": referral.pk, "person_id": person.pk}


def _request(world):
    from casereview.referrals.models import InformationRequest

    referral = _ref(world)
    req, _ = InformationRequest.objects.get_or_create(referral=referral, agency=world.agency_a, defaults={
        "requested_on": referral.received_on, "due_on": referral.received_on, "requested_by": world.manager})
    return {"request_id": req.pk}


def _with_notice(world):
    from casereview.referrals.models import PanelNotice

    referral = _ref(world, "decided")
    if not hasattr(referral, "panel_notice"):
        name = default_storage.save(f"referrals/{referral.pk}/sin-test.pdf", ContentFile(b"%PDF-1.4 test"))
        PanelNotice.objects.create(referral=referral, sent_on=referral.decision.decided_on, sent_by=world.manager,
                                   justification="Fictional", sin_file=name, sin_filename="notification.pdf")
        referral.refresh_from_db()
    return {"referral_id": referral.pk}


def _original(world):
    from tests.referrals.factories import record_external

    cache = world.__dict__.setdefault("_referrals", {})
    if "external" not in cache:
        cache["external"] = record_external(world)
    return {"referral_id": cache["external"].pk}


def _panel_request(world):
    from casereview.lib.dates import today
    from casereview.referrals import services

    referral = _ref(world)
    entry = services.panel_log_add(by=world.manager, referral=referral, kind="request_information", on=today(),
                                   due_on=today())
    return {"entry_id": entry.pk}


def _threshold_notice(world):
    from casereview.partnership.roles import Role
    from casereview.referrals.models import ThresholdNotice
    from tests.factories import UserFactory

    perf_chair = UserFactory(board=world.board, roles=[Role.PERFORMANCE_CHAIR])
    notice, _ = ThresholdNotice.objects.get_or_create(referral=_ref(world), chair=perf_chair)
    return {"notice_id": notice.pk}


def expect(**overrides):
    base = {"business_manager": GONE, "chair": GONE, "agency_a_author": GONE, "agency_b_author": GONE,
            "lead_reviewer": GONE, "practitioner": GONE, "other_board_user": GONE, "anonymous": LOGIN}
    base.update(overrides)
    return base


# A received referral is seen by board-wide roles and agency A (the referrer's and the involved agency).
SEES = {"business_manager": OK, "chair": OK, "agency_a_author": OK}
# Role-gated pages: people without the role are refused before scope is looked at.
ROLE_REFUSED = {"chair": NO, "agency_a_author": NO, "agency_b_author": NO, "lead_reviewer": NO, "practitioner": NO}

ACCESS = [
    Rule("referrals:list", board_members()),
    Rule("referrals:record", expect(business_manager=OK, chair=NO, agency_a_author=NO, agency_b_author=NO,
                                    lead_reviewer=NO, practitioner=NO, other_board_user=OK)),
    Rule("referrals:original_download", expect(business_manager=OK, chair=OK, agency_a_author=NO,
                                               agency_b_author=NO, lead_reviewer=NO, practitioner=NO),
         setup=_original),
    Rule("referrals:route", expect(business_manager=OK, **ROLE_REFUSED), kwargs=_id(purpose="learning")),
    Rule("referrals:panel_log_add", expect(business_manager=OK, **ROLE_REFUSED), kwargs=_id()),
    Rule("referrals:panel_log_answer", expect(business_manager=OK, **ROLE_REFUSED), setup=_panel_request),
    Rule("referrals:create", expect(business_manager=NO, chair=NO, agency_a_author=OK, agency_b_author=OK,
                                    lead_reviewer=NO, practitioner=OK, other_board_user=NO)),
    Rule("referrals:detail", expect(**SEES), kwargs=_id()),
    # A draft: only its author (and their agency's lead, not a persona here); not even the Business Manager.
    Rule("referrals:detail", expect(agency_a_author=OK), kwargs=_id("draft")),
    Rule("referrals:edit", expect(business_manager=OK, chair=NO, agency_a_author=NO), kwargs=_id()),
    Rule("referrals:edit", expect(agency_a_author=OK), kwargs=_id("draft")),
    Rule("referrals:person_add", expect(business_manager=OK, chair=NO, agency_a_author=NO), kwargs=_id()),
    Rule("referrals:person_remove", expect(business_manager=REDIRECT, chair=NO, agency_a_author=NO),
         method="post", setup=_person),
    # Only the referrer's agency lead submits; the author sees the draft but may not submit it.
    Rule("referrals:submit", expect(agency_a_author=NO), method="post", kwargs=_id("draft")),
    Rule("referrals:receive", expect(business_manager=OK, **ROLE_REFUSED), kwargs=_id("submitted")),
    Rule("referrals:information_request", expect(business_manager=OK, **ROLE_REFUSED), kwargs=_id()),
    Rule("referrals:answer", expect(business_manager=NO, chair=NO, agency_a_author=NO), setup=_request),
    Rule("referrals:matrix", expect(business_manager=OK, **ROLE_REFUSED), kwargs=_id()),
    Rule("referrals:matrix_reopen", expect(business_manager=REDIRECT, **ROLE_REFUSED), method="post",
         setup=_fresh("recommended")),
    Rule("referrals:question_add", expect(business_manager=OK, chair=OK, agency_a_author=NO, agency_b_author=NO,
                                          lead_reviewer=NO, practitioner=NO), method="post",
         kwargs=_id("recommended")),
    Rule("referrals:decide", expect(business_manager=NO, chair=OK, agency_a_author=NO, agency_b_author=NO,
                                    lead_reviewer=NO, practitioner=NO, other_board_user=NO),
         kwargs=_id("recommended")),
    Rule("referrals:letter_docx", expect(business_manager=OK, chair=OK, agency_a_author=NO, agency_b_author=NO,
                                         lead_reviewer=NO, practitioner=NO), kwargs=_id("decided")),
    Rule("referrals:letter_pdf", expect(business_manager=OK, chair=OK, agency_a_author=NO, agency_b_author=NO,
                                        lead_reviewer=NO, practitioner=NO), kwargs=_id("decided")),
    Rule("referrals:letter_sent", expect(business_manager=OK, **ROLE_REFUSED), kwargs=_id("decided")),
    Rule("referrals:panel_notice", expect(business_manager=OK, **ROLE_REFUSED), kwargs=_id("decided")),
    Rule("referrals:panel_notice_pdf", expect(business_manager=OK, chair=OK, agency_a_author=NO,
                                              agency_b_author=NO, lead_reviewer=NO, practitioner=NO),
         kwargs=_id("decided")),
    Rule("referrals:sin_download", expect(business_manager=OK, chair=OK, agency_a_author=NO, agency_b_author=NO,
                                          lead_reviewer=NO, practitioner=NO), setup=_with_notice),
    Rule("referrals:cir", expect(business_manager=OK, **ROLE_REFUSED), kwargs=_id("decided")),
    # Only the Performance Committee chair it was sent to (not a persona here; tested in test_referral_stage).
    Rule("referrals:threshold_notice", expect(business_manager=NO, other_board_user=NO, **ROLE_REFUSED),
         setup=_threshold_notice),
]
