from datetime import date

from django import forms
from django.contrib.auth import get_user_model

from hct.core.forms import DateInput, Form, choice_field, label_choices, model_choice_field
from hct.core.roles import Role
from hct.partnership import codes
from hct.partnership.models import STAGE_ORDER, CharterRevision, Partnership, Sector, Stage
from hct.partnership.services import StagePlan
from hct.places.models import Neighbourhood


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
        choice_field(self, "earlier").choices = choices
        choice_field(self, "later").choices = choices

    def clean(self):
        cleaned = super().clean()
        if not self.errors and cleaned["earlier"] == cleaned["later"]:
            raise forms.ValidationError("Choose two different revisions to compare")
        return cleaned


class AdvanceForm(Form):
    stage = forms.ChoiceField(choices=Stage.choices, label="Move to stage")
    on = forms.DateField(
        label="On",
        widget=DateInput(),
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


def _date_field(label: str, required: bool = False, initial=None) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        initial=initial,
        widget=DateInput(),
        error_messages={**_DATE_ERRORS, "required": f"Enter {label.lower()}"},
    )


class CycleStartForm(Form):
    """Start a cycle: where, when, the plan stage by stage, and who takes part. The stage dates
    are pairs of fields named `<stage>_start` and `<stage>_end`, as the service names them."""

    neighbourhood = forms.ModelChoiceField(
        queryset=Neighbourhood.objects.none(),
        label="Neighbourhood",
        empty_label="Choose a neighbourhood",
        error_messages={"required": "Choose the neighbourhood the cycle is in"},
    )
    # Today, worked out when the page is drawn (not when the server started).
    started_on = _date_field("The day the poolside stage starts", required=True, initial=date.today)
    participants = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        label="Who else will take part",
        help_text="You take part, as the one starting it. Choose the other facilitators and "
        "partner members: each one can then work on this neighbourhood's conversations, "
        "commitments and field notes.",
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label="Anything to note as you start (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, starter, neighbourhoods, members, **kwargs):
        super().__init__(*args, **kwargs)
        # The one who starts a cycle takes part in it: otherwise its neighbourhood would not be
        # in their scope and the cycle page they are sent to would refuse them.
        self.starter = starter
        model_choice_field(self, "neighbourhood").queryset = neighbourhoods
        model_choice_field(self, "participants").queryset = members.exclude(pk=starter.pk)
        label_choices(
            self,
            "participants",
            lambda user: f"{user.get_full_name() or user.username} ({user.get_role_display()})",
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
            "participants": [self.starter, *data["participants"]],
            "note": data["note"],
            "plan": plan,
        }


# Running the partnership (issue 14, item 4) and joining it (issue 13, item 1).


class PartnershipForm(Form):
    name = forms.CharField(
        label="Name of the partnership",
        max_length=200,
        error_messages={"required": "Enter the name of the partnership"},
    )
    description = forms.CharField(
        label="What the partnership is for (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class OrganisationForm(Form):
    name = forms.CharField(
        label="Name of the organisation",
        max_length=200,
        error_messages={"required": "Enter the name of the organisation"},
    )
    sector = forms.ChoiceField(
        label="What kind of organisation is it?",
        choices=Sector.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of organisation it is"},
    )
    description = forms.CharField(
        label="What they bring to the partnership (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def invitation_email_field() -> forms.EmailField:
    """An invitation's optional email: every invitation form asks for it the same way."""
    return forms.EmailField(
        label="Their email address (optional)",
        required=False,
        help_text="Many people have no email: you can give them the link or read out the code",
        error_messages={"invalid": "Enter an email address like name@example.org"},
    )


def invitation_days_field() -> forms.IntegerField:
    """How long an invitation lasts, in days."""
    return forms.IntegerField(
        label="Days before the invitation runs out",
        min_value=1,
        max_value=60,
        initial=14,
        error_messages={
            "required": "Enter a number of days",
            "invalid": "Enter a whole number of days",
            "min_value": "An invitation lasts from 1 to 60 days",
            "max_value": "An invitation lasts from 1 to 60 days",
        },
    )


def _neighbourhood_field(help_text: str) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        queryset=Neighbourhood.objects.order_by("name"),
        required=False,
        label="Neighbourhoods they work in",
        help_text=help_text,
        widget=forms.CheckboxSelectMultiple,
    )


def _organisation_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Organisation",
        empty_label="None (not with a partner organisation)",
    )


