"""Forms for describing a service, setting up a scenario, importing and citing."""

import datetime as dt

from django import forms

from hct.commitments.models import Commitment
from hct.conversations.models import IcebergItem, PlanAction
from hct.core.forms import DateInput, Form, ModelForm, model_choice_field
from hct.flexibility.models import Description, Scenario
from hct.partnership.models import Partner
from hct.places.models import Neighbourhood

DESCRIPTION_FIELDS = [
    "described_on",
    "referrals_per_week",
    "sessions_per_week",
    "sessions_per_course",
    "change_percent",
    "notice_days",
    "dna_percent",
    "change_rule",
    "held_back_percent",
    "held_back_days",
    "dna_rule",
    "dna_limit",
    "sources",
    "source_url",
]

# Typical figures to start from, not any one service's: the people who run the service replace
# them with their own. The waiting-time standards (75% within 6 weeks, 95% within 18) are what
# results are compared against.
STARTING_FIGURES = {
    "referrals_per_week": 20,
    "sessions_per_week": "150",
    "sessions_per_course": 6,
    "change_percent": 20,
    "notice_days": 3,
    "dna_percent": 10,
    "change_rule": "back",
    "held_back_percent": 0,
    "held_back_days": 7,
    "dna_rule": "discharge",
    "dna_limit": 2,
}


class DescriptionForm(ModelForm):
    source_url = forms.URLField(
        label="Source link (optional)", required=False, assume_scheme="https", max_length=200
    )

    class Meta:
        model = Description
        fields = DESCRIPTION_FIELDS
        widgets = {
            # A date input takes only ISO dates: a browser drops "07/12/2026" and posts nothing.
            "described_on": DateInput(),
            "change_rule": forms.RadioSelect,
            "dna_rule": forms.RadioSelect,
            "sources": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "described_on": {"required": "Enter the date these figures describe"},
        }
        help_texts = {
            "referrals_per_week": "On average, over a recent period",
            "sessions_per_week": (
                "Whole numbers, one a week, repeating: “40” every week, “40, 40, 40, 32”, "
                "or “40 x 48, 30 x 4” for 48 weeks of 40 then 4 of 30"
            ),
            "sessions_per_course": "One session a week",
            "change_percent": "People who have to change their first appointment",
            "held_back_percent": "Only for the held-back rule",
            "held_back_days": "Only for the held-back rule",
            "sources": "Where these figures came from: a report, a system, someone's estimate",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.instance.pk:
            for name, value in STARTING_FIGURES.items():
                self.initial.setdefault(name, value)
            self.initial.setdefault("described_on", dt.date.today())


class ServiceForm(DescriptionForm):
    name = forms.CharField(label="Service", max_length=200)
    neighbourhood = forms.ModelChoiceField(queryset=Neighbourhood.objects.none(), empty_label=None)
    runs_it = forms.ModelChoiceField(
        label="Partner that runs it", queryset=Partner.objects.none(), required=False
    )

    field_order = ["name", "neighbourhood", "runs_it", *DESCRIPTION_FIELDS]

    def __init__(self, *args, neighbourhoods, partners, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "neighbourhood").queryset = neighbourhoods
        model_choice_field(self, "runs_it").queryset = partners
        self.order_fields(self.field_order)


class ScenarioForm(ModelForm):
    class Meta:
        model = Scenario
        fields = [
            "name",
            "change_rule",
            "held_back_percent",
            "held_back_days",
            "dna_rule",
            "dna_limit",
            "extra_sessions",
            "horizon_weeks",
            "warmup_weeks",
            "replications",
            "seed",
        ]
        widgets = {"change_rule": forms.RadioSelect, "dna_rule": forms.RadioSelect}
        help_texts = {
            "replications": "Runs with different random numbers, for the 95% intervals (at most 200)",
            "seed": "The same seed gives the same results",
            "horizon_weeks": "At most 520 (10 years)",
        }


class ImportForm(Form):
    file = forms.FileField(label="A service description (JSON)")
    neighbourhood = forms.ModelChoiceField(queryset=Neighbourhood.objects.none(), empty_label=None)

    def __init__(self, *args, neighbourhoods, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "neighbourhood").queryset = neighbourhoods


class CiteForm(Form):
    iceberg_item = forms.ModelChoiceField(
        label="An iceberg item (a structure)", queryset=IcebergItem.objects.none(), required=False
    )
    plan_action = forms.ModelChoiceField(
        label="A plan action", queryset=PlanAction.objects.none(), required=False
    )
    commitment = forms.ModelChoiceField(
        label="A commitment", queryset=Commitment.objects.none(), required=False
    )
    note = forms.CharField(
        label="What it shows (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        for name, queryset in targets.items():
            model_choice_field(self, name).queryset = queryset

    def clean(self):
        cleaned = super().clean()
        chosen = [n for n in ("iceberg_item", "plan_action", "commitment") if cleaned.get(n)]
        if len(chosen) != 1:
            raise forms.ValidationError("Choose exactly one thing to cite the scenario on")
        return cleaned
