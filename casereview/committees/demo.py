"""Demo meetings of the Performance Committee: the last one (held, not quorate, with a flagged decision) and
the next one, six weeks later, with the agenda the builder proposes (DEMO-4, its action plan's exception
report and completed actions awaiting evaluation)."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from casereview.partnership.models import Committee

from . import services
from .agenda import proposals_for
from .models import Meeting


def load(*, board, people, agencies):
    committee = Committee.objects.filter(board=board, kind=Committee.Kind.PERFORMANCE).first()
    if committee is None or Meeting.objects.filter(committee=committee).exists():
        return
    manager = people["manager"]
    frequency = timedelta(days=committee.meeting_frequency_days or 42)
    next_start = timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=9), time(10, 0)))
    last, upcoming = services.meetings_schedule(
        by=manager, committee=committee, first_starts_at=next_start - frequency, count=2,
        location="Riverside Civic Centre, Room 2 (fictional)", duration_minutes=120)
    services.agenda_add_item(by=manager, meeting=last, title="Terms of reference and work plan",
                             presenter="Performance Committee chair",
                             paper="Annual review of the committee's terms of reference (seed Appendix G).")
    statuses = {people["perf-chair"].pk: "present", people["police-lead"].pk: "present",
                people["dcs"].pk: "apologies", manager.pk: "present"}
    services.attendance_record(by=manager, meeting=last, statuses=statuses)
    services.decision_record(
        by=manager, meeting=last, agenda_item=last.agenda_items.first(), acknowledge_inquorate=True,
        text="Terms of reference agreed, subject to ratification at the next quorate meeting.")
    services.minutes_save(by=manager, meeting=last, minutes="Apologies from the Director of Children's Services. "
                          "The meeting was not quorate; the decision is to be ratified at the next meeting.")
    services.agenda_add_proposals(by=manager, meeting=upcoming, keys=[p.key for p in proposals_for(upcoming)])
    services.agenda_add_item(by=manager, meeting=upcoming, title="Ratify the terms of reference",
                             presenter="Performance Committee chair")
