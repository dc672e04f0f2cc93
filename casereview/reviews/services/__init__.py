"""Every change to a review, by sub-area. Import from here (`from casereview.reviews import services`)."""

from casereview.core.concurrency import ConflictError, claim_version, conflict_message  # noqa: F401

from .base import (  # noqa: F401
    ReviewError,
    _move,
    _not_future,
    local_day,
    lock_review,
    recorded_after,
    review_viewed,
    when_done,
)
from .consultation import (  # noqa: F401
    CONSULTATION_LINK_DAYS,
    CONSULTED_STATES,
    comment_add,
    comment_respond,
    consultation_close,
    consultation_open,
    link_hash,
)
from .findings import (  # noqa: F401
    chronology_entries_for_refs,
    finding_save,
    recommendation_save,
)
from .groups import (  # noqa: F401
    case_group_add,
    case_group_candidates,
    case_group_update,
    family_update,
    independence_problem,
    member_add,
    member_remove,
)
from .information import (  # noqa: F401
    agency_request_add,
    agency_request_returned,
)
from .publication import (  # noqa: F401
    PUBLIC_DOWNLOADS_PER_HOUR,
    panel_copy_sent,
    public_download_allowed,
    public_files_make,
    publication_blockers,
    publication_impact_update,
    publication_plan,
    report_request_answer,
    report_request_log,
    review_not_publish,
    review_publish,
    review_record_completed,
    statement_update,
)
from .report import (  # noqa: F401
    hit_accept,
    report_downloaded,
    review_approve,
    review_return_to_analysis,
    review_submit_for_qa,
    version_checklist,
    version_qa_sign_off,
    version_upload,
    version_write,
)
from .setup import (  # noqa: F401
    milestone_save,
    parallel_process_save,
    review_initiate,
    review_next_reference,
    review_start_analysis,
    review_update_setup,
    stages_apply_template,
)
from .timescale import (  # noqa: F401
    extension_decide,
    extension_request,
    interim_point_add,
    pause_end,
    pause_start,
)
