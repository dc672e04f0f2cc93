"""Access rules for every chronology URL (see tests/access_matrix.py).

The `world` case involves agency A, so agency A's author works on its chronology; agency B's author cannot
see the case (404). The merged chronology is for the review group only: board-wide roles and the lead
reviewer given access. Requests and chasing are the Business Manager's; accepting is the Business
Manager's or the lead reviewer's.
"""

from tests.access_matrix import DENY, HIDDEN, LOGIN, REDIRECT, Rule

ALLOW = 200


def chron(world) -> dict:
    """The review with agency A's accepted chronology, its draft, an import waiting for its columns."""
    cached = getattr(world, "_chronology", None)
    if cached is not None:
        return cached
    from pathlib import Path
    from tempfile import mkdtemp

    from casereview.chronology import services
    from casereview.chronology.models import ChronologyEntry, ChronologyRequest, ChronologyVersion, ImportJob
    from casereview.lib.chrono_dates import FuzzyDate
    from tests.chronology.helpers import GOOD_ROWS, accepted_chronology, make_review

    review = make_review(world, reference="ACCESS-1")
    version = accepted_chronology(world, review, world.agency_a, GOOD_ROWS, Path(mkdtemp()))
    draft = services.draft_start(by=world.author_a, review=review, agency=world.agency_a, copy_from=version)
    draft_entry = draft.entries.first()
    entry = ChronologyEntry.objects.filter(version=version).first()
    job = ImportJob.objects.create(board=world.board, review=review, agency=world.agency_a, stored_name="x.csv",
                                   original_name="x.csv", headings=["Date", "Details", "Source"], samples=[],
                                   mapping={"0": "start_date", "1": "description", "2": "source"},
                                   created_by=world.author_a)
    job.headings_read()
    job.save()
    request = ChronologyRequest.objects.get(review=review, agency=world.agency_a)
    world._chronology = {"review": review, "version": version, "draft": draft, "draft_entry": draft_entry,
                         "entry": entry, "job": job, "request": request, "FuzzyDate": FuzzyDate,
                         "ChronologyVersion": ChronologyVersion}
    return world._chronology


def review_kw(world):
    return {"review_id": chron(world)["review"].pk}


def _submitted_version(world):
    """A fresh submitted version of agency A's chronology, to accept."""
    from casereview.chronology import services

    data = chron(world)
    review = data["review"]
    draft = services.draft_start(by=world.author_a, review=review, agency=world.agency_a, copy_from=data["version"])
    services.version_submit(by=world.lead_a, version=draft)
    return {"review_id": review.pk, "version_id": draft.pk}


def _superseded_version(world):
    """An earlier (superseded) draft of agency A, to restore: a new draft replaces the current one."""
    from django.db import transaction

    from casereview.chronology import services
    from casereview.chronology.models import ChronologyVersion

    review = chron(world)["review"]
    old = services.draft_start(by=world.author_a, review=review, agency=world.agency_a)
    with transaction.atomic():
        services.version_new(by=world.author_a, review=review, agency=world.agency_a,
                             origin=ChronologyVersion.Origin.BROWSER)
    return {"review_id": review.pk, "version_id": old.pk}


def _export_job(world):
    """A background export the Business Manager asked for (written at once by the test task runner)."""
    from casereview.chronology import export_jobs, selectors

    review = chron(world)["review"]
    job = export_jobs.export_job_create(by=world.manager, review=review, fmt="csv", anonymised=True,
                                        filters=selectors.Filters(), filters_used=[], description="Merged",
                                        total=3)
    return {"review_id": review.pk, "job_id": job.pk}


def requester_only(allowed=ALLOW):
    """Only the person who asked for a background export sees it; the rest of the review group get 404."""
    return {**group(HIDDEN), "business_manager": allowed}


def _fresh_view(world):
    from casereview.chronology import services

    review = chron(world)["review"]
    view = services.saved_view_create(by=world.manager, review=review, name=f"View {review.chronology_views.count()}",
                                      query="agency=1")
    return {"review_id": review.pk, "view_id": view.pk}


def _fresh_tag(world):
    from casereview.chronology import services

    data = chron(world)
    tag = services.entry_tag_add(by=world.manager, entry=data["entry"], tag=f"tag {data['entry'].tags.count()}")
    return {"review_id": data["review"].pk, "entry_id": data["entry"].pk, "tag_id": tag.pk}


