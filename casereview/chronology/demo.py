"""Demo chronologies: DEMO-1 has a merged chronology from six agencies (a few hundred fictional entries, some
recorded by two agencies, a long gap, key practice episodes and good practice); DEMO-2 is waiting for
chronologies from all ten demo agencies. Generated deterministically, so loading twice changes nothing."""

from __future__ import annotations

import random
from datetime import date, time, timedelta

from django.db import transaction
from django.utils import timezone

from casereview.lib.chrono_dates import FuzzyDate
from casereview.lib.dates import today
from casereview.reviews.models import Review

from . import analysis, services
from .models import (
    ChronologyEntry,
    ChronologyRequest,
    ChronologyVersion,
    DuplicateDecision,
    EntryComment,
    EntryStar,
    EntryTag,
    EventType,
)
from .values import apply_dates, refresh_derived

SEED = 20260701
FIRST_DAY = date(2019, 3, 1)
LAST_DAY = date(2026, 6, 20)
# No agency recorded any contact with the family for these eight months (found by the gap analysis).
GAP = (date(2022, 9, 12), date(2023, 5, 15))

# Per agency: (event type, description, source, practitioner role, risk, response, partnership, learning)
_TEMPLATES: dict[str, list[tuple]] = {
    "CSC": [
        (EventType.REFERRAL, "Referral received from {other} about {child}; {mother} had not taken {child} to appointments.",
         "Case record (LCS)", "Duty social worker", "Possible neglect of a young child", "Referral screened and passed for assessment",
         "Information requested from health visiting and the GP", "Screening relied on one agency's information"),
        (EventType.ASSESSMENT, "Child and family assessment started; {mother} said she was managing and declined support.",
         "Case record (LCS)", "Social worker", "Home conditions poor; {partner} living at the address", "Assessment opened",
         "Health visitor asked for a joint visit", "The role of {partner} was not explored"),
        (EventType.HOME_VISIT, "Home visit: {child} seen asleep; {mother} said {partner} was out.", "Case record (LCS)",
         "Social worker", "", "Advice on safe sleeping given", "", ""),
        (EventType.MEETING, "Strategy discussion with police and health about bruising to {child}.", "Strategy minutes",
         "Team manager", "Unexplained bruising in a young child", "Section 47 enquiry agreed",
         "Police, GP and health visiting took part", "Good multi-agency information sharing"),
        (EventType.CONTACT, "Telephone call to {mother} to arrange a visit; no answer.", "Case record (LCS)",
         "Social worker", "", "", "", ""),
    ],
    "POL": [
        (EventType.INCIDENT, "Police attended a domestic incident at the home; {mother} and {partner} arguing, {child} present.",
         "Police incident log", "Response officer", "Domestic abuse with a child present", "DASH risk assessment: medium",
         "Notification sent to Children's Social Care", "Child's presence recorded but not seen"),
        (EventType.CONTACT, "Welfare check at the address after a neighbour's call; no one answered.", "Police incident log",
         "Police constable", "", "Call closed after no answer", "", ""),
        (EventType.MEETING, "Attended strategy discussion about bruising to {child}.", "Police safeguarding record",
         "Detective constable", "Unexplained bruising", "Joint investigation agreed", "CSC and health present", ""),
    ],
    "GP": [
        (EventType.HEALTH_APPOINTMENT, "GP appointment: {child} brought by {mother} with a cough; chest clear.", "GP notes",
         "GP", "", "Advice given", "", ""),
        (EventType.MISSED_APPOINTMENT, "{child} was not brought to the 12-month immunisation appointment.", "GP notes",
         "Practice nurse", "Missed health care", "Letter sent to {mother}", "Health visitor not told",
         "Was-not-brought policy not followed"),
        (EventType.HEALTH_APPOINTMENT, "{mother} seen for low mood; started on medication.", "GP notes", "GP",
         "Parental mental health", "Referred to talking therapies", "Health visitor not informed",
         "Think family: the impact on the children was not considered"),
    ],
    "HV": [
        (EventType.HOME_VISIT, "Health visitor home visit: {child} weighed; {mother} appeared tired.", "Health visiting record",
         "Health visitor", "Maternal low mood", "Follow-up visit arranged", "", ""),
        (EventType.MISSED_APPOINTMENT, "No access visit: no answer at the door.", "Health visiting record", "Health visitor",
         "Disguised compliance", "Card left", "", "No-access visits were not escalated"),
        (EventType.ASSESSMENT, "Developmental review: {child} meeting milestones; {sibling} also seen.", "Health visiting record",
         "Health visitor", "", "Universal service", "", ""),
    ],
    "ED": [
        (EventType.HEALTH_APPOINTMENT, "{child} brought to the emergency department with a head injury, said to be a fall.",
         "ED records", "Emergency doctor", "Injury in a young child", "X-ray; discharged home",
         "Safeguarding liaison notified", "History not checked against the child's age"),
        (EventType.HEALTH_APPOINTMENT, "{child} seen with a burn to the hand; {mother} said it was from a radiator.",
         "ED records", "Emergency nurse", "Burn injury", "Dressing applied", "Health visitor informed by letter", ""),
    ],
    "SCH": [
        (EventType.CONTACT, "Nursery noted {child} arrived hungry and in dirty clothes.", "School safeguarding log",
         "Nursery teacher", "Signs of neglect", "Recorded and passed to the safeguarding lead", "", ""),
        (EventType.TRANSITION, "{child} started in the nursery class at Riverside Demo Primary.", "School admissions record",
         "Admissions officer", "", "", "", ""),
        (EventType.CONTACT, "Attendance fell below 80%; {mother} said {child} had been unwell.", "Attendance record",
         "Attendance officer", "Poor attendance", "Letter home", "", "Attendance concerns were not shared with CSC"),
    ],
}
# Events recorded by two agencies: (day, first agency, second agency, description for both).
_SHARED = [
    (date(2020, 2, 14), "POL", "CSC", "Police attended a domestic incident at the home; {mother} and {partner} "
                                      "arguing, {child} present and crying."),
    (date(2020, 11, 3), "ED", "GP", "{child} brought to the emergency department with a head injury, said to be a "
                                    "fall from the sofa."),
    (date(2021, 6, 22), "CSC", "POL", "Strategy discussion about bruising to {child}'s arms seen at nursery."),
    (date(2021, 6, 21), "SCH", "CSC", "Nursery saw bruising to {child}'s arms and made a referral to Children's "
                                      "Social Care."),
    (date(2022, 3, 9), "HV", "GP", "{mother} disclosed low mood and that {partner} shouts at her; advised to see "
                                   "her GP."),
    (date(2024, 1, 17), "POL", "CSC", "Police attended a second domestic incident; {partner} arrested for assault "
                                      "on {mother}; {child} and {sibling} present."),
    (date(2025, 8, 30), "ED", "POL", "{child} admitted with a serious head injury; police informed by the hospital."),
]


