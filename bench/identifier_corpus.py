"""A labelled corpus for the publication identifier check (issue G4), built from fixed templates.

Everything is fictional: names use invented surnames (Demoson, Testwell...), phone numbers come from
Ofcom's ranges reserved for drama, NHS numbers are made to pass the check digit, NI numbers use
prefixes HMRC issues but are invented, postcodes mix a reserved "ZZ" form with real-shaped ones,
and emails are at example.org / example.com / example.net or internationalised forms of them.

Two parts:

* ``labelled_documents()``: one-line probes and review extracts, each identifier marked, covering
  every family the issue lists (dates in many forms, phones, NHS and NI numbers with odd grouping,
  postcodes split by two spaces or a line break, line breaks as a narrow PDF column makes them,
  misspelt, joined and re-hyphenated names, street abbreviations and run-together streets, school
  name variants, internationalised email domains);
* ``identifier_free_text()``: at least 50,000 characters of review prose about the same cases with
  no identifier in it (event dates, times, counts, money, ages, references, agency and place words),
  for counting false positives.

``python bench/identifier_corpus.py`` writes the corpus to ``bench/identifier_corpus/`` (one
PEOPLE.json and one text per case, as ``manage.py identifier_scan`` reads them), for inspection.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

MARK = re.compile(r"\[\[(?P<family>[a-z_]+)\|(?P<text>.*?)\]\]", re.DOTALL)


@dataclass
class Person:
    label: str
    full_name: str
    aliases: list[str]
    date_of_birth: date | None
    address: str
    postcode: str
    school: str

    def as_json(self) -> dict:
        return {
            "label": self.label,
            "full_name": self.full_name,
            "aliases": self.aliases,
            "date_of_birth": self.date_of_birth.isoformat() if self.date_of_birth else None,
            "address": self.address,
            "postcode": self.postcode,
            "school": self.school,
        }


@dataclass
class Case:
    slug: str
    people: list[Person]
    phone: str  # digits, UK national form
    nhs: str  # ten digits
    ni: str  # e.g. JM482713C
    email_user: str
    documents: list[str] = field(default_factory=list)  # marked-up text


@dataclass
class Labelled:
    """A text with its identifiers' spans and families."""

    case: str
    text: str
    spans: list[tuple[int, int, str]]  # start, end, family


def nhs_number(seed: int) -> str:
    rng = random.Random(seed)
    while True:
        digits = [rng.choice("4679")] + [str(rng.randrange(10)) for _ in range(8)]
        total = sum(int(d) * w for d, w in zip(digits, range(10, 1, -1), strict=True))
        check = (11 - total % 11) % 11
        if check != 10:
            return "".join(digits) + str(check)


# (child first names, child surname, mother, father, street, type, town, postcode, school, phone)
_CASES = [
    ("k", "Ellie", "", "Demoson", "Shannon Demoson", "Craig Fictley", "Larch", "Grove", "Anytown",
     "ZZ9 9ZZ", "St Mary's CE Primary School", "07700900417", "JM482713C"),
    ("m", "Kayden", "", "Marsh-Whitley", "Rosalind Marsh-Whitley", "Dean Testwell", "Larkspur", "Crescent",
     "Fenwick Vale", "ZZ1 1ZZ", "Brambleford Primary School", "07700900123", "AB123456C"),
    ("p", "Maisie", "Rose", "Sampleton", "Kerry Sampleton", "Liam Mockford", "Oakfield", "Road", "Lowbridge",
     "ZZ3 4ZZ", "St Anne's RC Primary School", "07700900551", "HT715529A"),
    ("r", "Harley", "Jay", "Exampleby", "Tanya Exampleby", "Jordan Placeholt", "Heather", "Close", "Millcross",
     "ZZ5 2ZZ", "Saint Bede's Catholic Primary School", "02079460018", "NP604417B"),
    ("t", "Tyler", "", "Fabrick", "Leanne Fabrick", "Wayne Fabrick", "Juniper", "Avenue", "Anytown",
     "ZZ2 7ZZ", "Hollins Green Infant School", "01614960231", "WL330192D"),
    ("v", "Amelia", "", "Fictley-Stone", "Gemma Fictley", "Ryan Stonebridge", "Foxglove", "Gardens", "Eastmoor",
     "ZZ7 3ZZ", "Ashcombe Junior School", "01134960712", "KC907316A"),
    ("w", "Riley", "", "Mockworth", "Danielle Mockworth", "Shane Demoworth", "Sycamore", "Drive", "Westerby",
     "ZZ4 6ZZ", "St Peter's CE Academy", "07700900984", "RP248861C"),
    ("y", "Skye", "", "Testington", "Chantelle Testington", "Aaron Placewell", "Ferncliffe", "Terrace",
     "Northholm", "ZZ8 1ZZ", "Greystone Primary School", "01174960333", "TE519274B"),
]

