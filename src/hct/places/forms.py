from typing import cast

from django import forms
from django.db.models import Case, When

from hct.core.forms import Form, label_choices
from hct.places.models import Lsoa, Msoa, Neighbourhood
from hct.places.selectors import INDICATORS


class NeighbourhoodForm(Form):
    name = forms.CharField(
        max_length=120, error_messages={"required": "Enter a name for the neighbourhood"}
    )
    description = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional: how people there name it",
    )
    msoa = forms.ModelChoiceField(
        queryset=Msoa.objects.order_by("local_name"),
        required=False,
        label="Start from an MSOA",
        help_text="Adds all the LSOAs of this MSOA (House of Commons Library names)",
        empty_label="None",
    )
    lsoas = forms.ModelMultipleChoiceField(
        queryset=Lsoa.objects.select_related("ward").order_by("ward__name", "name"),
        required=False,
        label="LSOAs",
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick each LSOA in the neighbourhood",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_choices(self, "lsoas", lambda lsoa: f"{lsoa.name} ({lsoa.code}), {lsoa.ward.name}")

    def clean(self):
        cleaned = super().clean()
        lsoas = list(cleaned.get("lsoas") or [])
        msoa = cleaned.get("msoa")
        if msoa:
            lsoas += [lsoa for lsoa in msoa.lsoas.all() if lsoa not in lsoas]
        if not lsoas and not self.errors:
            self.add_error("lsoas", "Choose at least one LSOA, or an MSOA to start from")
        cleaned["all_lsoas"] = lsoas
        return cleaned


class WeightsForm(Form):
    """The weight of each indicator in the Where next score (0 leaves it out)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for indicator in INDICATORS:
            self.fields[indicator.key] = forms.IntegerField(
                label=indicator.label,
                help_text=indicator.explanation,
                min_value=0,
                max_value=10,
                initial=indicator.default_weight,
                widget=forms.NumberInput(attrs={"data-width": "2", "inputmode": "numeric"}),
                error_messages={
                    "min_value": "Enter a weight from 0 to 10",
                    "max_value": "Enter a weight from 0 to 10",
                    "invalid": "Enter a weight from 0 to 10 as a whole number",
                },
            )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any(cleaned.get(i.key) for i in INDICATORS):
            raise forms.ValidationError("Give at least one indicator a weight above 0")
        return cleaned


class WhereNextChoiceForm(Form):
    neighbourhoods = forms.ModelMultipleChoiceField(
        queryset=Neighbourhood.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Neighbourhoods to work in next",
        help_text="Choose up to six",
        error_messages={"required": "Choose at least one neighbourhood"},
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Why these neighbourhoods?",
        error_messages={"required": "Say why these neighbourhoods were chosen"},
    )

    def __init__(self, *args, ranked=(), **kwargs):
        super().__init__(*args, **kwargs)
        ids = [item.neighbourhood.pk for item in ranked]
        in_rank_order = Case(*[When(pk=pk, then=position) for position, pk in enumerate(ids)])
        cast(
            forms.ModelChoiceField, self.fields["neighbourhoods"]
        ).queryset = Neighbourhood.objects.filter(pk__in=ids).order_by(in_rank_order)
        by_id = {item.neighbourhood.pk: item for item in ranked}
        label_choices(
            self,
            "neighbourhoods",
            lambda n: f"{by_id[n.pk].rank}. {n.name} (score {by_id[n.pk].score:.0f})",
        )
