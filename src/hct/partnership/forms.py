from typing import cast

from django import forms

from hct.core.forms import Form
from hct.partnership.models import CharterRevision, Stage


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