_BIRTHS = [date(2012, 3, 3), date(2014, 3, 12), date(2016, 11, 21), date(2013, 7, 9), date(2017, 1, 28),
           date(2011, 10, 5), date(2015, 5, 17), date(2018, 8, 30)]
_HOUSE = ["7", "14", "3a", "22", "41", "9", "118", "56"]

_MONTHS = "January February March April May June July August September October November December".split()


def _date_forms(born: date) -> list[str]:
    d, m, y = born.day, born.month, born.year
    mon = _MONTHS[m - 1]
    return [
        f"{d}-{mon[:3]}-{y}", f"{d:02d}{mon[:3].upper()}{y}", f"{d} {mon[:3]} {y % 100:02d}",
        f"{d}/{mon[:3]}/{y}", f"{d}-{mon}-{y}", f"{d} {mon} '{y % 100:02d}", f"{d:02d}/{m:02d}/{y}",
        f"{d}.{m}.{y % 100:02d}", f"{y}-{m:02d}-{d:02d}", f"{mon} {d}, {y}", f"{d} {mon}\n{y}",
        f"{d}-\n{mon[:3]}-{y}", f"{d:02d}/\n{m:02d}/{y}",
        f"{d}{'st' if d in (1, 21, 31) else 'nd' if d in (2, 22) else 'rd' if d in (3, 23) else 'th'} of {mon} {y}",
    ]


def _phone_forms(digits: str) -> list[str]:
    national = digits[1:]
    if digits.startswith("07"):
        return [f"{digits[:5]} {digits[5:]}", f"0044 {national[:4]} {national[4:]}", f"0044{national}",
                f"{digits[:5]}.{digits[5:8]}.{digits[8:]}", f"+44 {national[:4]} {national[4:]}",
                f"{digits[:5]} \n{digits[5:]}", f"({digits[:5]}) {digits[5:]}"]
    if digits.startswith("02"):
        return [f"{digits[:3]} {digits[3:7]} {digits[7:]}", f"+44 ({national[:2]}) {national[2:6]} {national[6:]}",
                f"+44 (0){national[:2]} {national[2:6]} {national[6:]}", f"{digits[:3]}-{digits[3:7]}-{digits[7:]}",
                f"{digits[:3]} {digits[3:7]}\n{digits[7:]}", f"0044 {national[:2]} {national[2:]}", digits,
                f"+44 ({national[:2]})\n{national[2:6]} {national[6:]}"]
    return [f"{digits[:4]} {digits[4:7]} {digits[7:]}", f"({digits[:4]}) {digits[4:]}",
            f"+44 {national[:3]} {national[3:6]} {national[6:]}", f"{digits[:4]}.{digits[4:7]}.{digits[7:]}",
            f"{digits[:4]} \n{digits[4:]}", f"00 44 {national}", digits]


def _nhs_forms(n: str) -> list[str]:
    return [f"{n[:3]} {n[3:6]} {n[6:]}", f"{n[:3]}.{n[3:6]}.{n[6:]}", f"{n[:3]} {n[3:7]} {n[7:]}", n,
            f"{n[:3]}-{n[3:6]}-{n[6:]}", f"{n[:3]} {n[3:6]}\n{n[6:]}"]


def _ni_forms(ni: str) -> list[str]:
    p, a, b, c, s = ni[:2], ni[2:4], ni[4:6], ni[6:8], ni[8]
    return [f"{p} {a} {b} {c} {s}", f"{p}-{a}-{b}-{c}-{s}", f"{p} {a} {b} {c}", f"{p}{a}{b}{c}{s}",
            f"{p} {a} {b} \n{c} {s}", f"{p}.{a}.{b}.{c}.{s}"]


