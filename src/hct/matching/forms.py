from django import forms
from django.utils import timezone

from hct.core.forms import Form, choice_field, model_choice_field
from hct.directory.models import Service
from hct.matching.models import (
    ERROR_NEGATIVE_CAPACITY,
    ERROR_NO_KINDS,
    ERROR_REACH,
    ERROR_WINDOW_ORDER,
    MAX_REACH_KM,
    Match,
    Weekday,
)
from hct.partnership.selectors import neighbourhoods_in_scope
from hct.people.forms import LsoaChoiceField, NeedForm, StrengthForm, date_field
from hct.people.models import Need, Person
from hct.people.selectors import lsoas_in, people_in_scope
from hct.places.models import Lsoa

ERROR_WHO = "Choose the person offering, or name the group"
ERROR_BOTH = "Choose a person or name a group, not both"
ERROR_WINDOW_PART = "Give the day, the time it starts and the time it ends, or none of them"


class ServiceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Service) -> str:
        return obj.name


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return obj.alias


class WindowFields(Form):
    """One weekly window, optional: a day and two times, all or none."""

    weekday = forms.TypedChoiceField(
        label="Day of the week",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Any day, any time"), *list(Weekday.choices)],
    )
    starts = forms.TimeField(
        label="From", required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    ends = forms.TimeField(
        label="Until", required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )

    def clean(self):
        data = super().clean()
        parts = [data.get("weekday"), data.get("starts"), data.get("ends")]
        if any(p is not None for p in parts) and not all(p is not None for p in parts):
            self.add_error("weekday", ERROR_WINDOW_PART)
        elif all(p is not None for p in parts) and data["ends"] <= data["starts"]:
            self.add_error("ends", ERROR_WINDOW_ORDER)
        return data

    def windows(self) -> list:
        data = self.cleaned_data
        if data.get("weekday") is None:
            return []
        return [(data["weekday"], data["starts"], data["ends"])]

    def service_arguments(self, data: dict | None = None) -> dict:
        """The cleaned data as a service takes it: the window's three fields as `windows`."""
        data = dict(self.cleaned_data if data is None else data)
        for key in ("weekday", "starts", "ends"):
            data.pop(key, None)
        return {**data, "windows": self.windows()}


class OfferDetailsForm(WindowFields):
    """What an offer is, whoever records it: kinds, words, reach, places a week, times."""

    kinds = forms.MultipleChoiceField(
        label="Kinds of help",
        choices=Need.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": ERROR_NO_KINDS},
    )
    in_their_words = forms.CharField(
        label="In their words", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reach_km = forms.FloatField(
        label="How far they can go, in km", initial=2, min_value=0, max_value=MAX_REACH_KM,
        error_messages={"min_value": ERROR_REACH, "max_value": ERROR_REACH,
                        "required": "Enter how far they can go"},
    )  # fmt: skip
    capacity_per_week = forms.IntegerField(
        label="How many people they can help in a week", initial=1, min_value=0,
        error_messages={"min_value": ERROR_NEGATIVE_CAPACITY,
                        "required": "Enter how many people they can help in a week"},
    )  # fmt: skip
    can_carry_shopping = forms.BooleanField(label="Can carry shopping", required=False)
    dog_friendly = forms.BooleanField(label="Dog-friendly", required=False)


class OfferForm(OfferDetailsForm):
    """A facilitator records an offer from anyone in their scope, or from a group."""

    person = PersonChoiceField(
        label="The person offering",
        required=False,
        queryset=Person.objects.none(),
        help_text="Someone who receives help can offer it too",
    )
    group_name = forms.CharField(
        label="Or the group offering", required=False, max_length=200,
        help_text="For example, the Men's Shed",
    )  # fmt: skip
    service = ServiceChoiceField(
        label="The group's listing in the directory, if it has one",
        required=False,
        queryset=Service.objects.none(),
    )
    base_lsoa = LsoaChoiceField(
        label="Where they set out from (small area)",
        queryset=Lsoa.objects.none(),
        help_text="The LSOA only, never an address",
        error_messages={"required": "Choose the small area they set out from"},
    )
    background_checked = forms.BooleanField(
        label="Background-checked (for befriending)", required=False
    )

    field_order = [
        "person", "group_name", "service", "kinds", "in_their_words", "base_lsoa", "reach_km",
        "capacity_per_week", "background_checked", "can_carry_shopping", "dog_friendly",
        "weekday", "starts", "ends",
    ]  # fmt: skip

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "person").queryset = people_in_scope(actor).order_by("alias")
        model_choice_field(self, "service").queryset = Service.objects.filter(
            status="active"
        ).order_by("name")
        model_choice_field(self, "base_lsoa").queryset = (
            lsoas_in(neighbourhoods_in_scope(actor))
            .select_related("ward")
            .distinct()
            .order_by("name")
        )

    def clean(self):
        data = super().clean()
        person, group = data.get("person"), (data.get("group_name") or "").strip()
        if person is None and not group:
            self.add_error("person", ERROR_WHO)
        elif person is not None and group:
            self.add_error("group_name", ERROR_BOTH)
        return data


# The same questions, asked of the person themselves in plain words.
MEMBER_OFFER_LABELS = {
    "kinds": ("What could you help with?", "Tick all that you could do"),
    "in_their_words": ("Tell us more, in your own words", "For example, I am free most mornings"),
    "reach_km": ("How far could you go, in km?", "1 km is about a 15 minute walk"),
    "capacity_per_week": ("How many people could you help in a week?", ""),
    "can_carry_shopping": ("I can carry shopping", ""),
    "dog_friendly": ("I am happy to be around dogs", ""),
    "weekday": ("Which day are you free?", "Leave this empty if any day suits you"),
    "starts": ("From what time?", "For example, 10:00"),
    "ends": ("Until what time?", "This must be later than the start time"),
}


class InTheirOwnWords:
    """A staff form's questions asked of the person themselves: `plain_words` maps each field
    to its label and hint."""

    plain_words: dict[str, tuple[str, str]] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (label, help_text) in self.plain_words.items():
            self.fields[name].label = label  # type: ignore[attr-defined]
            self.fields[name].help_text = help_text  # type: ignore[attr-defined]
        # GovukFormMixin has already made (and cached) bound fields with the old labels.
        self._bound_fields_cache.clear()  # type: ignore[attr-defined]


class MemberOfferForm(InTheirOwnWords, OfferDetailsForm):
    """A community member offers help themselves: it comes from them and sets out from their
    home area; a background check is for a facilitator to record, never self-declared."""

    plain_words = MEMBER_OFFER_LABELS

    field_order = [
        "kinds", "in_their_words", "weekday", "starts", "ends", "reach_km", "capacity_per_week",
        "can_carry_shopping", "dog_friendly",
    ]  # fmt: skip


class PreferencesForm(WindowFields):
    max_km = forms.FloatField(
        label="How far away the helper may be, in km", initial=3, min_value=0,
        max_value=MAX_REACH_KM,
        error_messages={"min_value": ERROR_REACH, "max_value": ERROR_REACH,
                        "required": "Enter how far away the helper may be"},
    )  # fmt: skip
    needs_dog_friendly = forms.BooleanField(label="The helper must be dog-friendly", required=False)
    needs_carrying = forms.BooleanField(
        label="The helper must be able to carry shopping", required=False
    )
    two_way = forms.BooleanField(
        label="Happy to be paired with someone nearby who also wants company (two-way)",
        required=False,
    )
    field_order = [
        "max_km",
        "needs_dog_friendly",
        "needs_carrying",
        "two_way",
        "weekday",
        "starts",
        "ends",
    ]


class RespondForm(Form):
    side = forms.ChoiceField(
        label="Who is answering",
        choices=[
            (Match.Side.NEED, "The person with the need"),
            (Match.Side.OFFER, "The other side"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who is answering"},
    )
    answer = forms.ChoiceField(
        label="Their answer",
        choices=[("accept", "Accepts"), ("decline", "Declines")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose their answer"},
    )


class EndForm(Form):
    on = date_field("The day it ended")
    outcome = forms.ChoiceField(
        label="How it went",
        choices=Match.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how it went"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class HoursForm(Form):
    hours = forms.DecimalField(
        label="Hours", max_digits=4, decimal_places=1, min_value=0.1, max_value=24,
        error_messages={"required": "Enter the hours", "min_value": "Hours must be more than 0",
                        "max_value": "Hours must be at most 24"},
    )  # fmt: skip
    on = date_field("The day")
    given_by = forms.ChoiceField(
        label="Who gave the time",
        choices=[
            (Match.Side.OFFER, "The person offering"),
            (Match.Side.NEED, "The person with the need"),
        ],
        widget=forms.RadioSelect,
        initial=Match.Side.OFFER,
    )


GAVE, RECEIVED = "gave", "received"


class MemberHoursForm(Form):
    """Time logged by someone in the match, in their words: "I gave" or "I received". Which
    they can say follows from their side: with an offer, the offerer gives; two-way, either."""

    hours = forms.DecimalField(
        label="How many hours?", max_digits=4, decimal_places=1, min_value=0.1, max_value=24,
        help_text="For example, 1.5 for an hour and a half",
        error_messages={"required": "Enter the hours", "min_value": "Hours must be more than 0",
                        "max_value": "Hours must be at most 24",
                        "invalid": "Enter a number of hours, like 1.5"},
    )  # fmt: skip
    on = date_field("Which day?", "For example, 2026-03-27")
    direction = forms.ChoiceField(
        label="Who gave the time?",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether you gave or received the time"},
    )

    def __init__(self, *args, match: Match, sides: set[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.match, self.sides = match, sides
        choices = []
        if Match.Side.OFFER in sides or match.two_way:
            choices.append((GAVE, "I gave the time"))
        if Match.Side.NEED in sides or match.two_way:
            choices.append((RECEIVED, "I received the time"))
        field = choice_field(self, "direction")
        field.choices = choices
        field.initial = choices[0][0] if len(choices) == 1 else None
        self.fields["on"].initial = timezone.localdate()

    def given_by(self) -> str:
        """The giving side, as the service takes it."""
        mine = Match.Side.NEED if Match.Side.NEED in self.sides else Match.Side.OFFER
        other = Match.Side.OFFER if mine == Match.Side.NEED else Match.Side.NEED
        return mine if self.cleaned_data["direction"] == GAVE else other


class MemberNeedForm(InTheirOwnWords, NeedForm, PreferencesForm):
    """A community member asks for help: the need (as a facilitator records it) and what
    matching must respect, on one page."""

    plain_words = {
        "kind": ("What would help you?", ""),
        "in_their_words": ("Tell us about it, in your own words", ""),
        "urgency": ("How soon do you need it?", ""),
        "max_km": ("How far away may the helper live, in km?", "1 km is about a 15 minute walk"),
        "needs_dog_friendly": ("The helper must be happy around dogs", ""),
        "needs_carrying": ("The helper must be able to carry shopping", ""),
        "two_way": ("I would like to meet someone nearby who also wants company", ""),
        "weekday": ("Which day suits you?", "Leave this empty if any day suits you"),
        "starts": ("From what time?", "For example, 10:00"),
        "ends": ("Until what time?", "This must be later than the start time"),
    }
    field_order = [
        "kind", "in_their_words", "urgency", "weekday", "starts", "ends", "max_km",
        "needs_dog_friendly", "needs_carrying", "two_way",
    ]  # fmt: skip


class MemberStrengthForm(InTheirOwnWords, StrengthForm):
    plain_words = {
        "kind": ("What could you give?", ""),
        "in_their_words": ("Tell us about it, in your own words", ""),
    }
