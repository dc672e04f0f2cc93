"""Starting a board from nothing: the board, its rule pack, the framework's committees, its Business Manager.

Apps above the platform layer that give a new board its starting data (the default learning typology, ...)
register a step here from their ``AppConfig.ready()``::

    from casereview.partnership import setup
    setup.register_new_board_step("typology", lambda board, by: typology_seed_default(board, by=by))

Each step runs inside the same transaction as the board's creation, with ``by`` the person who created it
(None when the platform operator runs ``board_create``).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.text import slugify

from casereview.audit.services import audit_record

from .models import Board, Committee, User
from .roles import Role
from .services import PartnershipError

NewBoardStep = Callable[[Board, User | None], object]
_STEPS: dict[str, NewBoardStep] = {}


def register_new_board_step(key: str, step: NewBoardStep) -> None:
    _STEPS.setdefault(key, step)


@dataclass(frozen=True)
class CommitteeDefault:
    kind: str
    name: str
    meeting_frequency_days: int | None
    quorum_requires_chair: bool
    quorum_vice_chair_may_stand_in: bool
    quorum_agency_representatives: int
    terms_of_reference: str


# The committees of the board's Learning and Improvement Framework, with their terms of reference as the
# framework's appendices set them out. A board edits them in the browser.
PERFORMANCE_TERMS = """\
1. To undertake quality assurance and audits of inter-agency safeguarding practice and management of standards.
2. To develop the board's Learning and Improvement Framework and be responsible for its implementation.
3. To develop a multi-agency audit framework to undertake audits that have clear and measurable outcomes.
4. To establish a common audit approach for both case audits and audits of the implementation of policy and procedures.
5. To be responsible for monitoring progress against multi-agency and single-agency action plans arising from Serious Case Reviews, Critical Incident Reviews and other audits.
6. To monitor and report on the implementation of inter-agency procedures and processes.
7. To report to the board's Executive, through the Chair, on matters relating to agencies' performance.
8. To establish multi-agency professional discussion forums where practitioners can safely and openly consider, challenge and change multi-agency practice.
9. To establish a formal work plan that commits agencies to taking part in the committee's functions.
10. To work with the other committees to develop and share learning through training, policies, procedures and guidance.
11. To develop opportunities for joint working on common themes with the Safeguarding Adults Partnership Board.

The committee meets every six weeks. It is quorate with the Chair and three agency representatives present."""

SCR_TERMS = """\
1. To recommend to the board's Independent Chair whether to undertake a Serious Case Review or a Critical Incident Review following a request from the board or another organisation.
2. To inform the national panel, Ofsted and the Department for Education of the intention to undertake a Serious Case Review.
3. To manage Serious Case Reviews and Critical Incident Reviews as the Learning and Improvement Framework sets out, including commissioning an independent overview report author and identifying additional members to support the committee.
4. To support the overview report author to hold meetings, workshops and interviews as part of the review.
5. To develop resources and training to support colleagues involved in reviews.
6. To ensure overview reports are completed and presented to the board.
7. To direct the agencies concerned to identify actions and to construct the review's action plan.
8. To liaise with the Performance Committee to oversee the completion of actions within timescales.

Membership is widened as needed to include representatives of the agencies directly involved in a case under review."""

FRAMEWORK_COMMITTEES = [
    CommitteeDefault(Committee.Kind.PERFORMANCE, "Performance Committee", 42, True, False, 3, PERFORMANCE_TERMS),
    CommitteeDefault(Committee.Kind.SCR, "Serious Case Review Committee", 28, True, False, 2, SCR_TERMS),
]


def _slug_for(name: str) -> str:
    base = slugify(name)[:50] or "board"
    slug, n = base, 2
    while Board.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _split_name(full_name: str) -> tuple[str, str]:
    parts = full_name.split()
    return (parts[0], " ".join(parts[1:])) if len(parts) > 1 else (full_name, "")


def _username_for(email: str) -> str:
    base = re.sub(r"[^a-z0-9._-]", "", email.split("@")[0].lower())[:30] or "manager"
    username, n = base, 2
    while User.objects.filter(username__iexact=username).exists():
        username, n = f"{base}{n}", n + 1
    return username


def board_create(*, by: User | None, name: str, manager_email: str, manager_name: str,
                 rule_pack: str = "lscb-2015") -> tuple[Board, User]:
    """A new board with its rule pack, the framework's committees, the registered starting data and its
    Business Manager (who has no password until they accept the invitation). Refuses a duplicate name or a
    bad email address."""
    from casereview.lib.clocks import UnknownPack, get_pack

    name = " ".join((name or "").split())
    manager_name = " ".join((manager_name or "").split())
    manager_email = (manager_email or "").strip().lower()
    if not name:
        raise PartnershipError("Enter the board's name", field="name")
    if not manager_name:
        raise PartnershipError("Enter the Business Manager's full name", field="manager_name")
    try:
        validate_email(manager_email)
    except ValidationError:
        raise PartnershipError(f"Enter a valid email address for the Business Manager, like "
                               f"name@example.org (got {manager_email!r})", field="manager_email") from None
    try:
        get_pack(rule_pack)
    except UnknownPack as error:
        raise PartnershipError(str(error), field="rule_pack") from None
    with transaction.atomic():
        if Board.objects.select_for_update(of=("self",)).filter(name__iexact=name).exists():
            raise PartnershipError(f"There is already a board called {name}", field="name")
        if User.objects.filter(email__iexact=manager_email).exists():
            raise PartnershipError(f"Another account already uses {manager_email}", field="manager_email")
        board = Board.objects.create(name=name, slug=_slug_for(name), rule_pack=rule_pack)
        for default in FRAMEWORK_COMMITTEES:
            Committee.objects.create(
                board=board, kind=default.kind, name=default.name,
                meeting_frequency_days=default.meeting_frequency_days,
                quorum_requires_chair=default.quorum_requires_chair,
                quorum_vice_chair_may_stand_in=default.quorum_vice_chair_may_stand_in,
                quorum_agency_representatives=default.quorum_agency_representatives,
                terms_of_reference=default.terms_of_reference)
        first, last = _split_name(manager_name)
        manager = User(username=_username_for(manager_email), email=manager_email, first_name=first,
                       last_name=last, board=board, job_title="Board Business Manager")
        manager.set_unusable_password()
        manager.save()
        manager.role_grants.create(role=Role.BUSINESS_MANAGER)
        for step in _STEPS.values():
            step(board, by)
        audit_record(by=by, action="board.created", obj=board, board_id=board.pk, label=board.slug,
                     detail={"committees": [c.name for c in FRAMEWORK_COMMITTEES], "rule_pack": rule_pack})
        audit_record(by=by, action="person.created", obj=manager, board_id=board.pk, label=manager.username,
                     detail={"roles_added": [Role.BUSINESS_MANAGER.value]})
    return board, manager
