"""Framework-free pieces: names to labels, the child's age, agency colours, duplicates, natural sorting."""

from datetime import date
from types import SimpleNamespace

from casereview.chronology.display import AGENCY_COLOURS, Anonymiser, child_age, contrast_ratio
from casereview.chronology.duplicates import Candidate, suggest
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


def test_duplicates_need_different_agencies_close_dates_and_similar_text_or_a_referral():
    def entry(pk, agency, code, day, text):
        names = {10: "Testshire Police", 20: "Children's Social Care", 30: "Brookfield Primary School"}
        return Candidate(pk, agency, names[agency], code, day, text)

    found = suggest([
        entry(1, 10, "POL", date(2020, 2, 14), "Police attended a domestic incident at the home, child present"),
        entry(2, 20, "CSC", date(2020, 2, 15), "Notification from police: domestic incident at the home"),
        entry(3, 10, "POL", date(2020, 2, 14), "Police attended a domestic incident at the home, child present"),
        entry(4, 30, "SCH", date(2020, 2, 21), "Police attended a domestic incident at the home, child present"),
        entry(5, 30, "SCH", date(2020, 3, 2), "Bruise seen on arm during PE; DSL spoke to the child"),
        entry(6, 20, "CSC", date(2020, 3, 2), "Referral received from the school about a mark on the arm"),
        entry(7, 20, "CSC", date(2020, 3, 2), "Dental check"),
        entry(8, 30, "SCH", date(2020, 3, 2), "Dental check"),
    ])
    pairs = {frozenset((s.a.id, s.b.id)): s for s in found}
    # Same agency (1 and 3) and a week apart (4) are never pairs; a referral pairs with what it is about (5
    # and 6), not with everything the other agency recorded that day (6 and 8).
    assert set(pairs) == {frozenset((1, 2)), frozenset((2, 3)), frozenset((5, 6)), frozenset((7, 8))}
    assert pairs[frozenset((5, 6))].reason == "SCH told CSC and CSC recorded it, the same day"
    assert pairs[frozenset((1, 2))].reason == "POL told CSC and CSC recorded it, 1 day apart"
    assert pairs[frozenset((7, 8))].reason == "Similar words (check, dental), the same day"
    # A pair already decided is left out.
    assert len(suggest([entry(5, 30, "SCH", date(2020, 3, 2), "Bruise seen on arm during PE"),
                        entry(6, 20, "CSC", date(2020, 3, 2), "Referral received from the school")],
                       decided={frozenset((5, 6))})) == 0


def test_the_labelled_pairs_meet_the_precision_and_recall_targets():
    from bench.chronology_duplicate_pairs import evaluate

    result = evaluate()
    assert result["pairs"] >= 60
    assert result["recall"] >= 0.9 and result["precision"] >= 0.7, result


def test_event_types_and_refs():
    assert read_event_type("Initial child protection conference") == ("meeting", "")
    assert read_event_type("Was not brought to clinic") == ("missed_appointment", "")
    assert read_event_type("Bereavement") == ("other", "Bereavement")
    assert sorted(["POL-10", "POL-9", "POL-100"], key=ref_key) == ["POL-9", "POL-10", "POL-100"]
