"""What a referral form (or the API, or the demo) hands to the referral services: typed, frozen records instead of
dicts, so a misspelt field is an error where it is written, not a silently ignored key.

A field left as None was not given: the service leaves the record's value (or the model's default) alone. The
form builds these from what it could parse, so its check shows every rule at once."""

from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from datetime import date
from typing import Any


@dataclass(frozen=True, kw_only=True)
class ReferralDetails:
    protective_marking: str | None = None
    purpose: str | None = None
    referrer_name: str | None = None
    referrer_role: str | None = None
    referrer_contact: str | None = None
    referrer_email: str | None = None
    referred_on: date | None = None
    lead_consulted_name: str | None = None
    lead_consulted_role: str | None = None
    lead_consulted_contact: str | None = None
    incident_date: date | None = None
    where_and_with_whom: str | None = None
    plan_status: str | None = None
    plan_category: str | None = None
    looked_after: str | None = None
    open_to_csc: str | None = None
    criteria: Sequence[str] | None = None
    narrative: str | None = None
    key_dates: str | None = None

    def given(self) -> dict[str, Any]:
        """The fields that were given, by model field name (criteria as a list, as the model stores it)."""
        values = {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}
        if "criteria" in values:
            values["criteria"] = list(values["criteria"])
        return values


@dataclass(frozen=True, kw_only=True)
class ChildDetails:
    full_name: str = ""
    date_of_birth: date | None = None
    date_of_death: date | None = None
    gender: str = ""
    ethnicity: str = ""
    address: str = ""
    postcode: str = ""

    def as_fields(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, kw_only=True)
class MatrixDetails:
    """The SCR Committee's decision matrix, apart from the answer to each criterion."""

    learning_potential: str | None = None
    good_practice: str | None = None
    previous_learning: str | None = None
    parallel_processes: Sequence[str] | None = None
    parallel_notes: str | None = None
    impact: str | None = None
    public_interest: str | None = None
    targeted_criteria: Sequence[str] | None = None
    themes: Sequence[Any] | None = None
    recommended_outcome: str = ""
    rationale: str = ""

    def given(self) -> dict[str, Any]:
        """The matrix's text and choice fields that were given (not the outcome, rationale or themes)."""
        skip = {"themes", "recommended_outcome", "rationale"}
        return {f.name: list(v) if isinstance(v, (list, tuple)) else v
                for f in fields(self) if f.name not in skip and (v := getattr(self, f.name)) is not None}


@dataclass(frozen=True, kw_only=True)
class MatrixAnswer:
    """The committee's answer to one criterion: met, not met or unknown, and the evidence."""

    answer: str = ""
    evidence: str = ""
    source_agency: Any = None
