from tests.access_matrix import HIDDEN, PERSONAS, REDIRECT, Rule, board_members, only

MANAGER = {"business_manager"}

ACCESS = [
    Rule("partnership:board", board_members()),
    Rule("partnership:agency_list", board_members()),
    Rule("partnership:agency_create", only(MANAGER, outsider=200)),
    Rule("partnership:agency_edit", only(MANAGER, outsider=HIDDEN), kwargs=lambda w: {"agency_id": w.agency_a.pk}),
    Rule("partnership:committee_list", board_members()),
    Rule("partnership:timescales", only(MANAGER, outsider=200)),
    Rule("partnership:closure_day_remove", only(MANAGER, allowed=REDIRECT, outsider=HIDDEN), method="post",
         setup=lambda w: {"day_id": w.board.closure_days.get_or_create(date="2026-12-24",
                                                                     defaults={"reason": "Office closed"})[0].pk}),
    Rule("partnership:people_list", board_members()),
    Rule("partnership:person_create", only(MANAGER, outsider=200)),
    Rule("partnership:person_edit", only(MANAGER, outsider=HIDDEN), kwargs=lambda w: {"person_id": w.author_a.pk}),
    Rule("partnership:committee_detail", {**board_members(), "other_board_user": HIDDEN}, kwargs=lambda w: {"committee_id": w.committee.pk}),
    # Another board's agency: its own Business Manager may change it; ours is told it does not exist.
    Rule("partnership:agency_edit", {**only(MANAGER, allowed=HIDDEN), "other_board_user": 200},
         kwargs=lambda w: {"agency_id": w.other_agency.pk}),
    # Invitation links: anyone may follow one; a link we did not make is "not valid" for everybody.
    Rule("join", dict.fromkeys(PERSONAS, HIDDEN), kwargs=lambda w: {"token": "not-a-real-token"}),
    Rule("join_renew", dict.fromkeys(PERSONAS, 200), method="post", kwargs=lambda w: {"token": "not-a-real-token"}),
]

ACCESS += [
    Rule("partnership:committee_create", only(MANAGER, outsider=200)),
    Rule("partnership:committee_edit", only(MANAGER, outsider=HIDDEN), kwargs=lambda w: {"committee_id": w.committee.pk}),
    Rule("partnership:membership_create", only(MANAGER, outsider=HIDDEN),
         kwargs=lambda w: {"committee_id": w.committee.pk}),
    Rule("partnership:membership_edit", only(MANAGER, outsider=HIDDEN),
         setup=lambda w: {"committee_id": w.committee.pk, "membership_id": w.committee.memberships.get_or_create(
             user=w.chair, defaults={"position": "member"})[0].pk}),
    Rule("partnership:membership_remove", only(MANAGER, allowed=REDIRECT, outsider=HIDDEN), method="post",
         setup=lambda w: {"committee_id": w.committee.pk, "membership_id": w.committee.memberships.get_or_create(
             user=w.chair, defaults={"position": "member"})[0].pk}),
]

ACCESS += [
    Rule("partnership:person_invite", only(MANAGER, allowed=REDIRECT, outsider=HIDDEN), method="post",
         kwargs=lambda w: {"person_id": w.author_a.pk}),
]
