from django import forms

from hct.core.forms import DateInput, Form, choice_field, label_choices, model_choice_field
from hct.directory.forms import lsoa_label
from hct.learning.models import AssetFound, Lonely, ReportRun, WellbeingCheck
from hct.partnership.models import Stage
from hct.people.models import Consent
from hct.places.models import Lsoa

ERROR_DATE = "Enter a real date, like 2026-03-27"
ERROR_PERIOD = "The end of the period must not be before its start"
ERROR_CONSENT = "Answers can be recorded only when the person agrees: tick the box to say they did"


def date_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=DateInput(),
        error_messages={"invalid": ERROR_DATE, "required": f"Enter the date ({label.lower()})"},
    )


def text_field(label: str, *, required: bool = True, help_text: str = "", rows: int = 4):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": f"Fill in “{label}”"},
    )


class FieldNoteForm(Form):
    written_on = date_field("Day")
    where_useful = text_field(
        "Where we were useful",
        help_text="For example: fixed a curtain pole and a TV aerial, helped at the charity shop, called the raffle at the social club",
    )
    who_we_met = text_field(
        "Who we met",
        required=False,
        help_text="Groups, places and roles (the woman who runs the café). No full names.",
    )
    what_we_noticed = text_field("What we noticed", required=False)


class AssetFoundForm(Form):
    name = forms.CharField(
        max_length=200,
        label="Name",
        help_text="What people call it, for example ‘Tuesday coffee morning at St Mary's’",
        error_messages={"required": "Enter the asset's name"},
    )
    kind = forms.ChoiceField(
        choices=AssetFound.Kind.choices, widget=forms.RadioSelect, label="What kind of asset"
    )
    lsoa = forms.ModelChoiceField(
        queryset=Lsoa.objects.none(),
        to_field_name="code",
        label="Small area (LSOA)",
        help_text="It is shown at the centre of its small area, never at a street address",
        error_messages={"required": "Choose the small area it is in"},
    )
    description = text_field(
        "What happens there", required=False, help_text="No names of people who go"
    )
    run_by = forms.CharField(
        required=False, max_length=200, label="Who runs it", help_text="A group, not a person"
    )
    to_directory = forms.BooleanField(
        required=False, initial=True, label="Add it to the directory as a community asset"
    )
    to_map = forms.BooleanField(
        required=False, initial=True, label="Put it on the neighbourhood's system map"
    )

    def __init__(self, *args, lsoas=None, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "lsoa").queryset = (
            lsoas if lsoas is not None else Lsoa.objects.none()
        )
        label_choices(self, "lsoa", lsoa_label)


class LessonForm(Form):
    stage = forms.ChoiceField(
        choices=[("", "Not one stage"), *Stage.choices],
        required=False,
        label="Stage of the cycle it is about",
    )
    tried = text_field("What we tried")
    happened = text_field("What happened")
    learned = text_field("What we learned", help_text="No names of people: the board reads this")
    differently = text_field("What we will do differently")
    evidence = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="The evidence it rests on",
        help_text="Records of this cycle; conversations, commitments and matches appear here when they are recorded",
    )

    def __init__(self, *args, evidence_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "evidence").choices = [
            (value, f"{group}: {label}")
            for group, options in evidence_choices
            for value, label in options
        ]


SCORE_ERRORS = {
    "required": "Give an answer from 0 to 10",
    "invalid": "Give a whole number from 0 to 10",
    "min_value": "Give a whole number from 0 to 10",
    "max_value": "Give a whole number from 0 to 10",
}
SCALE = "0 means ‘not at all’, 10 means ‘completely’"


def score_field(question: int) -> forms.IntegerField:
    return forms.IntegerField(
        min_value=0,
        max_value=10,
        label=WellbeingCheck.QUESTIONS[question][1],
        help_text=SCALE,
        error_messages=SCORE_ERRORS,
        widget=forms.NumberInput(attrs={"data-width": "2", "inputmode": "numeric"}),
    )


class WellbeingForm(Form):
    wave = forms.ChoiceField(
        choices=WellbeingCheck.Wave.choices, widget=forms.RadioSelect, label="When is this"
    )
    asked_on = date_field("Asked on")
    life_satisfaction = score_field(0)
    worthwhile = score_field(1)
    happy = score_field(2)
    anxious = score_field(3)
    lonely = forms.ChoiceField(
        choices=Lonely.choices, widget=forms.RadioSelect, label="How often do you feel lonely?"
    )
    consent_how = forms.ChoiceField(
        choices=Consent.How.choices,
        widget=forms.RadioSelect,
        label="How they agreed",
    )
    consent = forms.BooleanField(
        label="They agreed to answer, and to their answers counting (unnamed, rounded) in published figures",
        error_messages={"required": ERROR_CONSENT},
    )


class PeriodForm(Form):
    start = date_field("From", required=False)
    end = date_field("To", required=False)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", ERROR_PERIOD)
        return cleaned


class ReportForm(PeriodForm):
    kind = forms.ChoiceField(
        choices=ReportRun.Kind.choices, widget=forms.RadioSelect, label="Which report"
    )
    start = date_field("From")
    end = date_field("To")

    field_order = ["kind", "start", "end"]


class SnapshotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.neighbourhood.name}: {obj.name} ({obj.created_at:%d %B %Y})"


class MapChangeForm(Form):
    """Two snapshots of one neighbourhood's system map (the selector refuses two of different
    neighbourhoods, and says so against the second)."""

    earlier = SnapshotChoiceField(queryset=None, label="Before", empty_label="Choose a snapshot")
    later = SnapshotChoiceField(queryset=None, label="After", empty_label="Choose a snapshot")

    def __init__(self, *args, snapshots, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "earlier").queryset = snapshots
        model_choice_field(self, "later").queryset = snapshots
