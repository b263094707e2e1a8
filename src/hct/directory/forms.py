from django import forms

from hct.core.forms import DateInput, Form, choice_field, label_choices, model_choice_field
from hct.directory.importer.sources import MAX_FILE_BYTES
from hct.directory.models import TaxonomyTerm
from hct.directory.schedules import DAY_NAMES, DAYS
from hct.places.models import Lsoa, Neighbourhood

ERROR_FILE_TOO_BIG = f"The file must be smaller than {MAX_FILE_BYTES // (1024 * 1024)} MB"
ERROR_TIMES = "The closing time must be after the opening time"
ERROR_DAYS = "Choose the days it is open, or leave the times empty"
ERROR_TIMES_NEEDED = "Give the opening and closing times, or leave the days empty"

SHOW = (
    ("all", "Services and community assets"),
    ("services", "Only services"),
    ("assets", "Only community assets"),
)
TOP_LEVEL_KINDS = (
    ("", "Work it out from the file"),
    ("service", "Services"),
    ("organization", "Organisations"),
    ("service_at_location", "Services at locations"),
    ("taxonomy", "Taxonomies"),
    ("taxonomy_term", "Taxonomy terms"),
)


def lsoa_label(lsoa: Lsoa) -> str:
    return f"{lsoa.ward.name}: {lsoa.name} ({lsoa.code})"


class FindHelpForm(Form):
    q = forms.CharField(
        required=False,
        max_length=200,
        label="Words to look for",
        help_text="In the name or description, for example ‘tea’ or ‘counselling’",
    )
    category = forms.ChoiceField(required=False, label="Category")
    neighbourhood = forms.ModelChoiceField(
        queryset=Neighbourhood.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label="Anywhere",
        label="In the neighbourhood",
    )
    near = forms.ModelChoiceField(
        queryset=Lsoa.objects.select_related("ward").order_by("ward__name", "name"),
        to_field_name="code",
        required=False,
        empty_label="Don't sort by distance",
        label="Nearest first from",
        help_text="The centre (population-weighted) of a small area (LSOA), by ward. Distances are as the crow flies.",
    )
    open_on = forms.DateField(
        required=False,
        label="Open on",
        widget=DateInput(),
        help_text="A date; leave empty for any day (or for today, if you give a time)",
        error_messages={"invalid": "Enter a real date, like 2026-03-27"},
    )
    open_at = forms.TimeField(
        required=False,
        label="At what time",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="A time, like 14:30",
        error_messages={"invalid": "Enter a time, like 14:30"},
    )
    show = forms.ChoiceField(
        choices=SHOW, required=False, initial="all", widget=forms.RadioSelect, label="Show"
    )

    def __init__(self, *args, terms=(), **kwargs):
        super().__init__(*args, **kwargs)
        label_choices(self, "near", lsoa_label)
        choice_field(self, "category").choices = [("", "Any category")] + [
            (str(choice.term.id), "– " * choice.depth + choice.term.name) for choice in terms
        ]


class ImportForm(Form):
    file = forms.FileField(
        label="ORUK file",
        help_text="JSON (a record, a list or a page of records), a CSV table named as the standard names it (services.csv, schedule.csv …), or a zip of them",
        error_messages={"required": "Choose a file to upload", "empty": "The file is empty"},
    )
    kind = forms.ChoiceField(
        choices=TOP_LEVEL_KINDS,
        required=False,
        label="What the JSON file holds",
        help_text="Only needed when the file's name does not say (service_list.json says services)",
    )
    valid_only = forms.BooleanField(
        required=False,
        label="Import the valid records and skip the others",
        help_text="Without this, any problem stops the whole import and nothing changes",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(ERROR_FILE_TOO_BIG)
        return upload


class CommunityAssetForm(Form):
    name = forms.CharField(
        max_length=500,
        label="Name",
        help_text="What people call it, for example ‘Daily cup of tea at the community centre’",
        error_messages={"required": "Enter the name of the community asset"},
    )
    description = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="What happens there",
        help_text="No names of people who go, and no street address",
    )
    run_by = forms.CharField(
        required=False, max_length=500, label="Who runs it", help_text="A group, not a person"
    )
    place_name = forms.CharField(
        required=False,
        max_length=500,
        label="Where",
        help_text="The name of the place, for example ‘the community centre’. It is shown at the centre of its small area, never at a street address.",
    )
    lsoa = forms.ModelChoiceField(
        queryset=Lsoa.objects.none(),
        to_field_name="code",
        label="Small area (LSOA)",
        error_messages={"required": "Choose the small area it is in"},
    )
    categories = forms.ModelMultipleChoiceField(
        queryset=TaxonomyTerm.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Categories",
    )
    days = forms.MultipleChoiceField(
        choices=list(zip(DAYS, DAY_NAMES, strict=True)),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Open on",
    )
    opens_at = forms.TimeField(
        required=False,
        label="Opens at",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": "Enter a time, like 10:00"},
    )
    closes_at = forms.TimeField(
        required=False,
        label="Closes at",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": "Enter a time, like 12:00"},
    )

    def __init__(self, *args, lsoas=None, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "lsoa").queryset = (
            lsoas if lsoas is not None else Lsoa.objects.none()
        )
        label_choices(self, "lsoa", lsoa_label)

    def clean(self):
        cleaned = super().clean()
        opens, closes, days = cleaned.get("opens_at"), cleaned.get("closes_at"), cleaned.get("days")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", ERROR_TIMES)
        if (opens or closes) and not days:
            self.add_error("days", ERROR_DAYS)
        if days and not (opens and closes) and not self.errors:
            self.add_error("opens_at", ERROR_TIMES_NEEDED)
        return cleaned