def _postcode_forms(postcode: str, real_shaped: str) -> list[str]:
    outward, inward = postcode.split()
    r_out, r_in = real_shaped.split()
    return [postcode, f"{outward}{inward}", f"{outward}  {inward}", f"{outward}\n{inward}", postcode.lower(),
            real_shaped, f"{r_out}  {r_in}", f"{r_out}\n{r_in}"]


_STREET_SHORT = {"Grove": ["Gr.", "Gv", "Grv"], "Crescent": ["Cres", "Cresc."], "Road": ["Rd", "Rd."],
                 "Close": ["Cl", "Cl."], "Avenue": ["Ave", "Av."], "Gardens": ["Gdns", "Gdns."],
                 "Drive": ["Dr", "Drv"], "Terrace": ["Terr", "Tce"]}


def _misspell(name: str, rng: random.Random) -> str:
    """One slip: a doubled letter dropped, a vowel changed or two letters swapped."""
    for i in range(1, len(name)):
        if name[i] == name[i - 1]:
            return name[:i] + name[i + 1 :]
    vowels = [i for i, ch in enumerate(name) if ch in "aeiouy" and i > 0]
    if vowels:
        i = rng.choice(vowels)
        return name[:i] + {"a": "e", "e": "a", "i": "y", "o": "a", "u": "o", "y": "i"}[name[i]] + name[i + 1 :]
    return name[0] + name[2] + name[1] + name[3:]


def _school_forms(school: str) -> list[str]:
    words = school.split()
    forms = [school]
    without_denomination = " ".join(w for w in words if w not in ("CE", "RC", "Catholic"))
    if without_denomination != school:
        forms.append(without_denomination)
    if words[0] == "St":
        forms.append("Saint " + " ".join(words[1:]))
    elif words[0] == "Saint":
        forms.append("St " + " ".join(words[1:]))
    if "'" in school:
        forms.append(school.replace("'", ""))
    if school.endswith("Primary School") or school.endswith("Junior School") or school.endswith("Infant School"):
        forms.append(school.rsplit(" ", 2)[0] + " School")
        forms.append(school.rsplit(" ", 1)[0])
    return forms


def build_cases() -> list[Case]:
    rng = random.Random(20261129)
    cases: list[Case] = []
    for index, row in enumerate(_CASES):
        (slug, first, second, surname, mother, father, street, street_type, town, postcode, school, phone,
         ni) = row
        child_name = f"{first}{'-' + second if second else ''} {surname}" if second and index % 2 == 0 else (
            f"{first} {second} {surname}" if second else f"{first} {surname}")
        if slug == "k":
            child_name = "Ellie Lacey-Mae Demoson"
        house = _HOUSE[index]
        child = Person(
            label=f"Child {slug.upper()}",
            full_name=child_name,
            aliases=[first[:3] + "s"] if len(first) > 4 else [],
            date_of_birth=_BIRTHS[index],
            address=f"{house} {street} {street_type}, {town}",
            postcode=postcode,
            school=school,
        )
        mum = Person(f"Mother of Child {slug.upper()}", mother, [], date(1990 + index, 1 + index, 10 + index),
                     f"{house} {street} {street_type}, {town}", postcode, "")
        dad = Person(f"Father of Child {slug.upper()}", father, [], None, "", "", "")
        case = Case(slug, [child, mum, dad], phone, nhs_number(index), ni,
                    email_user=f"{mother.split()[0].lower()}.{surname.split('-')[0].lower()}")
        case.documents = _documents(case, rng, first, second, surname, street, street_type, house, postcode,
                                    school, mother, father)
        cases.append(case)
    return cases


_REAL_SHAPED = ["CR2 6XH", "B33 8TH", "M1 1AE", "DN55 1PT", "LS2 9JT", "BS1 4DJ", "NE1 7RU", "SW1A 1AA"]
_DOMAINS = ["example.org", "example.com", "example.net", "müller-beispiel.example.org", "exämple.com",
            "xn--exmple-cua.com", "例え.example.com", "bücher.example.net"]


