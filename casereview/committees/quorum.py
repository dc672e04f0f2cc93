"""Quorum from a committee's rule (Appendix G: "quorate with 3 agency representatives and the Chair present").

The chair, or a vice chair standing in, chairs; each other present member who represents an agency counts
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


def compute_quorum(*, requires_chair: bool, agencies_needed: int, attendees: list[Attendee]) -> Quorum:
    present = [a for a in attendees if a.present]
    chairs = [a for a in present if a.position in CHAIRING_POSITIONS]
    chairing = None
    if chairs:
        # The chair chairs; a vice chair only when the chair is absent.
        chairing = next((a for a in chairs if a.position == "chair"), chairs[0])
    agencies = sorted({a.agency for a in present
                       if a is not chairing and a.agency and a.position not in NOT_COUNTED})
    chair_ok = chairing is not None or not requires_chair
    return Quorum(quorate=chair_ok and len(agencies) >= agencies_needed, chair_present=chairing is not None,
                  agencies=tuple(agencies), agencies_needed=agencies_needed, chair_needed=requires_chair)
