"""The default two-level learning typology of the domain brief, shipped as data.

Each board gets its own copy (``casereview.typology.services.typology_seed_default``), which it may then add to, rename, retire
and merge without touching any other board's. Codes are stable: a group is a letter, a theme the group's
letter and a number.
"""

DEFAULT_TYPOLOGY: list[tuple[str, str, list[str]]] = [
    ("A", "Practice", [
        "Information sharing",
        "Multi-agency working",
        "Assessment quality",
        "Risk assessment and decision making",
        "Voice and lived experience of the child",
        "Professional curiosity",
        "Challenge and escalation",
        "Thresholds, transfer and closure",
        "Engagement with families",
        "Hidden or unseen men",
        "Supervision, workload and culture",
        "Recording",
        "Race, culture and identity",
        "Good practice",
    ]),
    ("B", "Family context", [
        "Domestic abuse",
        "Parental mental health",
        "Parental substance misuse",
        "Parents' own childhood adversity",
        "Violent criminality",
        "Multiple partners or separation",
        "Isolation",
        "Poverty and housing",
    ]),
    ("C", "Harm and child", [
        "Neglect",
        "Physical abuse (including bruising in non-mobile babies)",
        "Sexual abuse",
        "Emotional abuse",
        "Exploitation and extra-familial harm",
        "Online harm",
        "Suicide, self-harm and mental health",
        "Sudden unexpected infant death and safer sleep",
        "Babies",
        "Adolescents",
        "Disabled children",
        "Looked-after children and care leavers",
        "Children not in school",
        "Young carers",
    ]),
    ("D", "System patterns", [
        "Human-tool",
        "Human-management system",
        "Multi-agency response to incidents",
        "Multi-agency assessment and long-term work",
        "Family-professional interaction",
        "Human reasoning",
    ]),
]


def default_rows() -> list[tuple[str, str, str | None]]:
    """(code, name, parent code) for every group and theme, groups first."""
    rows: list[tuple[str, str, str | None]] = []
    for letter, group, themes in DEFAULT_TYPOLOGY:
        rows.append((letter, group, None))
        rows.extend((f"{letter}{number}", name, letter) for number, name in enumerate(themes, start=1))
    return rows