def _documents(case: Case, rng: random.Random, first: str, second: str, surname: str, street: str,
               street_type: str, house: str, postcode: str, school: str, mother: str, father: str) -> list[str]:
    child = case.people[0]
    m = lambda family, text: f"[[{family}|{text}]]"  # noqa: E731
    docs: list[str] = []
    # Names.
    name_forms = [child.full_name, first, f"{first}'s", first.upper(), _misspell(first, rng), surname,
                  f"{first}\n{surname}", mother, mother.split()[0], father, _misspell(mother.split()[0], rng)]
    if second:
        name_forms += [f"{first}{second}", f"{_misspell(first, rng)}-{second}", f"{first} {second}",
                       f"{first}-\n{second}"]
    if "-" in surname:
        a, b = surname.split("-")
        name_forms += [f"{a}{b}", f"{a} {b}", f"{a}-\n{b}"]
    if case.slug == "k":
        name_forms += ["Elie", "LaceyMae", "Lacie-Mae", "Lacey-Mae"]
    for form in name_forms:
        docs.append(f"At the meeting {m('name', form)} was described as withdrawn by the worker.")
    docs.append(f"Ms {m('name', mother.split()[1])} and Mr {m('name', father.split()[1])} both attended.")
    for alias in child.aliases:
        docs.append(f"Friends called the child {m('name', alias)} at school.")
    # Dates of birth, of the child and of the mother.
    for form in _date_forms(child.date_of_birth):
        docs.append(f"The child was seen on {m('date', form)} by the health visitor.")
    for form in _date_forms(case.people[1].date_of_birth)[:4]:
        docs.append(f"Mother, born {m('date', form)}, attended with her sister.")
    # Addresses.
    full = f"{street} {street_type}"
    address_forms = [f"{house} {full}", full, f"{house} {street}{street_type.lower()}", f"{street}-\n{street_type}",
                     f"{house} {street}\n{street_type}"]
    address_forms += [f"{house} {street} {short}" for short in _STREET_SHORT.get(street_type, [])]
    for form in address_forms:
        docs.append(f"The family moved to {m('address', form)} in the spring.")
    # Postcodes.
    for form in _postcode_forms(postcode, _REAL_SHAPED[len(docs) % len(_REAL_SHAPED)]):
        docs.append(f"Their post was redirected to {m('postcode', form)} after the move.")
    # Schools.
    for form in _school_forms(school):
        docs.append(f"In September the child started at {m('school', form)} and settled well.")
    # Phones, NHS and NI numbers.
    for form in _phone_forms(case.phone):
        docs.append(f"Mother gave her number as {m('phone', form)} to the duty worker.")
    for form in _nhs_forms(case.nhs):
        docs.append(f"The GP record (NHS number {m('nhs', form)}) showed no missed appointments.")
    for form in _ni_forms(case.ni):
        docs.append(f"The benefits letter quoted {m('ni', form)} as the claimant's number.")
    # Emails.
    for domain in _DOMAINS[:4]:
        docs.append(f"The school emailed {m('email', case.email_user + '@' + domain)} twice.")
    docs.append(f"A message came from {m('email', case.email_user + '@' + rng.choice(_DOMAINS[4:]))} that night.")
    # A review extract mixing several, as a narrow PDF column breaks it.
    docs.append(
        f"{m('name', first)} lived with {m('name', mother.split()[0])} at {m('address', house + ' ' + full)}, "
        f"{m('postcode', postcode)}, and attended {m('school', school)}. On {m('date', _date_forms(child.date_of_birth)[0])} "
        f"the health visitor rang {m('phone', _phone_forms(case.phone)[0])}. Her\nNHS number, "
        f"{m('nhs', _nhs_forms(case.nhs)[2])}, was on the referral, and her mother's NI number\n"
        f"{m('ni', _ni_forms(case.ni)[4])} was on the housing file."
    )
    return docs


def parse(case: str, marked: str) -> Labelled:
    spans = []
    out = []
    position = 0
    cursor = 0
    for match in MARK.finditer(marked):
        out.append(marked[cursor : match.start()])
        position += match.start() - cursor
        text = match.group("text")
        spans.append((position, position + len(text), match.group("family")))
        out.append(text)
        position += len(text)
        cursor = match.end()
    out.append(marked[cursor:])
    return Labelled(case, "".join(out), spans)


