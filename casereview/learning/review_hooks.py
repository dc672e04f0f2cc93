"""What learning adds to a review (registered into `casereview.reviews.hooks` from `apps.py`): a saved
finding is checked against earlier learning, and a review closes only once its learning summary is written."""


def finding_saved(*, by, finding) -> None:
    from .services import recurring_record

    recurring_record(by=by, finding=finding)


def learning_summary_needed(review) -> str | None:
    from .models import LearningSummary

    if LearningSummary.objects.filter(review=review).exists():
        return None
    return ("Write the review's learning summary first: every review has one before it is published or closed "
            "without publication")


def register() -> None:
    from casereview.reviews import hooks

    hooks.register_finding_saved(finding_saved)
    hooks.register_close_blocker(learning_summary_needed)
