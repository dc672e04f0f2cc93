"""The publication safety check's search for identifying text.

Every person, place and number here is invented: the demo family is "Child M", Kayden
Marsh-Whitley, and phone numbers come from Ofcom's ranges reserved for drama.
"""

import pytest

from casereview.lib.identifiers import Hit, KnownIdentifier, apply_acceptances, scan

CHILD_M = [
    KnownIdentifier("name", "Kayden Marsh-Whitley", "Child M"),
    KnownIdentifier("alias", "KJ", "Child M"),
    KnownIdentifier("date_of_birth", "2014-03-12", "Child M"),
    KnownIdentifier("address", "Flat 2, 14 Larkspur Crescent, Fenwick Vale, Anytown", "Child M"),
    KnownIdentifier("postcode", "ZZ1 1ZZ", "Child M"),
    KnownIdentifier("school", "Brambleford Primary School", "Child M"),
    KnownIdentifier("name", "Rosalind Marsh-Whitley", "Mother of Child M"),
]


def matched(text: str, known: list[KnownIdentifier] | None = None) -> list[tuple[str, str]]:
    return [(hit.kind, hit.matched_text) for hit in scan(text, known or [])]


def test_it_finds_the_childs_name_in_three_spellings():
    report = (
        "Kayden was known to children's services from birth. The health visitor noted that "
        "Kayden's weight had fallen. By 2020 the school described Kaydon as withdrawn."
    )

    hits = scan(report, CHILD_M)

    assert [hit.matched_text for hit in hits] == ["Kayden", "Kayden's", "Kaydon"]
    assert all(hit.kind == "name" and hit.person_label == "Child M" for hit in hits)


def test_it_finds_the_childs_name_misspelt():
    [hit] = scan("Kaydon was seen at the clinic.", CHILD_M)

    assert hit.reason == "Close to the first name 'Kayden' (Child M)"


def test_it_says_an_exact_match_matches():
    [hit] = scan("KAYDEN was seen at the clinic.", CHILD_M)

    assert hit.reason == "Matches the first name 'Kayden' (Child M)"


@pytest.mark.parametrize("written", ["Kayden's", "Kayden\u2019s", "kaydens", "Kaydens'"])
def test_it_finds_the_name_with_a_possessive(written):
    assert matched(f"The worker visited {written} home.", CHILD_M) == [("name", written.rstrip("'"))]


def test_it_treats_the_full_name_as_one_hit():
    assert matched("Kayden Marsh-Whitley moved school.", CHILD_M) == [("name", "Kayden Marsh-Whitley")]


@pytest.mark.parametrize("written", ["Marsh-Whitley", "Marsh Whitley", "marsh whitley"])
def test_it_finds_the_hyphenated_surname_written_either_way(written):
    [hit] = scan(f"The {written} family moved.", CHILD_M)

    assert (hit.matched_text, hit.reason) == (written, "Matches the surname 'Marsh-Whitley' (Child M)")


@pytest.mark.parametrize("part", ["Marsh", "Whitley"])
def test_it_finds_each_part_of_a_hyphenated_surname_alone(part):
    [hit] = scan(f"Ms {part} attended the meeting.", CHILD_M)

    assert hit.reason == f"Matches '{part}', part of the surname 'Marsh-Whitley' (Child M)"


def test_it_finds_a_name_split_across_lines():
    assert matched("the child, Kayden\nMarsh-Whitley, was", CHILD_M) == [("name", "Kayden\nMarsh-Whitley")]


def test_it_allows_two_slips_in_a_long_name():
    [hit] = scan("Rosalyn told the social worker.", CHILD_M)

    assert hit.reason == "Close to the first name 'Rosalind' (Mother of Child M)"


def test_it_allows_only_one_slip_in_a_medium_name():
    assert scan("Jaydon was in the same class.", CHILD_M) == []


def test_it_counts_swapped_letters_as_one_slip():
    assert matched("Kaydne was seen.", CHILD_M) == [("name", "Kaydne")]


def test_it_matches_a_short_name_only_exactly():
    assert matched("KJ said he was hungry. Kj and KT laughed.", CHILD_M) == [("alias", "KJ"), ("alias", "Kj")]


def test_it_does_not_flag_common_words_close_to_a_name():
    known = [KnownIdentifier("name", "Megan Testwood", "Child T")]
    report = (
        "The mother began to engage with the school, health and police. The review found that "
        "the father and the social worker met often."
    )

    assert scan(report, known) == []