def _names():
    return {"child": "Jayden", "mother": "Kerry Demoson", "partner": "Lee Sampleton", "sibling": "Mia",
            "other": "the health visitor"}


def _day(rng: random.Random) -> date:
    while True:
        day = FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days))
        if not GAP[0] <= day <= GAP[1]:
            return day


def _entry(version, number, day, template, rng, people_by_label, *, precision="day"):
    event_type, text, source, role, risk, response, partnership, learning = template
    words = _names()
    start = FuzzyDate(day.year, day.month if precision != "year" else None, day.day if precision == "day" else None,
                      uncertain=precision != "day" and rng.random() < 0.5)
    entry = ChronologyEntry(
        version=version, review=version.review, agency=version.agency, agency_code=version.agency.short_code,
        event_ref=f"{version.agency.short_code}-{number:03d}", source=source, practitioner_role=role,
        event_type=event_type, description=text.format(**words), risk=risk.format(**words),
        response=response.format(**words), partnership=partnership, learning=learning.format(**words),
        q_assessment=bool(risk) and rng.random() < 0.5, q_pattern=rng.random() < 0.15,
        q_statutory=event_type == EventType.MEETING, q_child=rng.random() < 0.2, q_adult=rng.random() < 0.1,
        q_learning_point=bool(learning), good_practice="Good" in learning or rng.random() < 0.04,
        key_practice_episode=bool(learning) and rng.random() < 0.25,
    )
    when = time(rng.randrange(8, 19), rng.choice((0, 15, 30, 45))) if rng.random() < 0.6 else None
    apply_dates(entry, start, when, None, None)
    refresh_derived(entry)
    people = [people_by_label[label] for label in ("Child J", "Mother") if label in people_by_label]
    if "{partner}" in text and "Mother's partner" in people_by_label:
        people.append(people_by_label["Mother's partner"])
    if "{sibling}" in text and "Sibling" in people_by_label:
        people.append(people_by_label["Sibling"])
    return entry, people


