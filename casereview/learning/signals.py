"""Findings and reviews belong to the reviews app; these receivers keep the learning library in step with them
whichever code changes them."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from casereview.reviews.models import Finding, Recommendation, Review

from . import library
from .models import LibraryEntry

_CHANGES = {"post_add", "post_remove", "post_clear"}


@receiver(post_save, sender=Finding, dispatch_uid="learning_index_finding")
def _finding_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        library.index_finding(instance)


@receiver(post_delete, sender=Finding, dispatch_uid="learning_unindex_finding")
def _finding_deleted(sender, instance, **kwargs):
    library.remove(LibraryEntry.Kind.FINDING, instance.pk)


@receiver(m2m_changed, sender=Finding.themes.through, dispatch_uid="learning_finding_themes")
def _finding_themes(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in _CHANGES:
        return
    findings = Finding.objects.filter(pk__in=pk_set or ()) if reverse else [instance]
    for finding in findings:
        library.index_finding(finding)


@receiver(m2m_changed, sender=Recommendation.findings.through, dispatch_uid="learning_recommendation_findings")
@receiver(m2m_changed, sender=Recommendation.target_agencies.through, dispatch_uid="learning_recommendation_agencies")
def _recommendation_links(sender, instance, action, reverse, **kwargs):
    if action in _CHANGES and isinstance(instance, Recommendation):
        for finding in instance.findings.all():
            library.index_finding(finding)


@receiver(post_save, sender=Review, dispatch_uid="learning_index_review")
def _review_saved(sender, instance, created=False, raw=False, **kwargs):
    if not raw and not created:
        library.index_review(instance)