def test_it_flags_a_name_that_is_a_common_word_only_when_capitalised():
    known = [KnownIdentifier("name", "Will Testwood", "Child W")]

    hits = scan("The school will share its plan. Will said he was scared.", known)

    assert [hit.matched_text for hit in hits] == ["Will"]


def test_it_takes_a_common_word_as_part_of_a_full_name_in_any_case():
    known = [KnownIdentifier("name", "Will Testwood", "Child W")]

    assert matched("a note from will testwood", known) == [("name", "will testwood")]


def test_it_finds_the_street_address_abbreviated_with_its_house_number():
    [hit] = scan("They moved to 14 Larkspur Cres. in May.", CHILD_M)

    assert (hit.kind, hit.matched_text) == ("address", "14 Larkspur Cres.")  # the abbreviation keeps its full stop
    assert hit.reason == "Matches the address '14 Larkspur Crescent' (Child M)"


def test_it_finds_the_street_address_misspelt():
    assert matched("A flat on larkspur cresent.", CHILD_M) == [("address", "larkspur cresent")]


def test_it_finds_the_school_in_any_case():
    assert matched("Staff at BRAMBLEFORD primary school said", CHILD_M) == [
        ("school", "BRAMBLEFORD primary school")
    ]


def test_it_finds_the_school_without_its_last_words():
    [hit] = scan("Brambleford Primary made a referral.", CHILD_M)

    assert hit.reason == "Matches part of the school 'Brambleford Primary School' (Child M)"


def test_it_does_not_treat_the_schools_place_name_alone_as_the_school():
    assert scan("Brambleford has a library.", CHILD_M) == []


@pytest.mark.parametrize(
    "written",
    [
        "12/03/2014",
        "12.03.14",
        "12-03-2014",
        "12 March 2014",
        "12th March 2014",
        "12th of Mar 2014",
        "March 12, 2014",
        "2014-03-12",
    ],
)
def test_it_finds_the_known_date_of_birth_in_any_common_form(written):
    [hit] = scan(f"On {written} the family was visited.", CHILD_M)

    assert (hit.kind, hit.matched_text) == ("date_of_birth", written)
    assert hit.reason == "Matches the date of birth 12 March 2014 (Child M)"


def test_it_refuses_a_known_date_of_birth_it_cannot_read():
    with pytest.raises(ValueError, match="Not a date of birth"):
        KnownIdentifier("date_of_birth", "spring 2014", "Child M")


@pytest.mark.parametrize(
    "sentence",
    ["She was born on 3 July 2015.", "DOB: 03/07/2015", "D.O.B. 3.7.15", "Date of birth\n3 July 2015"],
)
def test_it_flags_an_unknown_date_after_a_birth_word(sentence):
    [hit] = scan(sentence)

    assert hit.kind == "possible_date_of_birth"


def test_it_ignores_an_unknown_date_without_a_birth_word():
    assert scan("A strategy meeting was held on 3 July 2015 and again on 10/07/2015.") == []


def test_it_ignores_a_date_far_from_the_birth_word():
    assert scan("She was born in Anytown. The strategy meeting was held on 3 July 2015.") == []


@pytest.mark.parametrize(
    "postcode", ["SW1A 1AA", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "cr26xh", "GIR 0AA"]
)
def test_it_finds_a_uk_postcode(postcode):
    assert matched(f"The family lived at {postcode} then.") == [("postcode", postcode)]


@pytest.mark.parametrize(
    "text",
    [
        "AB1 2CD",  # C is never used in the last part of a postcode
        "QA1 1AA",  # no postcode starts with Q
        "Take the A1 2nd exit",  # a road and an ordinal, not a postcode
        "Covid19 cases rose",
    ],
)
def test_it_does_not_find_a_postcode_in(text):
    assert scan(text) == []


def test_it_finds_the_recorded_postcode_even_when_not_a_real_one():
    [hit] = scan("post to zz11zz", CHILD_M)

    assert (hit.kind, hit.reason) == ("postcode", "Matches the postcode 'ZZ1 1ZZ' (Child M)")


@pytest.mark.parametrize("written", ["943 476 5919", "9434765919", "943-476-5919"])
def test_it_finds_an_nhs_number_with_a_valid_check_digit(written):
    assert matched(f"NHS number {written}.") == [("nhs_number", written)]


def test_it_ignores_ten_digits_whose_nhs_check_digit_is_wrong():
    assert scan("Reference 943 476 5918.") == []


@pytest.mark.parametrize("written", ["AB 12 34 56 C", "AB123456C", "ab 123456 c"])
def test_it_finds_a_national_insurance_number(written):
    assert matched(f"NI number {written} held.") == [("ni_number", written)]


