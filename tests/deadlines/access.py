from tests.access_matrix import ALLOW, Rule, board_members, only

BOARD_WIDE = {"business_manager", "chair"}

ACCESS = [
    Rule("deadlines:calculator", board_members()),
    # The board's own clocks: board-wide roles only (the other board's manager sees their own board's).
    Rule("deadlines:list", only(BOARD_WIDE, outsider=ALLOW)),
    Rule("deadlines:export", only(BOARD_WIDE, outsider=ALLOW), kwargs=lambda world: {"fmt": "csv"}),
]