def everyone(agency_a=ALLOW):
    """Review pages open to the review group and agency A; agency B cannot see the case."""
    return {"business_manager": ALLOW, "chair": ALLOW, "agency_a_author": agency_a, "agency_b_author": HIDDEN,
            "lead_reviewer": ALLOW, "practitioner": DENY, "other_board_user": HIDDEN, "anonymous": LOGIN}


def group(allowed=ALLOW):
    """The merged chronology and review group work: agency authors may not."""
    return {"business_manager": allowed, "chair": allowed, "agency_a_author": DENY, "agency_b_author": HIDDEN,
            "lead_reviewer": allowed, "practitioner": DENY, "other_board_user": HIDDEN, "anonymous": LOGIN}


def agency_a_only(allowed=ALLOW, *, outsider=DENY, group_status=DENY):
    return {"business_manager": group_status, "chair": group_status, "agency_a_author": allowed,
            "agency_b_author": HIDDEN, "lead_reviewer": group_status, "practitioner": DENY,
            "other_board_user": outsider, "anonymous": LOGIN}


def manager_only(allowed=ALLOW):
    return {"business_manager": allowed, "chair": DENY, "agency_a_author": DENY, "agency_b_author": DENY,
            "lead_reviewer": DENY, "practitioner": DENY, "other_board_user": HIDDEN, "anonymous": LOGIN}


def referral_kw(world):
    """A referral under consideration whose business unit asked agency A for its chronology."""
    cached = getattr(world, "_referral_stage", None)
    if cached is None:
        from datetime import timedelta

        from casereview.chronology.referral_stage import referral_requests_create
        from casereview.lib.dates import today
        from tests.referrals.factories import make_referral

        cached = make_referral(world, "received")
        referral_requests_create(by=world.manager, referral=cached, agencies=[world.agency_a],
                                 deadline=today() + timedelta(days=10))
        world._referral_stage = cached
    return {"referral_id": cached.pk}


def referral_entry_kw(world):
    """A fresh entry in agency A's referral-stage draft (a delete may have removed the last one)."""
    from casereview.chronology.models import ChronologyRequest
    from casereview.chronology.referral_stage import referral_entry_create
    from casereview.chronology.services import EntryDetails
    from casereview.lib.chrono_dates import FuzzyDate

    kwargs = referral_kw(world)
    request = ChronologyRequest.objects.get(referral_id=kwargs["referral_id"], agency=world.agency_a)
    entry = referral_entry_create(by=world.author_a, request=request, details=EntryDetails(
        start=FuzzyDate(2014, 3), source="Police log", description="Officers attended."))
    return {**kwargs, "entry_id": entry.pk}


def accepters(allowed=ALLOW):
    return {"business_manager": allowed, "chair": DENY, "agency_a_author": DENY, "agency_b_author": DENY,
            "lead_reviewer": allowed, "practitioner": DENY, "other_board_user": HIDDEN, "anonymous": LOGIN}


def entry_kw(world):
    data = chron(world)
    return {"review_id": data["review"].pk, "entry_id": data["entry"].pk}


def draft_entry_kw(world):
    data = chron(world)
    return {"review_id": data["review"].pk, "entry_id": data["draft_entry"].pk}


def _stopped_job(world):
    """An import whose worker stopped part-way (its file is gone, so a retry is refused with a message)."""
    from casereview.chronology.models import ImportJob

    data = chron(world)
    job = ImportJob.objects.create(board=world.board, review=data["review"], agency=world.agency_a,
                                   stored_name="gone.csv", original_name="gone.csv", created_by=world.author_a)
    for step in (job.headings_read, job.queue, job.start, job.fail):
        step()
    job.stalled = True
    job.save()
    return {"review_id": data["review"].pk, "job_id": job.pk}


def job_kw(world):
    data = chron(world)
    return {"review_id": data["review"].pk, "job_id": data["job"].pk}


