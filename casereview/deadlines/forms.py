from django import forms

from casereview.core.forms import GovukDateField
from casereview.lib.clocks import UnknownClock, available_packs, get_pack


def _clock_choices() -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for pack in available_packs():
        for clock in pack.clocks:
            seen.setdefault(clock.slug, f"{clock.name} ({clock.slug})")
    return list(seen.items())


class DeadlineForm(forms.Form):
    pack = forms.ChoiceField(label="Rule pack", choices=(), help_text="The statutory regime the clock belongs to.",
                             error_messages={"required": "Select the rule pack",
                                             "invalid_choice": "Select one of the rule packs listed"})
    clock = forms.ChoiceField(label="Clock", choices=(),
                              error_messages={"required": "Select the clock",
                                              "invalid_choice": "Select one of the clocks listed"})
    start = GovukDateField(label="Start date",
                           help_text="When the clock starts, or for a clock that counts back, the planned date. "
                                     "For example 27 3 2026",
                           error_messages={"required": "Enter the start date"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pack"].choices = [(p.slug, f"{p.title} ({p.slug})") for p in available_packs()]
        self.fields["clock"].choices = _clock_choices()

    def clean(self):
        data = super().clean()
        pack, clock = data.get("pack"), data.get("clock")
        if pack and clock:
            try:
                data["clock_obj"] = get_pack(pack).clock(clock)
            except UnknownClock as error:
                self.add_error("clock", f"The {pack} rule pack has no {clock} clock. "
                                        f"Choose one of: {', '.join(error.choices)}")
        return data


class DeadlineFilterForm(forms.Form):
    """Filters for the Deadlines page; the choices are the kinds and agencies the board's clocks have now."""

    clock = forms.ChoiceField(label="Deadline", required=False)
    agency = forms.ChoiceField(label="Agency", required=False)

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = sorted({d.view.name for d in rows})
        agencies = sorted({a for d in rows for a in d.agencies})
        self.fields["clock"].choices = [("", "All deadlines")] + [(k, k) for k in kinds]
        self.fields["agency"].choices = [("", "All agencies")] + [(a, a) for a in agencies]
