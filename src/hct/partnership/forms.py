from typing import cast

from django import forms

from hct.core.forms import Form
from hct.partnership.models import STAGE_ORDER, CharterRevision, Stage
from hct.partnership.services import StagePlan


class CharterForm(Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in CharterRevision.SECTIONS:
            self.fields[name] = forms.CharField(
                label=label,
                widget=forms.Textarea(attrs={"rows": 5}),
                error_messages={"required": f"Write something for “{label}”"},
            )
        self.fields["note"] = forms.CharField(
            label="What changed, and why?",
            max_length=300,
            required=False,
            help_text="A line for the history, for example ‘After our March away day’",
        )


class CompareForm(Form):
    earlier = forms.TypedChoiceField(coerce=int, label="Earlier revision")
    later = forms.TypedChoiceField(coerce=int, label="Later revision")

    def __init__(self, *args, numbers=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(n, f"Revision {n}") for n in numbers]
        cast(forms.ChoiceField, self.fields["earlier"]).choices = choices
        cast(forms.ChoiceField, self.fields["later"]).choices = choices

    def clean(self):
        cleaned = super().clean()
        if not self.errors and cleaned["earlier"] == cleaned["later"]:
            raise forms.ValidationError("Choose two different revisions to compare")
        return cleaned


class AdvanceForm(Form):
    stage = forms.ChoiceField(choices=Stage.choices, label="Move to stage")
    on = forms.DateField(
        label="On",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The day the current stage ends and the new one starts",
        error_messages={
            "required": "Enter the date",
            "invalid": "Enter a real date, like 2026-03-27",
        },
    )
    reason = forms.CharField(
        label="Why (needed when going back to an earlier stage)",
        required=False,
        max_length=300,
    )


_DATE_ERRORS = {"invalid": "Enter a real date, like 2027-03-27"}


def _date_field(label: str, required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={**_DATE_ERRORS, "required": f"Enter {label.lower()}"},
    )


class CycleStartForm(Form):
    """Start a cycle: where, when, the plan stage by stage, and who takes part. The stage dates
    are pairs of fields named `<stage>_start` and `<stage>_end`, as the service names them."""

    neighbourhood = forms.ModelChoiceField(
        queryset=None,
        label="Neighbourhood",
        empty_label="Choose a neighbourhood",
        error_messages={"required": "Choose the neighbourhood the cycle is in"},
    )
    started_on = _date_field("The day the poolside stage starts", required=True)
    participants = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label="Who will take part",
        help_text="Facilitators and partner members. Each one can then work on this "
        "neighbourhood's conversations, commitments and field notes.",
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label="Anything to note as you start (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, neighbourhoods, members, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["neighbourhood"]).queryset = neighbourhoods
        participants = cast(forms.ModelMultipleChoiceField, self.fields["participants"])
        participants.queryset = members
        participants.label_from_instance = lambda user: (  # type: ignore[method-assign,assignment]
            f"{user.get_full_name() or user.username} ({user.get_role_display()})"
        )
        for stage in STAGE_ORDER:
            self.fields[f"{stage.value}_start"] = _date_field(f"{stage.label}: planned start")
            self.fields[f"{stage.value}_end"] = _date_field(f"{stage.label}: planned end")

    def stage_fields(self):
        """(stage label, start field, end field) for each stage, for the page's table of dates."""
        return [
            (stage.label, self[f"{stage.value}_start"], self[f"{stage.value}_end"])
            for stage in STAGE_ORDER
        ]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        plan = {
            stage: StagePlan(data.get(f"{stage.value}_start"), data.get(f"{stage.value}_end"))
            for stage in STAGE_ORDER
        }
        return {
            "neighbourhood": data["neighbourhood"],
            "started_on": data["started_on"],
            "participants": list(data["participants"]),
            "note": data["note"],
            "plan": plan,
        }
