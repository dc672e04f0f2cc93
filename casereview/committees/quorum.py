"""Quorum from a committee's terms of reference (the Performance Committee: "quorate with 3 agency
representatives and the Chair present").

The chair chairs. A vice chair stands in for an absent chair only where the committee's own rule says so (the
framework names no substitute; a board may add one). Each other present member who represents an agency counts
once per agency; advisers and guests never count.
"""

from dataclasses import dataclass

CHAIRING_POSITIONS = ("chair", "vice_chair")
NOT_COUNTED = ("adviser", "guest")


@dataclass(frozen=True)
class Attendee:
    position: str
    agency: str | None
    present: bool


@dataclass(frozen=True)
class Quorum:
    quorate: bool
    chair_present: bool
    agencies: tuple[str, ...]
    agencies_needed: int
    chair_needed: bool

    @property
    def text(self) -> str:
        parts = []
        if self.chair_needed:
            parts.append("chair present" if self.chair_present else "chair absent")
        n = len(self.agencies)
        parts.append(f"{n} of {self.agencies_needed} agency representative{'s' if self.agencies_needed != 1 else ''}"
                     + (f" ({', '.join(self.agencies)})" if self.agencies else ""))
        return ("Quorate: " if self.quorate else "Not quorate: ") + "; ".join(parts)


def compute_quorum(*, requires_chair: bool, agencies_needed: int, attendees: list[Attendee],
                   vice_chair_stands_in: bool = False) -> Quorum:
    present = [a for a in attendees if a.present]
    chairing = next((a for a in present if a.position == "chair"), None)
    if chairing is None and vice_chair_stands_in:
        chairing = next((a for a in present if a.position == "vice_chair"), None)
    agencies = sorted({a.agency for a in present
                       if a is not chairing and a.agency and a.position not in NOT_COUNTED})
    chair_ok = chairing is not None or not requires_chair
    return Quorum(quorate=chair_ok and len(agencies) >= agencies_needed, chair_present=chairing is not None,
                  agencies=tuple(agencies), agencies_needed=agencies_needed, chair_needed=requires_chair)


def quorum_problems(*, committee_name: str, requires_chair: bool, agencies_needed: int,
                    members: list[Attendee], vice_chair_stands_in: bool = False) -> list[str]:
    """Why a committee with these members could never be quorate, even with every member present: what the
    Business Manager must fix on its set-up page. Empty when a full attendance would be quorate."""
    everyone = [Attendee(position=m.position, agency=m.agency, present=True) for m in members]
    best = compute_quorum(requires_chair=requires_chair, agencies_needed=agencies_needed, attendees=everyone,
                          vice_chair_stands_in=vice_chair_stands_in)
    problems = []
    if requires_chair and not best.chair_present:
        problems.append(f"The {committee_name} has no chair{' or vice chair' if vice_chair_stands_in else ''}, "
                        "so it can never be quorate: add its chair")
    if len(best.agencies) < agencies_needed:
        have = len(best.agencies)
        problems.append(
            f"The {committee_name} needs {agencies_needed} agency representative{'s' if agencies_needed != 1 else ''}"
            f" besides the chair to be quorate, but its members represent {'only ' if have else ''}"
            f"{have or 'no'} agenc{'y' if have == 1 else 'ies'}"
            + (f" ({', '.join(best.agencies)})" if best.agencies else "")
            + ": add members from other agencies")
    return problems
