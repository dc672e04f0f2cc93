"""A labelled set of fictional pairs of chronology entries from two agencies, for measuring the duplicate
suggestions: the same event in different words, a day or two apart, one agency's referral and the other's
receipt of it, and look-alikes that are different events. Every name is fictional.

Run `python -m bench.chronology_duplicate_pairs` for precision and recall (also part of `make bench`).
"""

from __future__ import annotations

from datetime import date, timedelta

AGENCIES = {
    "SCH": (1, "Brookfield Primary School"),
    "CSC": (2, "Children's Social Care"),
    "POL": (3, "Testshire Police"),
    "GP": (4, "Riverside GP Surgery"),
    "HV": (5, "Health Visiting Service"),
    "HSG": (6, "Testshire Housing"),
    "HOS": (7, "County Hospital"),
}

# (agency A, text A, agency B, text B, days between, same event?)
PAIRS: list[tuple[str, str, str, str, int, bool]] = [
    # --- The same event in different words ------------------------------------------------------------------
    ("SCH", "Bruise noticed on Child Q's left arm during PE; DSL spoke to Child Q",
     "CSC", "Referral received from Brookfield Primary School about a bruise on Child Q's arm", 0, True),
    ("POL", "Officers attended the address after neighbours reported shouting; Mother had a cut lip",
     "CSC", "Police notification received: domestic incident at the home, Mother injured", 1, True),
    ("GP", "Child Q seen with Mother for chest infection; antibiotics prescribed",
     "HV", "GP appointment for chest infection noted; antibiotics given", 0, True),
    ("HV", "Home visit: home cluttered, little food in the fridge, Child Q in a soiled nappy",
     "CSC", "Health visitor called the duty team with concerns about neglect at home (no food, soiled nappy)",
     0, True),
    ("SCH", "Child Q absent without explanation; attendance now 78 per cent",
     "CSC", "School reported attendance of 78 per cent and unexplained absences", 1, True),
    ("HOS", "Child Q brought to A&E with a burn to the hand; explanation changed twice",
     "CSC", "Hospital referral: burn to hand, inconsistent explanation from Stepfather", 0, True),
    ("POL", "Stepfather arrested for assault on Mother at the family home",
     "CSC", "Strategy discussion after the police arrested Stepfather for assaulting Mother", 1, True),
    ("HSG", "Eviction notice served for rent arrears at the family's flat",
     "CSC", "Housing told us the family has been served an eviction notice for rent arrears", 2, True),
    ("GP", "Mother disclosed low mood and not sleeping; referred to talking therapies",
     "HV", "Mother told the GP about low mood; referral to talking therapies made", 0, True),
    ("SCH", "Child Q said she was hungry and had not eaten since lunch yesterday",
     "CSC", "Contact from school: Child Q hungry, had not eaten since the day before", 0, True),
    ("CSC", "Child protection conference held; Child Q made subject of a plan under neglect",
     "SCH", "Headteacher attended the child protection conference; plan under category of neglect", 0, True),
    ("CSC", "Child protection conference: plan under neglect agreed",
     "HV", "Attended initial child protection conference; Child Q on a plan for neglect", 0, True),
    ("POL", "Missing person report: Child Q not home by 10pm, found at a friend's house at 1am",
     "CSC", "Child Q reported missing overnight, found at a friend's house", 1, True),
    ("HOS", "Admitted to the children's ward with dehydration after vomiting",
     "GP", "Discharge letter: admitted to ward with dehydration and vomiting", 2, True),
    ("SCH", "Injury to Child Q's cheek seen at registration; Child Q said she fell off her bike",
     "CSC", "School contact: mark on cheek, child says she fell from her bike", 0, True),
    ("HV", "Missed developmental review; second appointment not attended",
     "GP", "Health visitor informed surgery that the developmental review was missed twice", 1, True),
    ("POL", "Welfare check at the flat: no adult present, Child Q alone with younger sibling",
     "CSC", "Police found Child Q home alone with sibling during a welfare check", 0, True),
    ("CSC", "Home visit by social worker: Mother intoxicated, Child Q making own tea",
     "POL", "Social worker phoned police after finding Mother drunk at home visit", 0, True),
    ("GP", "Child Q weight below the 2nd centile; paediatric referral made",
     "HOS", "Referral from GP received: faltering growth, weight below 2nd centile", 2, True),
    ("SCH", "Child Q disclosed that Stepfather hit her with a belt",
     "POL", "Report from school: disclosure that Stepfather hit Child Q with a belt", 0, True),
    ("HSG", "Repairs officer visited; flat damp with mould in the child's bedroom",
     "HV", "Housing repairs visit noted damp and mould in the bedroom", 3, True),
    ("CSC", "Strategy meeting with police and school: section 47 enquiry to start",
     "POL", "Attended strategy meeting with social care and school; section 47 agreed", 0, True),
    ("SCH", "Emailed social care about Child Q's poor hygiene and tiredness",
     "CSC", "Email received from the school about hygiene and tiredness", 0, True),
    ("HV", "Referred Mother to the perinatal mental health team",
     "GP", "Letter from health visitor: perinatal mental health referral made", 2, True),
    ("POL", "Domestic abuse risk assessment graded high; referral to MARAC",
     "CSC", "MARAC referral by police following a high risk domestic abuse assessment", 1, True),
    ("HOS", "Fracture of the left wrist; skeletal survey requested",
     "CSC", "Hospital paediatrician reported a wrist fracture and requested a skeletal survey", 0, True),
    ("SCH", "Parents' evening not attended; letter sent home about reading",
     "CSC", "Parents did not attend parents' evening; school sent a letter about reading", 3, True),
    ("GP", "Immunisations overdue; reminder letter sent to Mother",
     "HV", "Immunisations overdue; surgery sent a reminder letter to Mother", 1, True),
    ("CSC", "Child Q placed with maternal aunt under a safety plan",
     "SCH", "Social worker told us Child Q is now staying with her aunt under a safety plan", 1, True),
    ("POL", "Child Q interviewed (ABE) about the disclosure of physical abuse",
     "CSC", "Achieving best evidence interview of Child Q by police about physical abuse", 0, True),
    ("HV", "New birth visit: baby well, Mother anxious, Stepfather declined to be seen",
     "GP", "Health visitor new birth visit: baby well, mother anxious", 2, True),
    ("SCH", "Child Q arrived late with no coat in the snow",
     "CSC", "School rang the MASH: Child Q came in late without a coat in snow", 0, True),
    ("HOS", "Mother attended the emergency department with facial injuries; said she fell",
     "POL", "Hospital informed police: woman with facial injuries, possible assault", 0, True),
    ("CSC", "Case closed to children's social care; step down to early help",
     "SCH", "Social care closed the case and stepped down to early help", 2, True),
    ("GP", "Mother asked for help with Child Q's behaviour; referred to CAMHS",
     "CSC", "CAMHS referral by GP for behaviour noted at the review meeting", 3, True),
    ("POL", "Stepfather released on bail with conditions not to contact Mother",
     "CSC", "Police told us Stepfather was bailed with conditions not to contact Mother", 1, True),
    # --- Look-alikes: different events ---------------------------------------------------------------------
    ("SCH", "Bruise noticed on Child Q's left arm during PE",
     "CSC", "Child Q's sibling seen at nursery with a bruise on the leg", 30, False),
    ("HV", "Home visit: home clean, baby weighed, growing well",
     "CSC", "Home visit by social worker: Mother out, Stepfather would not let us in", 0, False),
    ("GP", "Child Q seen for ear infection; antibiotics prescribed",
     "HOS", "Child Q attended A&E after a fall from a trampoline", 1, False),
    ("SCH", "Child Q absent: Mother phoned to say she was unwell",
     "POL", "Police called to a disturbance in the street outside the flats", 0, False),
    ("CSC", "Review child protection conference: plan continues",
     "SCH", "Annual review of Child Q's special educational needs", 0, False),
    ("POL", "Stepfather stopped for driving without insurance",
     "CSC", "Stepfather attended the core group meeting", 1, False),
    ("HSG", "Rent account brought up to date",
     "CSC", "Family support worker helped Mother apply for a food bank voucher", 0, False),
    ("HOS", "Child Q's sibling born at County Hospital",
     "HV", "Developmental check of Child Q at 2 years: speech delay noted", 2, False),
    ("SCH", "Child Q took part in the school play",
     "GP", "Mother seen for back pain", 0, False),
    ("CSC", "Social worker changed: new allocated worker",
     "POL", "Neighbour dispute about parking; words of advice given", 3, False),
    ("GP", "Repeat prescription for Mother's antidepressants",
     "HV", "Mother said she had stopped taking her antidepressants two months ago", 20, False),
    ("SCH", "Child Q won a certificate for 100 per cent attendance this half term",
     "CSC", "Child Q's attendance reported as poor by previous school", 2, False),
    ("POL", "Report of a burglary at a neighbouring flat; no link to the family",
     "HSG", "Door lock replaced after a break-in attempt at the family flat", 2, False),
    ("HV", "Baby weighed at clinic: gained weight",
     "GP", "Baby's eight-week check: hips and heart normal", 1, False),
    ("HOS", "Appointment at fracture clinic not attended",
     "SCH", "Child Q went on the class trip to the farm", 1, False),
    ("CSC", "Letter sent to Mother confirming the date of the next core group",
     "SCH", "Letter sent to all parents about the new uniform", 0, False),
    ("SCH", "Child Q told her teacher she was excited about her birthday party",
     "POL", "Police attended a party at a neighbouring house after a noise complaint", 1, False),
    ("GP", "Mother registered with the surgery after moving to the area",
     "HSG", "Family moved into temporary accommodation", 4, False),
    ("HV", "Telephone call with Mother: no concerns raised",
     "CSC", "Telephone call with Stepfather's probation officer about his licence conditions", 0, False),
    ("POL", "Stepfather reported his car stolen",
     "HSG", "Car parked on the grass outside the block; warning letter sent", 1, False),
    ("CSC", "Assessment completed: no further action",
     "HOS", "Outpatient appointment for Child Q's asthma: inhaler changed", 2, False),
    ("SCH", "Child Q sent home with head lice; letter to parents",
     "HV", "Head lice treatment advice given to Mother for the baby", 6, False),
    ("HOS", "Child Q seen in A&E with a sprained ankle from football",
     "SCH", "Child Q injured his knee playing football at lunchtime; first aid given", 0, False),
    ("GP", "Flu vaccine given to Child Q",
     "HV", "Flu vaccine offered to Mother, declined", 1, False),
    ("CSC", "Mother did not attend the child in need meeting",
     "SCH", "Mother did not attend the parents' evening", 3, False),
    ("POL", "Mother reported Stepfather for sending threatening messages",
     "CSC", "Mother told the social worker she has blocked Stepfather's number after a row", 15, False),
    ("HSG", "Housing officer visit: flat in good condition",
     "HV", "Home visit: flat in good condition, baby settled", 2, False),
    ("SCH", "Child Q's mother came to collect her early for a dental appointment",
     "GP", "Child Q did not attend a dental appointment arranged by the surgery", 5, False),
]


