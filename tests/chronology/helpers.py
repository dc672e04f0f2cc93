"""Chronology test data: a review of the `world` case, its people, and ready-made chronologies."""

from __future__ import annotations

import csv
import io
from datetime import date

from casereview.cases.models import CasePerson
from casereview.chronology import services
from casereview.chronology.importing import import_chronology
from casereview.chronology.models import ChronologyVersion
from casereview.reviews.models import Review
from tests.factories import review_in

CSV_HEADINGS = ["Date of event", "Time", "What happened", "Source", "Action taken", "Type", "People involved",
                "Risk", "Partnership", "Learning", "Key practice episode"]


def make_review(world, reference: str = "REV-T1") -> Review:
    case = world.case
    if not case.people.exists():
        CasePerson.objects.create(case=case, relationship=CasePerson.Relationship.SUBJECT_CHILD,
                                  full_name="Zara Fictionperson", aliases="Zaz Fictionperson", anonymised_label="Child Q",
                                  date_of_birth=date(2013, 6, 1))
        CasePerson.objects.create(case=case, relationship=CasePerson.Relationship.MOTHER,
                                  full_name="Yvonne Fictionperson", anonymised_label="Mother",
                                  date_of_birth=date(1990, 1, 1))
    return review_in(world, Review.Status.INITIATED, type=Review.Type.CIR, reference=reference,
                     initiated_on=date(2026, 1, 5), lead_reviewer=None)


def csv_bytes(rows, headings=CSV_HEADINGS, encoding="utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headings)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


GOOD_ROWS = [
    ["12/03/2014", "14:30", "Yvonne said Zara had a fall at home", "Police log", "Officer attended",
     "Incident", "Child Q, Mother", "Injury to a child", "CSC told", "Check injuries", "Y"],
    ["March 2014", "", "Zara's school raised concerns about attendance", "School record", "Letter home",
     "Contact", "Child Q", "", "", "", "N"],
    ["?2015", "", "Family moved house", "Housing record", "", "Transition", "", "", "", "", ""],
]


def import_rows(world, review, agency, rows, tmp_path, *, submit=True, name="chronology.csv", by=None):
    path = tmp_path / name
    path.write_bytes(csv_bytes(rows))
    return import_chronology(by=by, review=review, agency=agency, path=path, filename=name, submit=submit,
                             origin=ChronologyVersion.Origin.COMMAND)


def accepted_chronology(world, review, agency, rows, tmp_path, name="chronology.csv"):
    version = import_rows(world, review, agency, rows, tmp_path, name=name)
    services.version_accept(by=world.manager, version=ChronologyVersion.objects.get(pk=version.pk))
    return ChronologyVersion.objects.get(pk=version.pk)
