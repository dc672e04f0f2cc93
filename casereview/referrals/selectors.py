from dataclasses import dataclass, fields

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from casereview.cases.selectors import cases_visible_to
from casereview.core.permissions import is_agency_lead, is_board_member
from casereview.reviews.models import Review
from casereview.reviews.selectors import reviews_visible_to

from . import permissions as p
from .models import InformationRequest, PanelLogEntry, Referral, ThresholdNotice


def _own_agency_as_lead(user) -> Q:
    return Q(referrer_agency_id=user.agency_id) if is_agency_lead(user) else Q(pk__in=[])


def referrals_visible_to(user) -> QuerySet[Referral]:
    """A draft is seen only by its author and their agency's safeguarding lead (not even the Business
    Manager until it is submitted). Once submitted, whoever may see its case, the referrer and their lead."""
    if not is_board_member(user):
        return Referral.objects.none()
    mine = Q(created_by=user) | _own_agency_as_lead(user)
    draft = Q(status=Referral.Status.DRAFT)
    submitted = ~draft & (mine | Q(case__in=cases_visible_to(user)))
    return (Referral.objects.filter(board_id=user.board_id).filter((draft & mine) | submitted)
            .select_related("case", "referrer_agency", "board"))


def referral_get_for_user(user, referral_id: int) -> Referral:
    """The referral, or 404 whether it does not exist or the user may not see it: never reveal which."""
    referral = referrals_visible_to(user).filter(pk=referral_id).first()
    if referral is None:
        raise Http404("No referral found")
    return referral


@dataclass(frozen=True)
class ReferralActions:
    """What the person may do with the referral now: the page offers exactly these, and each view refuses
    what is not here (referral_get_for_action)."""

    edit: bool = False
    submit: bool = False
    receive: bool = False
    request_information: bool = False
    matrix: bool = False
    reopen_matrix: bool = False
    route: bool = False
    decide: bool = False
    ask_question: bool = False
    read_letters: bool = False
    send_feedback: bool = False
    panel_notice: bool = False
    read_panel_notice: bool = False
    panel_log: bool = False
    consider_cir: bool = False
    chronologies: bool = False

    @property
    def any_button(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self) if f.name in (
            "submit", "edit", "receive", "request_information", "matrix", "route", "decide"))


def referral_actions(user, referral: Referral) -> ReferralActions:
    return ReferralActions(
        edit=p.can_edit_referral(user, referral),
        submit=p.can_submit_referral(user, referral),
        receive=p.can_receive(user, referral),
        request_information=p.can_request_information(user, referral),
        matrix=p.can_work_matrix_on(user, referral),
        reopen_matrix=p.can_reopen_matrix(user, referral),
        route=p.can_route(user, referral),
        decide=p.can_decide_on(user, referral),
        ask_question=p.can_ask_questions(user),
        read_letters=p.can_read_letters_of(user, referral),
        send_feedback=p.can_send_feedback(user, referral),
        panel_notice=p.can_record_panel_notice(user, referral),
        read_panel_notice=p.can_read_panel_notice(user, referral),
        panel_log=p.can_keep_panel_log(user, referral),
        consider_cir=p.can_consider_cir(user, referral),
        chronologies=p.can_follow_chronologies(user, referral),
    )


def referral_get_for_action(user, referral_id: int, action: str) -> Referral:
    """The referral for one of its actions: 404 when the person may not see it (never revealing it exists),
    403 when they see it but the action is not theirs, or not open at this step."""
    referral = referral_get_for_user(user, referral_id)
    if not getattr(referral_actions(user, referral), action):
        raise PermissionDenied
    return referral


def information_request_get_for_user(user, request_id: int) -> InformationRequest:
    """A request the person may see (through its referral), or 404."""
    request = (InformationRequest.objects.select_related("referral", "agency")
               .filter(pk=request_id, referral__in=referrals_visible_to(user)).first())
    if request is None:
        raise Http404("No request found")
    return request


def information_request_get_for_answer(user, request_id: int) -> InformationRequest:
    """A request the person answers for their agency: 404 out of scope, 403 when it is not theirs to answer."""
    request = information_request_get_for_user(user, request_id)
    if not p.can_answer_request(user, request):
        raise PermissionDenied
    return request


def panel_log_entry_get_for_user(user, entry_id: int) -> PanelLogEntry:
    entry = (PanelLogEntry.objects.select_related("referral")
             .filter(pk=entry_id, referral__in=referrals_visible_to(user)).first())
    if entry is None:
        raise Http404("No entry found")
    return entry


def hidden_draft_case_ids(user) -> QuerySet:
    """Ids of cases behind draft referrals the user may not see, for the cases selectors to leave out."""
    drafts = Referral.objects.filter(status=Referral.Status.DRAFT)
    if getattr(user, "is_authenticated", False):
        drafts = drafts.exclude(Q(created_by=user) | _own_agency_as_lead(user))
    return drafts.values("case_id")


def information_requests_for_agency(user) -> QuerySet[InformationRequest]:
    """Open requests the user answers as their agency's safeguarding lead."""
    if not is_agency_lead(user):
        return InformationRequest.objects.none()
    return (InformationRequest.objects.filter(agency_id=user.agency_id, referral__board_id=user.board_id,
                                              received_on__isnull=True)
            .exclude(referral__status=Referral.Status.CLOSED)
            .select_related("referral", "agency").order_by("due_on"))


def learning_already_identified(user, referral: Referral) -> list[dict]:
    """Earlier reviews of the board that share learning themes with the matrix or involved the same agencies."""
    matrix = getattr(referral, "matrix", None)
    themes = set(matrix.themes.values_list("pk", flat=True)) if matrix else set()
    agencies = set(referral.case.case_agencies.values_list("agency_id", flat=True))
    reviews = (reviews_visible_to(user).filter(board_id=referral.board_id).exclude(case_id=referral.case_id)
               .filter(Q(findings__themes__in=themes) | Q(case__case_agencies__agency_id__in=agencies))
               .distinct().prefetch_related("findings__themes", "case__case_agencies__agency"))
    rows = []
    for review in reviews:
        shared_themes = sorted({str(t) for f in review.findings.all() for t in f.themes.all() if t.pk in themes})
        shared_agencies = sorted({link.agency.name for link in review.case.case_agencies.all()
                                  if link.agency_id in agencies})
        rows.append({"review": review, "themes": shared_themes, "agencies": shared_agencies,
                     "score": (len(shared_themes), len(shared_agencies))})
    rows.sort(key=lambda r: r["score"], reverse=True)
    return rows


def reviews_for_question(user, referral: Referral) -> QuerySet[Review]:
    """The earlier reviews a question about unsustained learning can point at: those listed for the case."""
    ids = [row["review"].pk for row in learning_already_identified(user, referral)]
    return reviews_visible_to(user).filter(pk__in=ids)


def threshold_notices_for(user) -> QuerySet[ThresholdNotice]:
    """The notices sent to this Performance Committee chair that a case may meet the threshold for a Serious
    Case Review (they see the notice, not the case record)."""
    if not p.can_liaise_on_threshold(user):
        return ThresholdNotice.objects.none()
    return ThresholdNotice.objects.filter(chair=user, referral__board_id=user.board_id).select_related("referral")


def threshold_notice_get_for_user(user, notice_id: int) -> ThresholdNotice:
    notice = threshold_notices_for(user).filter(pk=notice_id).first()
    if notice is None:
        raise Http404("No notice found")
    return notice
