"""What a routing outcome creates in a higher app, without referrals importing it.

When the SCR Committee routes a case to a practitioner forum theme or an audit (single- or multi-agency), the
forum topic or audit belongs to the learning app, which sits above referrals in the layers. Learning registers
a handler from its AppConfig.ready():

    from casereview.referrals.hooks import register_outcome_handler
    register_outcome_handler("forum", forum_topic_from_referral)

A handler is called inside the routing transaction as `handler(by=user, referral=referral, reason=text)` and
returns a short description of what it created (e.g. "Forum topic: Housing moves"), which the referral records
and shows; an exception rolls the routing back.
"""

from collections.abc import Callable

OutcomeHandler = Callable[..., str]
_HANDLERS: dict[str, OutcomeHandler] = {}


def register_outcome_handler(outcome: str, handler: OutcomeHandler) -> None:
    _HANDLERS[outcome] = handler


def unregister_outcome_handler(outcome: str) -> None:
    _HANDLERS.pop(outcome, None)


def run_outcome_handler(*, by, referral, outcome: str, reason: str) -> str:
    """What the outcome created, or "" when no app handles it (the outcome is still recorded)."""
    handler = _HANDLERS.get(outcome)
    return handler(by=by, referral=referral, reason=reason) if handler else ""


# --- the SCR Committee's recommendation rests on a quorate, minuted decision -------------------------------
# Committees (above referrals) registers from its AppConfig.ready() a check that answers whether a quorate
# meeting of the SCR Committee recorded a decision recommending on the referral:
#
#     from casereview.referrals.hooks import register_recommendation_check
#     register_recommendation_check(lambda referral: ...)
#
# Referrals asks it when the committee's recommendation is recorded (the decision matrix completed) and when
# the Chair does not initiate a Serious Case Review the committee recommended. With no check registered (an
# installation without committees), the recommendation is not refused.
RecommendationCheck = Callable[..., bool]
_recommendation_check: RecommendationCheck | None = None


def register_recommendation_check(check: RecommendationCheck) -> None:
    global _recommendation_check
    _recommendation_check = check


def unregister_recommendation_check() -> None:
    global _recommendation_check
    _recommendation_check = None


def recommendation_minuted(referral) -> bool:
    """True when a quorate SCR Committee meeting recorded its recommendation on the referral (or no app says)."""
    return _recommendation_check is None or _recommendation_check(referral)


# --- a review opened from the referral ---------------------------------------------------------------------
# What other apps gathered while the referral was considered (the chronologies asked for at referral stage)
# carries into the review it becomes. Chronology registers from its AppConfig.ready():
#
#     from casereview.referrals.hooks import register_review_opened
#     register_review_opened("chronology", carry_into_review)
#
# A handler is called inside the transaction that opens the review as `handler(by=user, referral=referral,
# review=review)`; an exception rolls the decision back.
_REVIEW_OPENED: dict[str, Callable[..., object]] = {}


def register_review_opened(key: str, handler: Callable[..., object]) -> None:
    _REVIEW_OPENED[key] = handler


def run_review_opened(*, by, referral, review) -> None:
    for handler in _REVIEW_OPENED.values():
        handler(by=by, referral=referral, review=review)
