from tests.access_matrix import Rule, board_members

ACCESS = [
    # The other board's user has a home page of their own: it simply shows their board's panels.
    Rule("home", board_members()),
    Rule("account_settings", board_members()),
]