class MembershipForm(Form):
    partner = _organisation_field()
    title = forms.CharField(label="Job title (optional)", max_length=200, required=False)
    neighbourhoods = _neighbourhood_field(
        "A facilitator or partner sees the people and work of these neighbourhoods only"
    )
    is_lead = forms.BooleanField(
        label="Leads the partnership: can add organisations, invite people and end memberships",
        required=False,
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "partner").queryset = partnership.partners.all()


class MembershipEndForm(Form):
    reason = forms.CharField(
        label="Why is it ending? (optional, kept in the history)", max_length=300, required=False
    )


class InvitationForm(Form):
    invitee = forms.CharField(
        label="Who is it for?",
        max_length=120,
        help_text="So you can tell who has joined. For example ‘Priya, IAPT team’ or ‘Sam’",
        error_messages={"required": "Say who the invitation is for"},
    )
    role = forms.ChoiceField(
        label="What will they do?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what they will do"},
    )
    email = invitation_email_field()
    partner = _organisation_field()
    title = forms.CharField(label="Job title (optional)", max_length=200, required=False)
    neighbourhoods = _neighbourhood_field("For a facilitator or partner: their scope")
    is_lead = forms.BooleanField(
        label="They will lead the partnership (add organisations, invite people, end memberships)",
        required=False,
    )
    days = invitation_days_field()

    def __init__(self, *args, partnership, roles, **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "role").choices = [(r.value, r.label) for r in roles]
        model_choice_field(self, "partner").queryset = partnership.partners.all()
        if roles == [Role.COMMUNITY]:
            # A facilitator invites community members only: the staff fields would mean nothing.
            for name in ("partner", "title", "neighbourhoods", "is_lead"):
                del self.fields[name]
            self.fields["role"].initial = Role.COMMUNITY


class ConfirmForm(Form):
    """A form with nothing to fill in: the button is the answer."""


class JoinCodeForm(Form):
    code = forms.CharField(
        label="Your invitation code",
        max_length=40,
        help_text="8 letters and numbers, like KQ7M-4TXD. Capitals or small letters both work",
        error_messages={"required": "Enter the code from your invitation"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_code(self) -> str:
        try:
            return codes.code_parse(self.cleaned_data["code"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


class JoinForm(Form):
    first_name = forms.CharField(
        label="Your first name, or the name you like to be called (optional)",
        max_length=150,
        required=False,
    )
    username = forms.CharField(
        label="Choose a username",
        max_length=150,
        help_text="You will use it to sign in. Letters, numbers and @ . + - _ only",
        error_messages={"required": "Choose a username"},
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label="Choose a password",
        help_text="At least 12 characters. A few words you will remember works well",
        strip=False,
        error_messages={"required": "Choose a password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label="Type the password again",
        strip=False,
        error_messages={"required": "Type the password again"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("password")
            and cleaned.get("password_again")
            and cleaned["password"] != cleaned["password_again"]
        ):
            self.add_error("password_again", "The two passwords are not the same")
        return cleaned


class ChoosePartnershipForm(Form):
    """Which partnership a member of several works in now (the header's 'Working in')."""

    partnership: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=Partnership.objects.none(),
        label="Working in",
        empty_label=None,
        error_messages={
            "required": "Choose a partnership",
            "invalid_choice": "You are not a member of this partnership",
        },
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, partnerships=None, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "partnership").queryset = partnerships
        model_choice_field(self, "partnership").to_field_name = "slug"