def evaluate() -> dict:
    from casereview.chronology.duplicates import Candidate, score_pair

    true_positive = false_positive = false_negative = true_negative = 0
    misses, wrong = [], []
    base = date(2015, 3, 2)
    for number, (code_a, text_a, code_b, text_b, days, same) in enumerate(PAIRS):
        id_a, name_a = AGENCIES[code_a]
        id_b, name_b = AGENCIES[code_b]
        a = Candidate(number * 2, id_a, name_a, code_a, base, text_a)
        b = Candidate(number * 2 + 1, id_b, name_b, code_b, base + timedelta(days=days), text_b)
        suggested = score_pair(a, b) is not None
        if suggested and same:
            true_positive += 1
        elif suggested:
            false_positive += 1
            wrong.append((text_a, text_b))
        elif same:
            false_negative += 1
            misses.append((text_a, text_b))
        else:
            true_negative += 1
    precision = true_positive / max(true_positive + false_positive, 1)
    recall = true_positive / max(true_positive + false_negative, 1)
    return {"pairs": len(PAIRS), "same": sum(1 for p in PAIRS if p[5]), "precision": round(precision, 3),
            "recall": round(recall, 3), "missed": misses, "wrongly_suggested": wrong}


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casereview.settings")
    django.setup()
    result = evaluate()
    print(f"Duplicate suggestions on {result['pairs']} labelled pairs ({result['same']} the same event): "
          f"precision {result['precision']:.2f}, recall {result['recall']:.2f}")
    for a, b in result["missed"]:
        print(f"  missed: {a!r} / {b!r}")
    for a, b in result["wrongly_suggested"]:
        print(f"  wrongly suggested: {a!r} / {b!r}")
