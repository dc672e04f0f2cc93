"""Framework-free pieces: names to labels, the child's age, agency colours, duplicates, natural sorting."""

from datetime import date
from types import SimpleNamespace

from casereview.chronology.analysis import find_duplicates
from casereview.chronology.display import AGENCY_COLOURS, Anonymiser, child_age, contrast_ratio
from casereview.chronology.values import read_event_type, ref_key
from casereview.lib.chrono_dates import FuzzyDate


def person(name, label, aliases=""):
    return SimpleNamespace(full_name=name, anonymised_label=label, alias_list=lambda: aliases.split("|") if aliases
                           else [])


def test_anonymiser_handles_case_titles_possessives_and_aliases():
    anonymise = Anonymiser([person("Kerry Demoson", "Mother"), person("Jayden Demoson", "Child J", "Jay Demoson|JJ"),
                            person("Lee Sampleton", "Mother's partner")])
    assert anonymise("KERRY said jayden's arm hurt") == "Mother said Child J's arm hurt"
    assert anonymise("Ms Demoson met Mr Sampleton") == "[family name] met Mother's partner"
    assert anonymise("Jay Demoson and JJ") == "Child J and Child J"
    assert anonymise("Jaydens' coat; Kerrys bag") == "Child J's coat; Mother's bag"
    assert anonymise("Leeds and Kerryville") == "Leeds and Kerryville"


def test_child_age():
    dob = date(2019, 5, 14)
    assert child_age(dob, FuzzyDate(2019, 5, 20)) == "6 days"
    assert child_age(dob, FuzzyDate(2020, 2, 14)) == "9 months"
    assert child_age(dob, FuzzyDate(2023, 6, 14)) == "4 years 1 month"
    assert child_age(dob, FuzzyDate(2023)) == "about 3 years 7 months"
    assert child_age(dob, FuzzyDate(2019, 1, 3)) == "Before birth"
    assert child_age(dob, FuzzyDate(2019)) == "Around birth"
    assert child_age(None, FuzzyDate(2019)) == ""


def test_agency_colours_pass_wcag_with_white_text():
    assert all(contrast_ratio(colour, "#ffffff") >= 4.5 for colour in AGENCY_COLOURS)
    assert len(set(AGENCY_COLOURS)) == len(AGENCY_COLOURS)


def test_duplicates_need_different_agencies_close_dates_and_similar_text():
    rows = [
        (1, 10, date(2020, 2, 14), "Police attended a domestic incident at the home, child present"),
        (2, 20, date(2020, 2, 15), "Notification: police attended domestic incident at the home, child present"),
        (3, 10, date(2020, 2, 14), "Police attended a domestic incident at the home, child present"),
        (4, 30, date(2020, 2, 17), "Police attended a domestic incident at the home, child present"),
        (5, 30, date(2020, 2, 14), "Dental check"),
        (6, 20, date(2020, 2, 14), "Dental check"),
    ]
    groups = find_duplicates(rows)
    assert sorted(map(sorted, groups)) == [[1, 2, 3], [5, 6]]


def test_event_types_and_refs():
    assert read_event_type("Initial child protection conference") == ("meeting", "")
    assert read_event_type("Was not brought to clinic") == ("missed_appointment", "")
    assert read_event_type("Bereavement") == ("other", "Bereavement")
    assert sorted(["POL-10", "POL-9", "POL-100"], key=ref_key) == ["POL-9", "POL-10", "POL-100"]