@pytest.mark.parametrize(
    "written",
    [
        # HMRC's own specimen: Q is never a first letter, so no one can hold it.
        "QQ 12 34 56 C",
        "GB 12 34 56 A",  # a prefix HMRC never issues
        "AB 12 34 56 E",  # the last letter is only ever A to D
    ],
)
def test_it_ignores_numbers_that_cannot_be_national_insurance_numbers(written):
    assert scan(f"NI number {written} held.") == []


@pytest.mark.parametrize(
    "written",
    [
        "07700 900123",
        "07700900123",
        "+44 7700 900123",
        "+44 (0)20 7946 0123",
        "020 7946 0123",
        "(01632) 960123",
    ],
)
def test_it_finds_a_uk_phone_number(written):
    assert matched(f"Call {written} today.") == [("phone", written)]


def test_it_does_not_take_counts_and_years_for_a_phone_number():
    assert scan("In 2014 there were 12 incidents and 3 referrals.") == []


def test_it_finds_an_email_address():
    assert matched("Write to kayden.test+m@example.org.") == [("email", "kayden.test+m@example.org")]


def test_it_lists_hits_in_order_of_position_without_overlaps():
    report = "Email kayden@example.com or ring 07700 900123; Kayden Marsh-Whitley was born 12/03/2014."

    hits = scan(report, CHILD_M)

    assert [(hit.kind, hit.matched_text) for hit in hits] == [
        ("email", "kayden@example.com"),
        ("phone", "07700 900123"),
        ("name", "Kayden Marsh-Whitley"),
        ("date_of_birth", "12/03/2014"),
    ]


def test_it_shows_each_hit_in_context():
    report = "Paragraph one is long enough to be cut somewhere in the middle of it. " * 2 + (
        "The nursery said Kaydon was often hungry and tired, and that nobody collected him on time."
    )

    [hit] = scan(report, CHILD_M)

    assert hit.context == (
        "\u2026to be cut somewhere in the middle of it. The nursery said [[Kaydon]] was often "
        "hungry and tired, and that nobody collected him\u2026"
    )
    assert report[hit.start : hit.end] == "Kaydon"


def test_it_keeps_an_accepted_hit_accepted_in_a_new_version():
    first = scan("Kaydon's nursery raised a concern.", CHILD_M)
    accepted = {first[0].fingerprint}

    second = scan("A new opening paragraph. Then KAYDON'S nursery raised a concern about Kayden.", CHILD_M)
    still_open, still_accepted = apply_acceptances(second, accepted)

    assert [hit.matched_text for hit in still_accepted] == ["KAYDON'S"]
    assert [hit.matched_text for hit in still_open] == ["Kayden"]


def test_it_keeps_an_acceptance_to_the_same_kind_of_hit():
    name_hit = Hit("name", "Marsh", 0, 5, "", "", "reason", "Child M")
    address_hit = Hit("address", "Marsh", 0, 5, "", "", "reason", "Child M")

    assert name_hit.fingerprint != address_hit.fingerprint


# --- the families a wider probe found missing (issue G4) -------------------------------

CHILD_K = [
    KnownIdentifier("name", "Ellie Lacey-Mae Demoson", "Child K"),
    KnownIdentifier("date_of_birth", "2012-03-03", "Child K"),
    KnownIdentifier("address", "7 Larch Grove, Anytown", "Child K"),
    KnownIdentifier("postcode", "ZZ9 9ZZ", "Child K"),
    KnownIdentifier("school", "St Mary's CE Primary School", "Child K"),
]


@pytest.mark.parametrize(
    "written", ["3-Mar-2012", "03MAR2012", "3 Mar 12", "3/Mar/2012", "3-March-2012", "3 March '12", "3 March\n2012"]
)
def test_it_finds_the_known_date_of_birth_however_it_is_written(written):
    assert matched(f"Child K was seen on {written} at home.", CHILD_K) == [("date_of_birth", written)]


def test_it_does_not_take_another_date_for_the_date_of_birth():
    assert scan("Child K was seen on 4-Mar-2012 and 3 Mar 13.", CHILD_K) == []


@pytest.mark.parametrize(
    "written",
    ["0044 7700 900417", "00447700900417", "07700.900.417", "+44 (20) 7946 0018", "07700 \n900417", "0161-496-0417"],
)
def test_it_finds_a_phone_number_however_it_is_grouped(written):
    assert matched(f"Mother's number {written} was on file.") == [("phone", written)]