ACCESS = [
    Rule("chronology:index", {"business_manager": ALLOW, "chair": ALLOW, "agency_a_author": ALLOW,
                              "agency_b_author": ALLOW, "lead_reviewer": ALLOW, "practitioner": DENY,
                              "other_board_user": ALLOW, "anonymous": LOGIN}),
    # Agency people are taken to their own agency's page.
    Rule("chronology:review", everyone(agency_a=REDIRECT), kwargs=review_kw),
    Rule("chronology:requests", manager_only(), kwargs=review_kw),
    Rule("chronology:request_chase", manager_only(REDIRECT), method="post",
         kwargs=lambda w: {**review_kw(w), "request_id": chron(w)["request"].pk}),
    Rule("chronology:instructions", everyone(), kwargs=review_kw),
    Rule("chronology:template", everyone(), kwargs=review_kw),
    Rule("chronology:template_docx", everyone(), kwargs=review_kw),
    # Agency workspace: review group members are not an agency, so they are refused; the other board's
    # manager cannot see the review at all.
    Rule("chronology:agency", agency_a_only(outsider=HIDDEN), kwargs=review_kw),
    Rule("chronology:draft_start", agency_a_only(REDIRECT), method="post", kwargs=review_kw),
    Rule("chronology:entry_add", agency_a_only(), kwargs=review_kw),
    Rule("chronology:entry_edit", agency_a_only(), kwargs=draft_entry_kw),
    Rule("chronology:entry_delete", agency_a_only(), kwargs=draft_entry_kw),
    # Only an agency's safeguarding lead submits: the role is checked first (403 for every other role, which
    # says nothing about the review), then the review's scope (404).
    Rule("chronology:submit", {**agency_a_only(DENY), "agency_b_author": DENY}, kwargs=review_kw),
    Rule("chronology:import_upload", agency_a_only(), kwargs=review_kw),
    Rule("chronology:import_mapping", agency_a_only(), kwargs=job_kw),
    # A job waiting for its columns sends its status page on to the mapping step.
    Rule("chronology:import_status", agency_a_only(REDIRECT), kwargs=job_kw),
    Rule("chronology:import_status", agency_a_only(), setup=_stopped_job),
    Rule("chronology:import_retry", agency_a_only(REDIRECT), method="post", setup=_stopped_job),
    Rule("chronology:import_status_json", agency_a_only(), kwargs=job_kw),
    Rule("chronology:version", everyone(),
         kwargs=lambda w: {**review_kw(w), "version_id": chron(w)["version"].pk}),
    Rule("chronology:version_accept", accepters(REDIRECT), method="post", setup=_submitted_version),
    # Agency A restores one of its own earlier versions as its draft.
    Rule("chronology:version_restore", agency_a_only(REDIRECT), method="post",
         setup=_superseded_version),
    Rule("chronology:version_send_back", accepters(),
         kwargs=lambda w: {**review_kw(w), "version_id": chron(w)["version"].pk}),
    Rule("chronology:merged", group(), kwargs=review_kw),
    Rule("chronology:view_save", group(REDIRECT), method="post", kwargs=review_kw,
         data=lambda w: {"name": "Police only", "query": "agency=1"}),
    Rule("chronology:view_delete", group(REDIRECT), method="post", setup=_fresh_view),
    Rule("chronology:entry", group(), kwargs=entry_kw),
    Rule("chronology:entry_star", group(REDIRECT), method="post", kwargs=entry_kw),
    Rule("chronology:entry_tag", group(REDIRECT), method="post", kwargs=entry_kw,
         data=lambda w: {"tag": "neglect"}),
    Rule("chronology:entry_tag_remove", group(REDIRECT), method="post", setup=_fresh_tag),
    Rule("chronology:entry_comment", group(REDIRECT), method="post", kwargs=entry_kw,
         data=lambda w: {"text": "Who knew?"}),
    Rule("chronology:analysis", group(), kwargs=review_kw),
    # Deciding a suggested duplicate: the review group (a pair from one agency is refused with a message).
    Rule("chronology:duplicate_decide", {**group(REDIRECT), "agency_b_author": DENY}, method="post", kwargs=review_kw,
         data=lambda w: {"a": chron(w)["entry"].pk, "b": chron(w)["entry"].pk, "decision": "confirmed"}),
    Rule("chronology:timeline", group(), kwargs=review_kw),
    Rule("chronology:export_status", requester_only(), setup=_export_job),
    Rule("chronology:export_status_json", requester_only(), setup=_export_job),
    Rule("chronology:export_download", requester_only(), setup=_export_job),
    Rule("chronology:export", group(), kwargs=review_kw),
    # Chronologies asked for at referral stage: the business unit asks; agency A writes, its lead submits.
    Rule("chronology:referral_requests", {**manager_only(), "chair": ALLOW}, kwargs=referral_kw),
    Rule("chronology:referral_agency", agency_a_only(), kwargs=referral_kw),
    Rule("chronology:referral_entry_add", agency_a_only(), kwargs=referral_kw),
    Rule("chronology:referral_entry_edit", agency_a_only(), setup=referral_entry_kw),
    Rule("chronology:referral_entry_delete", agency_a_only(), setup=referral_entry_kw),
    Rule("chronology:referral_submit", {**agency_a_only(DENY), "agency_b_author": DENY}, kwargs=referral_kw),
]
