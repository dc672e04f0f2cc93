"""Each methodology's stages (domain brief and seed s.13, s.14 and Appendix D), offered as editable milestones.

The North West stages follow the seed's proportionate approach (s.13 and s.14, adapted from SCIE); the others
follow the domain brief's stage lists.
"""

from datetime import date, timedelta

STAGES: dict[str, list[str]] = {
    "north_west": [
        "Scoping and terms of reference agreed",
        "Significant Practice Event chronologies from agencies",
        "Review Group analysis of the significant practice events",
        "Case Group practitioner event",
        "Family invited to contribute",
        "Draft findings shared with the Case Group",
        "Overview report and learning summary",
        "SCR Committee quality assurance and board approval",
    ],
    "scie": [
        "Preparation",
        "Data collection: records and one-to-one conversations",
        "Organise and analyse: key practice episodes and contributory factors",
        "Review with the Case Group",
        "Generic patterns",
        "Findings: issues for the board",
    ],
    "rca": [
        "Terms of reference and review team",
        "Gather and map information",
        "Care and service delivery problems",
        "Contributory factors and root causes",
        "Recommendations",
        "Report",
        "Action plan",
    ],
    "cpr": [
        "Panel and terms of reference",
        "Agency timelines",
        "Merged timeline",
        "Family involvement",
        "Practitioner learning event",
        "Report",
        "Board sign-off",
        "Publication set",
    ],
    "silp": [
        "Scoping",
        "Agency reports (chronology and analysis) shared with all",
        "Learning event",
        "Recall event on the draft",
        "Overview report",
        "Board",
        "Publication",
    ],
    "appreciative": ["Discovery", "Dream", "Design", "Delivery"],
    "other": [
        "Terms of reference agreed",
        "Information gathering",
        "Analysis",
        "Report",
        "Board approval",
    ],
}


def stage_plan(methodology: str, start: date, target: date) -> list[tuple[str, date]]:
    """The methodology's stages, their due dates spread evenly between initiation and the target date."""
    names = STAGES.get(methodology or "other", STAGES["other"])
    span = max((target - start).days, len(names))
    return [(name, start + timedelta(days=round(span * (i + 1) / len(names)))) for i, name in enumerate(names)]
