from tests.access_matrix import DENY, HIDDEN, LOGIN, REDIRECT, Rule, board_members

ACCESS = [
    # Everyone of the board may open the list: it shows only the cases they may see.
    Rule("cases:list", board_members()),
    # Need to know: board-wide roles, the involved agency (A) and the reviewer given access.
    Rule("cases:detail", {
        "business_manager": 200, "chair": 200, "agency_a_author": 200, "agency_b_author": HIDDEN,
        "lead_reviewer": 200, "practitioner": HIDDEN, "other_board_user": HIDDEN, "anonymous": LOGIN,
    }, kwargs=lambda w: {"case_id": w.case.pk}),
    # The role is checked first (403), then the case is looked up in the person's scope (404).
    Rule("cases:access", {
        "business_manager": 200, "chair": DENY, "agency_a_author": DENY, "agency_b_author": DENY,
        "lead_reviewer": DENY, "practitioner": DENY, "other_board_user": HIDDEN, "anonymous": LOGIN,
    }, kwargs=lambda w: {"case_id": w.case.pk}),
    Rule("cases:access_revoke", {
        "business_manager": REDIRECT, "chair": DENY, "agency_a_author": DENY, "agency_b_author": DENY,
        "lead_reviewer": DENY, "practitioner": DENY, "other_board_user": HIDDEN, "anonymous": LOGIN,
    }, method="post", setup=lambda w: {"grant_id": _fresh_grant(w).pk},
        kwargs=lambda w: {"case_id": w.case.pk}),
]


def _fresh_grant(world):
    from tests.factories import CaseAccessFactory, UserFactory

    return CaseAccessFactory(case=world.case, user=UserFactory(board=world.board), granted_by=world.manager)

ACCESS += [
    # Only the Business Manager renames a case; others who may see it are refused, others get 404.
    Rule("cases:pseudonym", {
        "business_manager": 200, "chair": DENY, "agency_a_author": DENY, "agency_b_author": DENY,
        "lead_reviewer": DENY, "practitioner": DENY, "other_board_user": HIDDEN, "anonymous": LOGIN,
    }, kwargs=lambda w: {"case_id": w.case.pk}),
    # The header search: board-wide case roles (the other board's manager searches their own board).
    Rule("search", {
        "business_manager": 200, "chair": 200, "agency_a_author": DENY, "agency_b_author": DENY,
        "lead_reviewer": DENY, "practitioner": DENY, "other_board_user": 200, "anonymous": LOGIN,
    }),
]
