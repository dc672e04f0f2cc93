"""Readable names for this app's audit events, for the audit trail's pages and exports (never the raw code)."""

AUDIT_LABELS = {
    "action.changed": "Action changed",
    "action.closed": "Action closed without completion",
    "action.evidence_downloaded": "Evidence downloaded",
    "action.impact_evaluated": "Impact of an action evaluated",
    "action.proposed": "Action proposed",
    "action.target_revised": "Action's target date revised",
    "action.updated": "Progress update given",
    "action.viewed": "Action viewed",
    "action_plan.approved": "Action plan approved",
    "action_plan.closed": "Action plan closed",
    "action_plan.created": "Action plan opened",
    "action_plan.handed_over": "Action plan handed to a committee",
    "action_plan.outcome_added": "Desired outcome added",
    "action_plan.outcome_removed": "Desired outcome removed",
    "action_plan.report_downloaded": "Action plan report downloaded",
    "action_plan.returned": "Action plan returned for changes",
    "action_plan.submitted": "Action plan sent for approval",
    "action_plan.update_chased": "Quarterly updates chased",
    "action_plan.viewed": "Action plan viewed",
}
