"""What the chronology gives a review (registered into `casereview.reviews.hooks` from `apps.py`): the
entries a finding cites as evidence, and who wrote a review's entries (to suggest the Case Group)."""

from django.db.models import Count, Q

from .models import ChronologyEntry


def entries_for_refs(review, refs: list[str]) -> tuple[list[ChronologyEntry], list[str]]:
    """The current entry (accepted, or returned by its agency) for each event reference, and the references
    that name none."""
    entries, missing = [], []
    for ref in dict.fromkeys(refs):
        entry = (ChronologyEntry.objects.filter(review=review, event_ref__iexact=ref)
                 .filter(Q(current_accepted=True) | Q(current_returned=True))
                 .order_by("-current_accepted", "-id").first())
        (entries.append(entry) if entry else missing.append(ref))
    return entries, missing


def entry_authors(review) -> dict[int, int]:
    rows = (ChronologyEntry.objects.filter(review=review, author__isnull=False).order_by()
            .values("author").annotate(n=Count("id")).values_list("author", "n"))
    return dict(rows)


def register() -> None:
    from casereview.reviews import hooks

    hooks.register_evidence(finder=entries_for_refs, authors=entry_authors)