def labelled_documents(cases: list[Case] | None = None) -> list[Labelled]:
    return [parse(case.slug, doc) for case in cases or build_cases() for doc in case.documents]


# --- identifier-free text ----------------------------------------------------------------------

_AGENCIES = ["children's social care", "the police", "the health visiting service", "the GP practice",
             "the school nursing team", "the housing provider", "the domestic abuse service", "probation",
             "the youth offending service", "the emergency department", "early help", "the nursery",
             "child and adolescent mental health services", "adult social care", "the ambulance service"]
_ROLES = ["the allocated social worker", "the health visitor", "the designated safeguarding lead",
          "the team manager", "a police constable", "the named nurse", "the family support worker",
          "the independent reviewing officer", "the practice manager", "the duty social worker",
          "the school nurse", "the paediatrician", "the housing officer", "the midwife"]
_EVENTS = ["a strategy discussion", "an initial child protection conference", "a home visit",
           "a core group meeting", "a multi-agency meeting", "a review child protection conference",
           "a team around the family meeting", "a section 47 enquiry", "a case review meeting",
           "a professionals meeting", "an unannounced visit", "a telephone consultation"]
_FINDINGS = [
    "Information about the father's history was held by one agency but not shared with the others.",
    "Practitioners were not always curious about who else lived in the household.",
    "The voice of the child was not consistently recorded in assessments.",
    "Escalation procedures were not used when agencies disagreed about the level of risk.",
    "Supervision records show that the worker raised concerns that were not acted upon.",
    "The plan did not say who would do what, by when, and how progress would be measured.",
    "Missed health appointments were not recognised as a possible sign of neglect.",
    "Thresholds were applied inconsistently between the front door and the locality teams.",
    "The impact of parental mental health on the care of the children was underestimated.",
    "Good practice was seen in the nursery's detailed records of the child's presentation.",
    "Agencies relied on self-reported information about who was caring for the baby.",
    "The case was stepped down to early help before the risks had reduced.",
    "Safe sleeping advice was given but not revisited after the family moved.",
    "The review found that caseloads in the team were high throughout the period.",
    # Ordinary words a letter or two from the corpus's names, at the start of a sentence and inside one.
    "Examples of good practice were shared at the learning event, for example the nursery's records.",
    "Main findings: agencies did not share what they knew about the risk of harm to the baby.",
    "Harm was not always recognised; the shape of the plan changed after each meeting.",
    "Share information early. Agencies should store records where the whole team can see them.",
    "Heather and gorse grew on the common; the family walked there most weekends.",
    "Skyline views from the flat were mentioned, but the stairwell lighting was broken.",
    "Mains water was cut off; the main store in the town centre reported nothing unusual.",
    "Tyres were slashed on the family's car, which the police recorded as criminal damage.",
]
_PLACES = ["the town centre", "the north of the borough", "a neighbouring authority", "the hospital",
           "the family home", "the contact centre", "the police station", "the surgery", "the refuge",
           "the children's centre", "temporary accommodation", "the maternal grandmother's home"]


def _event_date(rng: random.Random) -> str:
    y = rng.randint(2015, 2024)
    mo = rng.randint(1, 12)
    d = rng.randint(1, 28)
    mon = _MONTHS[mo - 1]
    return rng.choice([f"{d} {mon} {y}", f"{d:02d}/{mo:02d}/{y}", f"{mon} {y}", f"{d}.{mo}.{y % 100:02d}",
                       f"{d}-{mon[:3]}-{y}", f"early {mon} {y}", f"{y}", f"the summer of {y}",
                       f"{d}{'st' if d in (1, 21) else 'nd' if d in (2, 22) else 'rd' if d in (3, 23) else 'th'} {mon}"])


