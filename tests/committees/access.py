from tests.access_matrix import DENY, HIDDEN, LOGIN, REDIRECT, Rule, board_members, only
from tests.committees.factories import held_meeting, meeting

MANAGER = {"business_manager"}
SEES = {"business_manager", "chair"}  # oversight roles; the world's committee has no members


def expect(allowed: set[str], *, status: int = 200) -> dict[str, int]:
    result = {p: status if p in allowed else (DENY if p in SEES else HIDDEN)
              for p in ("business_manager", "chair", "agency_a_author", "agency_b_author", "lead_reviewer",
                        "practitioner", "other_board_user")}
    result["anonymous"] = LOGIN
    return result


def runs(allowed: set[str], *, status: int = 200) -> dict[str, int]:
    """Pages for running a meeting: anyone who does not run it gets the same 404 as for a meeting out of scope."""
    result = {p: status if p in allowed else HIDDEN
              for p in ("business_manager", "chair", "agency_a_author", "agency_b_author", "lead_reviewer",
                        "practitioner", "other_board_user")}
    result["anonymous"] = LOGIN
    return result


def _minutes_to_approve(world):
    from casereview.committees import services

    last = held_meeting(world)
    services.minutes_save(by=world.manager, meeting=last, minutes="Draft minutes")
    this = meeting(world, days_from_today=0)
    services.attendance_record(by=world.manager, meeting=this, statuses={})
    return {"meeting_id": this.pk}


def _meeting(world):
    return {"meeting_id": meeting(world, days_from_today=7).pk}


def _past_meeting(world):
    return {"meeting_id": meeting(world, days_from_today=-1).pk}


def _item(world):
    from casereview.committees import services

    m = meeting(world, days_from_today=7)
    item = services.agenda_add_item(by=world.manager, meeting=m, title="Any other business")
    return {"meeting_id": m.pk, "item_id": item.pk}


def _meeting_action(world):
    from casereview.committees import services

    m = held_meeting(world)
    action = services.meeting_action_add(by=world.manager, meeting=m, description="Write to agencies",
                                         owner=world.manager, due_date=m.starts_at.date())
    return {"meeting_id": m.pk, "action_id": action.pk}


ACCESS = [
    Rule("committees:meeting_list", board_members()),
    Rule("committees:meeting_schedule", only(MANAGER, outsider=200)),
    Rule("committees:meeting_detail", expect(SEES), setup=_meeting),
    Rule("committees:agenda_add", runs(MANAGER, status=REDIRECT), method="post", setup=_meeting),
    Rule("committees:agenda_item_add", runs(MANAGER), setup=_meeting),
    Rule("committees:agenda_item_remove", runs(MANAGER, status=REDIRECT), method="post", setup=_item),
    Rule("committees:agenda_item_move", runs(MANAGER, status=REDIRECT), method="post", setup=_item),
    Rule("committees:attendance", runs(MANAGER), setup=_past_meeting),
    # Before attendance is recorded the decision page sends you back to the meeting.
    Rule("committees:decision_add", runs(MANAGER, status=REDIRECT), setup=_past_meeting),
    Rule("committees:action_add", runs(MANAGER), setup=_past_meeting),
    Rule("committees:action_done", runs(MANAGER, status=REDIRECT), method="post", setup=_meeting_action),
    Rule("committees:minutes", runs(MANAGER), setup=_past_meeting),
    Rule("committees:minutes_approve", runs(MANAGER, status=REDIRECT), method="post", setup=_minutes_to_approve),
    Rule("committees:cancel", runs(MANAGER), setup=_meeting),
    Rule("committees:invite", expect(SEES), setup=_meeting),
    Rule("committees:pack", expect(SEES), setup=_meeting),
]