def _load_demo_1(review: Review, people: dict, agencies: dict) -> None:
    rng = random.Random(SEED)  # noqa: S311 - repeatable fictional demo data, not security
    case_people = {p.anonymised_label: p for p in review.case.people.all()}
    manager, reviewer = people["manager"], people["reviewer"]
    versions = {}
    for code in ("CSC", "POL", "GP", "HV", "ED", "SCH"):
        agency = agencies[code]
        request = ChronologyRequest.objects.create(review=review, agency=agency, deadline=date(2026, 8, 14),
                                                   requested_by=manager)
        version = ChronologyVersion.objects.create(review=review, agency=agency, number=1,
                                                   origin=ChronologyVersion.Origin.UPLOAD,
                                                   source_filename=f"{code.lower()}-chronology.xlsx")
        rows = []
        for _ in range({"CSC": 70, "POL": 45, "GP": 45, "HV": 50, "ED": 20, "SCH": 40}[code]):
            template = rng.choice(_TEMPLATES[code])
            precision = "month" if rng.random() < 0.05 else "day"
            rows.append((_day(rng), template, precision))
        for day, first, second, text in _SHARED:
            for index, agency_code in enumerate((first, second)):
                if agency_code == code:
                    base = _TEMPLATES[code][0]
                    shared_day = day + timedelta(days=index) if code in ("CSC", "GP") else day
                    # The second agency heard about it: its record reads a little differently.
                    wording = text if index == 0 else "Information received: " + text[0].lower() + text[1:]
                    rows.append((shared_day, (EventType.INCIDENT if "incident" in text else base[0], wording, base[2],
                                              base[3], base[4], base[5], base[6], base[7]), "day"))
        rows.sort(key=lambda item: item[0])
        entries = []
        for number, (day, template, precision) in enumerate(rows, start=1):
            entries.append(_entry(version, number, day, template, rng, case_people, precision=precision))
        created = ChronologyEntry.objects.bulk_create([entry for entry, _ in entries])
        through = ChronologyEntry.people.through
        through.objects.bulk_create([through(chronologyentry_id=entry.pk, caseperson_id=person.pk)
                                     for entry, (_, persons) in zip(created, entries, strict=True)
                                     for person in persons])
        version.entry_count = len(created)
        version.submit()
        version.submitted_at = timezone.now() - timedelta(days=90)
        version.accept()
        version.accepted_by = reviewer
        version.accepted_at = timezone.now() - timedelta(days=80)
        version.save()
        request.submit()
        request.accept()
        request.save()
        services.refresh_current(review, agency)
        versions[code] = version
    services.chronology_settings_update(by=manager, review=review, gap_threshold_days=120)
    # The review group has decided the strongest suggested duplicates: confirmed, and one dismissed.
    suggestions = analysis.suggested_duplicates(review, limit=12)
    for number, suggestion in enumerate(suggestions):
        entries = ChronologyEntry.objects.filter(pk__in=[suggestion.a.id, suggestion.b.id]).order_by("pk")
        decision = DuplicateDecision.Decision.DISMISSED if number == len(suggestions) - 1 else \
            DuplicateDecision.Decision.CONFIRMED
        services.duplicate_decide(by=reviewer, review=review, entry_a=entries[0], entry_b=entries[1],
                                  decision=decision)
    analysis.refresh_duplicates(review)
    # The review group has started working: a flag, a tag and a comment on the key incident.
    incident = ChronologyEntry.objects.filter(version=versions["ED"], description__contains="serious head injury").first()
    if incident is not None:
        EntryStar.objects.create(entry=incident, user=reviewer)
        EntryTag.objects.create(entry=incident, tag="head injury", added_by=reviewer)
        EntryComment.objects.create(entry=incident, author=reviewer,
                                    text="Which agencies knew about the earlier head injury in 2020?")


def load(*, board, people, agencies):
    with transaction.atomic():
        review1 = Review.objects.filter(board=board, reference="DEMO-1").select_related("case").first()
        if review1 is not None and not ChronologyVersion.objects.filter(review=review1).exists():
            _load_demo_1(review1, people, agencies)
        review2 = Review.objects.filter(board=board, reference="DEMO-2").first()
        if review2 is not None and not ChronologyRequest.objects.filter(review=review2).exists():
            services.requests_create(by=people["manager"], review=review2, agencies=list(agencies.values()),
                                     deadline=max(today(), date(2026, 11, 2)) + timedelta(days=21),
                                     note="Please cover the period from the pregnancy to the child's admission "
                                          "to hospital.")
