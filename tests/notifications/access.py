from tests.access_matrix import HIDDEN, REDIRECT, Rule, board_members, only

ACCESS = [
    Rule("notifications:log", only({"business_manager"}, outsider=200)),
    # A failed email of our board: only our Business Manager may requeue it; the other board's cannot see it.
    Rule("notifications:retry", only({"business_manager"}, allowed=REDIRECT, outsider=HIDDEN),
         method="post", setup=lambda w: {"email_id": _failed_email(w).pk}),
    # Everyone chooses how they get their own emails.
    Rule("notifications:preferences", board_members()),
    Rule("notifications:preferences", board_members(allowed=REDIRECT, outsider=REDIRECT), method="post",
         data=lambda w: {"frequency": "daily"}),
]


def _failed_email(world):
    from casereview.notifications.models import OutboundEmail

    return OutboundEmail.objects.create(board_id=world.board.id, to="someone@testshire.example", subject="Test",
                                        body="Test", status=OutboundEmail.Status.FAILED, attempts=5)
