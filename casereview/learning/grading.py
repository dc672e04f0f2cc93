"""Grading scales for audit questions. Each grade says whether it meets the standard; "not applicable"
answers are left out of the percentage, so a question is judged only on the cases it applies to."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Grade:
    code: str
    label: str
    meets: bool | None  # None: not applicable, not counted


@dataclass(frozen=True)
class Scale:
    code: str
    label: str
    grades: tuple[Grade, ...]

    def grade(self, code: str) -> Grade | None:
        return next((g for g in self.grades if g.code == code), None)

    def describe(self) -> str:
        meeting = ", ".join(g.label for g in self.grades if g.meets)
        return f"{self.label} (meets the standard: {meeting})"


_NA = Grade("na", "Not applicable", None)

SCALES: dict[str, Scale] = {s.code: s for s in [
    Scale("yes_no", "Yes, partly or no", (Grade("yes", "Yes", True), Grade("partly", "Partly", False),
                                          Grade("no", "No", False), _NA)),
    Scale("ofsted", "Outstanding to inadequate", (
        Grade("outstanding", "Outstanding", True), Grade("good", "Good", True),
        Grade("requires_improvement", "Requires improvement", False), Grade("inadequate", "Inadequate", False), _NA)),
    Scale("rag", "Green, amber or red", (Grade("green", "Green", True), Grade("amber", "Amber", False),
                                         Grade("red", "Red", False), _NA)),
]}

SCALE_CHOICES = [(s.code, s.describe()) for s in SCALES.values()]
