"""What actions add to a review (registered into `casereview.reviews.hooks` from `apps.py`): the publication
statement drafted from the review's action plans."""


def register() -> None:
    from casereview.reviews import hooks

    from .selectors import publication_statement

    hooks.register_statement_draft(publication_statement)