@pytest.mark.parametrize("written", ["485.777.3457", "485 7773 457", "4857773457", "485 777\n3457"])
def test_it_finds_an_nhs_number_however_it_is_grouped(written):
    assert matched(f"NHS number {written} was on file.") == [("nhs_number", written)]


def test_it_ignores_figures_and_years_that_look_like_ten_digits():
    assert scan("Between 2019 2020 and 2021 there were 485 777 3458 contacts and 1.234.567.890 pounds.") == []


@pytest.mark.parametrize("written", ["JM-48-27-13-C", "JM 48 27 13", "JM.48.27.13.C", "JM 48 27 \n13 C"])
def test_it_finds_a_national_insurance_number_however_it_is_grouped(written):
    assert matched(f"NI number {written} was on file.") == [("ni_number", written)]


def test_it_needs_capitals_for_a_national_insurance_number_without_its_letter():
    assert scan("we met on 12 03 14 and again") == []


@pytest.mark.parametrize("written", ["SW1A  1AA", "SW1A\n1AA", "ZZ9  9ZZ", "ZZ9\n9ZZ"])
def test_it_finds_a_postcode_split_by_two_spaces_or_a_line_break(written):
    assert matched(f"The family lived at {written} then.", CHILD_K) == [("postcode", written)]


def test_it_finds_a_short_name_misspelt_by_one_letter():
    [hit] = scan("Elie told her teacher.", CHILD_K)

    assert hit.reason == "Close to the first name 'Ellie' (Child K)"


def test_it_does_not_take_a_lowercase_word_for_a_short_misspelt_name():
    assert scan("The elie of the matter.", CHILD_K) == []


@pytest.mark.parametrize("written", ["LaceyMae", "Laceymae", "Lacie-Mae", "Lacey-\nMae", "Lacey Mae"])
def test_it_finds_a_double_name_joined_or_rehyphenated(written):
    assert matched(f"Then {written} said she was hungry.", CHILD_K) == [("name", written)]


@pytest.mark.parametrize(
    "written", ["7 Larch Gr.", "Larch Gv", "Larch Grv", "Larchgrove", "7 Larchgrove", "Larch-\nGrove"]
)
def test_it_finds_a_street_abbreviated_or_run_together(written):
    assert matched(f"The family moved to {written}, near the park.", CHILD_K) == [("address", written)]


def test_it_does_not_take_another_street_type_for_the_street():
    assert scan("The family moved to Larch Road.", CHILD_K) == []


@pytest.mark.parametrize(
    "written",
    [
        "St Mary's Primary School",
        "Saint Mary's CE Primary",
        "St Marys CE Primary School",
        "St Mary's School",
        "St Mary's CE School",
        "St. Mary's RC Primary",
    ],
)
def test_it_finds_the_school_however_it_is_named(written):
    assert matched(f"She started at {written} in September.", CHILD_K) == [("school", written)]


def test_it_does_not_take_the_church_for_the_school():
    assert scan("The funeral was at St Mary's church.", CHILD_K) == []


@pytest.mark.parametrize("address", ["kayden@müller-beispiel.example", "k.demoson@例え.jp", "ellie@xn--mller-kva.example"])
def test_it_finds_an_email_address_with_an_internationalised_domain(address):
    assert matched(f"Write to {address} today.") == [("email", address)]


def test_a_narrow_column_pdf_of_an_extract_loses_no_identifier():
    """Text read out of a PDF breaks lines inside identifiers; the check must find as many as in the plain text."""
    from casereview.lib.documents import extract_text
    from casereview.lib.pdf import PdfProperties, render_pdf

    extract = (
        "Ellie Lacey-Mae Demoson (born 3-Mar-2012) lived at 7 Larch Grove, ZZ9 9ZZ, and attended St Mary's CE "
        "Primary School. Her mother gave 07700 900417 and +44 (20) 7946 0018 as contact numbers and "
        "shannon.demoson@example.org as her email. The GP recorded NHS number 485 777 3457; the benefits "
        "letter quoted NI number JM 48 27 13 C. Elie's school described LaceyMae as quiet."
    )
    plain = scan(extract, CHILD_K)
    html = f"<p style='width:28mm;font-size:10pt;hyphens:none'>{extract}</p>"
    text = extract_text(render_pdf(html, PdfProperties(title="Extract")), "pdf")
    assert "\n" in text.strip()  # the column did wrap

    from_pdf = scan(text, CHILD_K)

    assert len(plain) == 12
    assert [hit.kind for hit in from_pdf] == [hit.kind for hit in plain]
