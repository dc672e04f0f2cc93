from tests.access_matrix import DENY, HIDDEN, LOGIN, REDIRECT, Rule, board_members, only
from tests.actions.factories import draft_plan, monitored_plan

MANAGER = {"business_manager"}
# Oversight roles see every plan; agency A takes part in the test plan; others see nothing of it.
SEES_PLAN = {"business_manager", "chair", "agency_a_author"}
REPORT_READERS = {"business_manager", "chair"}


def _plan(world):
    return {"plan_id": monitored_plan(world).pk}


def _draft(world):
    plan = draft_plan(world)
    return {"plan_id": plan.pk}


def _draft_outcome(world):
    plan = draft_plan(world)
    rec = plan.recommendations.first()
    return {"plan_id": plan.pk, "outcome_id": rec.outcomes.first().pk}


def _draft_unasked(world):
    """A draft plan with an outcome whose agency has not yet been asked to propose actions."""
    from casereview.actions import services
    from tests.actions.factories import review

    plan = services.plan_create_from_review(by=world.manager, review=review(world, recommendations=1))
    services.outcome_add(by=world.manager, recommendation=plan.recommendations.first(), agency=world.agency_a,
                         text="Children are seen alone")
    return {"plan_id": plan.pk}


def _draft_rec(world):
    plan = draft_plan(world)
    return {"plan_id": plan.pk, "rec_id": plan.recommendations.first().pk}


def _action(world):
    return {"action_id": monitored_plan(world).actions.first().pk}


def _draft_action(world):
    return {"action_id": draft_plan(world).actions.first().pk}


def _evidence(world):
    from casereview.actions import services

    action = monitored_plan(world).actions.first()
    services.action_update_submit(by=world.manager, action=action, status="in_progress", percent_complete=10,
                                  rag="green", narrative="", uploads=[services.Upload("note.txt", b"evidence")])
    return {"action_id": action.pk, "evidence_id": action.evidence.first().pk}


def _fresh_world_objects(setup):
    """Each persona gets its own freshly built records (the matrix runs the set-up before every request)."""
    def run(world):
        from casereview.actions.models import ActionPlan
        from casereview.committees.models import Decision

        Decision.objects.filter(approves_plan__isnull=False).delete()
        ActionPlan.objects.all().delete()  # the review itself is kept: a published review cannot be deleted
        return setup(world)
    return run


def expect(allowed, *, status=200, hidden=True, role_guarded=False, hidden_all=False):
    """`role_guarded`: the view's role check refuses (403) before the record is looked up; otherwise a
    record outside the persona's scope, or not theirs to change, is a 404."""
    def refused(persona):
        if role_guarded:
            return DENY
        if hidden_all:
            return HIDDEN
        return HIDDEN if hidden and persona not in SEES_PLAN else DENY

    result = {p: (status if p in allowed else refused(p))
              for p in ("business_manager", "chair", "agency_a_author", "agency_b_author", "lead_reviewer",
                        "practitioner")}
    result["other_board_user"] = HIDDEN
    result["anonymous"] = LOGIN
    return result


ACCESS = [
    Rule("actions:plan_list", board_members()),
    Rule("actions:plan_create", only(MANAGER, outsider=200)),
    Rule("actions:plan_detail", expect(SEES_PLAN), setup=_fresh_world_objects(_plan)),
    Rule("actions:outcome_add", expect(MANAGER, role_guarded=True), setup=_fresh_world_objects(_draft_rec)),
    Rule("actions:outcome_remove", expect(MANAGER, status=REDIRECT, role_guarded=True), method="post",
         setup=_fresh_world_objects(_draft_outcome)),
    Rule("actions:actions_request", expect(MANAGER, status=REDIRECT, role_guarded=True), method="post",
         setup=_fresh_world_objects(_draft_unasked)),
    # Agency A proposes actions for its own outcome; agency B may not.
    Rule("actions:action_propose", expect({"business_manager", "agency_a_author"}, hidden_all=True),
         setup=_fresh_world_objects(_draft_outcome)),
    Rule("actions:action_edit", expect({"business_manager", "agency_a_author"}, hidden_all=True),
         setup=_fresh_world_objects(_draft_action)),
    Rule("actions:plan_submit", expect(MANAGER, status=REDIRECT, role_guarded=True), method="post", setup=_fresh_world_objects(_draft)),
    Rule("actions:plan_return", expect(MANAGER, status=REDIRECT, role_guarded=True), setup=_fresh_world_objects(_draft)),
    Rule("actions:plan_handover", expect(MANAGER, status=REDIRECT, role_guarded=True), setup=_fresh_world_objects(_draft)),
    Rule("actions:plan_close", expect(MANAGER, role_guarded=True), setup=_fresh_world_objects(_plan)),
    Rule("actions:action_detail", expect(SEES_PLAN), setup=_fresh_world_objects(_action)),
    # The owner (agency A's author) and the Business Manager update; agency B and the chair may not.
    Rule("actions:action_update", expect({"business_manager", "agency_a_author"}, hidden_all=True),
         setup=_fresh_world_objects(_action)),
    Rule("actions:action_evaluate", expect(set(), hidden_all=True), setup=_fresh_world_objects(_action)),
    Rule("actions:action_close", expect(MANAGER, role_guarded=True), setup=_fresh_world_objects(_action)),
    Rule("actions:evidence_download", expect(SEES_PLAN), setup=_fresh_world_objects(_evidence)),
    Rule("actions:reports", only(REPORT_READERS, outsider=200)),
    Rule("actions:report_download", only(REPORT_READERS, outsider=200),
         kwargs=lambda w: {"kind": "exception", "file_format": "pdf"}),
    Rule("actions:export", only(REPORT_READERS, outsider=200)),
]
