from tests.access_matrix import HIDDEN, REDIRECT, Rule, board_members

ACCESS = [
    Rule("api_tokens:list", board_members()),
    # Only the token's owner can revoke it; anyone else is told it does not exist.
    Rule("api_tokens:revoke", {**board_members(allowed=HIDDEN, outsider=HIDDEN), "business_manager": REDIRECT},
         method="post", setup=lambda w: {"token_id": _token_of(w.manager).pk}),
    Rule("api_tokens:renew", {**board_members(allowed=HIDDEN, outsider=HIDDEN), "business_manager": REDIRECT},
         method="post", setup=lambda w: {"token_id": _token_of(w.manager).pk}),
]


def _token_of(user):
    from casereview.api.services import api_token_create
    from tests.api.two_factor import enrol_two_factor

    return api_token_create(by=user, user=enrol_two_factor(user), name="Test sync")[0]