def _sentence(rng: random.Random, labels: list[str]) -> str:
    who = rng.choice(labels)
    templates = [
        lambda: f"On {_event_date(rng)} {rng.choice(_ROLES)} held {rng.choice(_EVENTS)} about {who}.",
        lambda: f"{rng.choice(_AGENCIES).capitalize()} recorded {rng.randint(2, 40)} contacts with the family "
                f"between {_event_date(rng)} and {_event_date(rng)}.",
        lambda: f"At {rng.randint(8, 11)}:{rng.choice(['00', '15', '30', '45'])}am {rng.choice(_ROLES)} visited "
                f"{rng.choice(_PLACES)} and saw {who}, then aged {rng.randint(1, 14)}.",
        lambda: rng.choice(_FINDINGS),
        lambda: f"The family received £{rng.randint(1, 9)},{rng.randint(100, 999)} in emergency support and "
                f"{rng.randint(10, 95)}% of appointments were kept.",
        lambda: f"Referral {rng.randint(2015, 2024)}/{rng.randint(1000, 9999)} was closed after "
                f"{rng.randint(2, 30)} working days with no further action.",
        lambda: f"{who} was taken to {rng.choice(_PLACES)} by {rng.choice(_ROLES)} on {_event_date(rng)}.",
        lambda: f"Between {rng.randint(2015, 2019)} and {rng.randint(2020, 2024)} the case was open to "
                f"{rng.choice(_AGENCIES)} on {rng.randint(2, 6)} separate occasions.",
        lambda: f"The {rng.choice(['Case Group', 'Review Group', 'panel'])} met {rng.randint(3, 9)} times and "
                f"considered {rng.randint(120, 900)} pages of agency records.",
        lambda: f"Recommendation {rng.randint(1, 12)}: {rng.choice(_AGENCIES)} should report progress to the "
                f"board within {rng.choice(['three', 'six', 'nine', 'twelve'])} months.",
        lambda: f"The child's weight fell from the {rng.choice(['50th', '25th', '9th'])} to the "
                f"{rng.choice(['2nd', '0.4th'])} centile over {rng.randint(3, 14)} weeks.",
        lambda: f"Call handlers logged {rng.randint(2, 15)} calls to the address; the last, at "
                f"{rng.randint(13, 23)}:{rng.randint(10, 59)}, was graded as an emergency.",
        lambda: f"{who}'s {rng.choice(['mother', 'father', 'older sibling', 'grandmother'])} told "
                f"{rng.choice(_ROLES)} that things were better since {_event_date(rng)}.",
        lambda: f"The A{rng.randint(1, 99)} was closed, so the family travelled {rng.randint(2, 30)} miles by "
                f"bus to {rng.choice(_PLACES)}.",
        lambda: f"Paragraph {rng.randint(1, 9)}.{rng.randint(1, 30)} of the terms of reference asked about "
                f"{rng.choice(['information sharing', 'escalation', 'the voice of the child', 'neglect'])}.",
        lambda: f"{rng.choice(_ROLES).capitalize()} had a caseload of {rng.randint(18, 35)} children and "
                f"{rng.randint(1, 4)} hours of supervision a month.",
    ]
    return rng.choice(templates)()


def identifier_free_text(min_chars: int = 60_000) -> list[tuple[str, str]]:
    """(case slug, text) pairs of review prose about each case without any of its identifiers."""
    rng = random.Random(1129)
    cases = build_cases()
    pieces: list[tuple[str, str]] = []
    total = 0
    while total < min_chars:
        for case in cases:
            slug = case.slug.upper()
            labels = [f"Child {slug}", "the child", f"the mother of Child {slug}", "the baby", "the children"]
            paragraph = " ".join(_sentence(rng, labels) for _ in range(rng.randint(4, 9)))
            pieces.append((case.slug, paragraph))
            total += len(paragraph)
    return pieces


def write(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    free = identifier_free_text()
    for case in build_cases():
        folder = directory / f"case-{case.slug}"
        folder.mkdir(exist_ok=True)
        (folder / "people.json").write_text(
            json.dumps([person.as_json() for person in case.people], indent=1, ensure_ascii=False) + "\n",
            encoding="utf-8")
        (folder / "labelled.txt").write_text("\n\n".join(case.documents) + "\n", encoding="utf-8")
        (folder / "identifier-free.txt").write_text(
            "\n\n".join(text for slug, text in free if slug == case.slug) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write(Path(__file__).resolve().parent / "identifier_corpus")
    docs = labelled_documents()
    print(f"{sum(len(d.spans) for d in docs)} labelled identifiers in {len(docs)} texts; "
          f"{sum(len(t) for _, t in identifier_free_text()):,} characters of identifier-free text")
