from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from hct.core.forms import DateInput, Form, model_choice_field
from hct.core.roles import Role
from hct.partnership.forms import invitation_days_field, invitation_email_field
from hct.partnership.selectors import neighbourhoods_in_scope, partnerships_for
from hct.people.models import Consent, Need, Person, Purpose, Strength
from hct.people.selectors import lsoas_in
from hct.places.models import Lsoa

User = get_user_model()

DATE_ERRORS = {"required": "Enter the date", "invalid": "Enter a real date, like 2026-03-27"}


def date_field(label: str, help_text: str = "", required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=DateInput(),
        error_messages=DATE_ERRORS,
    )


class LsoaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Lsoa) -> str:
        return f"{obj.name} ({obj.code}), {obj.ward.name}"


class FacilitatorsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


class AccountField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.username


class PersonForm(Form):
    alias = forms.CharField(
        label="The name they want to be known by here",
        max_length=120,
        help_text="Not their real name unless they want it, e.g. “Sam (not his real name)”",
        error_messages={"required": "Enter the name this person wants to be known by here"},
    )
    shared = forms.CharField(
        label="What they chose to share about themselves",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="In their words. Nothing that would identify them: who they are goes in the identity record.",
    )
    home_lsoa = LsoaChoiceField(
        label="Where they live (small area)",
        queryset=Lsoa.objects.none(),
        help_text="The LSOA only, never an address",
        error_messages={"required": "Choose the small area where they live"},
    )
    facilitators = FacilitatorsField(
        label="Their named facilitators",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Only named facilitators can see who they are and change their record",
        error_messages={"required": "Name at least one facilitator"},
    )
    user = AccountField(
        label="Their own account (if they have one)",
        queryset=User.objects.none(),
        required=False,
        empty_label="No account",
    )

    def __init__(self, *args, actor, person: Person | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        in_scope = lsoas_in(neighbourhoods_in_scope(actor)).values("pk")
        lsoas = Lsoa.objects.filter(pk__in=in_scope)
        if person is not None:
            lsoas = lsoas | Lsoa.objects.filter(pk=person.home_lsoa_id)
        model_choice_field(self, "home_lsoa").queryset = (
            Lsoa.objects.filter(pk__in=lsoas).select_related("ward").order_by("name")
        )
        model_choice_field(self, "facilitators").queryset = (
            User.objects.filter(
                role=Role.FACILITATOR, memberships__partnership__in=partnerships_for(actor)
            )
            .distinct()
            .order_by("first_name", "username")
        )
        free = User.objects.filter(role=Role.COMMUNITY, person__isnull=True)
        if person is not None and person.user_id:
            free = free | User.objects.filter(pk=person.user_id)
        model_choice_field(self, "user").queryset = free.order_by("username")


class IdentityForm(Form):
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter their name"}
    )
    contact = forms.CharField(
        label="How to contact them",
        max_length=300,
        required=False,
        help_text="Phone, email, or how they like to be reached",
    )
    address = forms.CharField(
        label="Address",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept encrypted and shown only to their named facilitators",
    )


class ConsentsForm(Form):
    """A facilitator records what the person agrees to now: every purpose at once, ticked for
    yes, so giving some and withdrawing others is one submit."""

    purposes = forms.MultipleChoiceField(
        label="What they agree to now",
        help_text="Untick a purpose to withdraw it: that takes effect everywhere at once.",
        choices=Purpose.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    on = date_field("On", "The day they said so.")
    how = forms.ChoiceField(
        label="How they gave it (for anything newly ticked)",
        choices=Consent.How.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    note = forms.CharField(label="Note (optional)", max_length=300, required=False)

    def __init__(self, *args, current=(), **kwargs):
        kwargs.setdefault("initial", {"on": timezone.localdate(), "purposes": list(current)})
        super().__init__(*args, **kwargs)


class MyConsentsForm(Form):
    """The person's own answer: one tick a purpose, all on one form."""

    purposes = forms.MultipleChoiceField(
        choices=Purpose.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, current=(), **kwargs):
        kwargs.setdefault("initial", {"purposes": list(current)})
        super().__init__(*args, **kwargs)


class NeedForm(Form):
    kind = forms.ChoiceField(
        label="What kind of need",
        choices=Need.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of need it is"},
    )
    in_their_words = forms.CharField(
        label="In their words",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write the need in the person's own words"},
    )
    urgency = forms.ChoiceField(
        label="How soon",
        choices=Need.Urgency.choices,
        widget=forms.RadioSelect,
        initial=Need.Urgency.ROUTINE,
        error_messages={"required": "Choose how soon"},
    )


class StrengthForm(Form):
    kind = forms.ChoiceField(
        label="What they can give",
        choices=Strength.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what they can give"},
    )
    in_their_words = forms.CharField(
        label="In their words",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write it in the person's own words"},
    )


class MetForm(Form):
    on = date_field("Met on")


class PersonInviteForm(Form):
    email = invitation_email_field()
    days = invitation_days_field()
