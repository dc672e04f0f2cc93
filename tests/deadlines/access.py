from tests.access_matrix import Rule, board_members

ACCESS = [
    Rule("deadlines:calculator", board_members()),
]
