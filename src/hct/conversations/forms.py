from django import forms

from hct.conversations.models import (
    ERROR_NAME_EMPTY,
    ICEBERG_PROMPTS,
    AttendeeSector,
    Contribution,
    IcebergLevel,
)
from hct.core.forms import Form, choice_field, label_choices, model_choice_field
from hct.journeys.models import Journey, Story
from hct.partnership.models import Cycle, Partner
from hct.people.forms import date_field
from hct.people.models import Person
from hct.systemmap.models import Link

LEVEL_CHOICES = [
    (level.value, f"{level.label}: {ICEBERG_PROMPTS[level]}") for level in IcebergLevel
]


def time_field(label: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=False,
        widget=forms.TimeInput(attrs={"type": "time", "class": "govuk-input govuk-input--width-5"}),
        error_messages={"invalid": "Enter a time like 18:30"},
    )


class ConversationForm(Form):
    number = forms.IntegerField(
        label="Which Big Conversation",
        min_value=1,
        max_value=99,
        help_text="1 (a humanising encounter), 2 (making sense), 3 (the plan) or a further one",
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-2"}),
        error_messages={
            "required": "Say which Big Conversation this is: 1, 2, 3 or a further one",
            "min_value": "Number the conversation 1 or more",
        },
    )
    title = forms.CharField(label="Title (optional)", max_length=200, required=False)
    purpose = forms.CharField(
        label="What it is for",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what the conversation is for"},
    )
    agenda = forms.CharField(
        label="Agenda (optional)",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="What happens when, one line each: ‘18:00 Tea’, ‘18:20 Sam's story’",
    )
    venue = forms.CharField(
        label="Venue",
        max_length=200,
        required=False,
        help_text="The place's name, such as ‘St Mary's church hall’. Never a home address.",
    )
    venue_hints = forms.CharField(label="How to find it (optional)", max_length=300, required=False)
    date = date_field("Date")
    starts_at = time_field("Starts at (optional until you send invitations)")
    ends_at = time_field("Ends at (optional)")
    places = forms.IntegerField(
        label="Places in the room (optional)",
        min_value=1,
        required=False,
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-4"}),
        error_messages={"min_value": "A room holds at least 1 person"},
    )
    open_to_neighbourhood = forms.BooleanField(
        label="People who live in the neighbourhood may sign themselves up",
        required=False,
        help_text="They see it on their own page, take a place or join the waiting list, "
        "and get a code for the door. Places you hold for a sector still count.",
    )


class CreateForm(ConversationForm):
    cycle = forms.ModelChoiceField(
        label="Cycle",
        queryset=Cycle.objects.none(),
        empty_label=None,
        error_messages={
            "required": "Choose the cycle",
            "invalid_choice": "Choose a cycle you work in",
        },
    )
    field_order = ["cycle"]

    def __init__(self, *args, cycles=None, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "cycle").queryset = cycles
        label_choices(
            self, "cycle", lambda c: f"{c.partnership}: cycle {c.number}, {c.neighbourhood}"
        )
        self.fields["cycle"].widget.attrs["class"] = "govuk-select"


SECTOR_CHOICES = list(AttendeeSector.choices)


class ParticipantForm(Form):
    name = forms.CharField(
        label="Name",
        max_length=120,
        help_text="As they want to be known. No contact details are kept here.",
        error_messages={"required": "Enter the name they want to be known by here"},
    )
    organisation = forms.CharField(
        label="Organisation or group (optional)", max_length=200, required=False
    )
    sector = forms.ChoiceField(
        label="Sector",
        choices=SECTOR_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the sector they come from"},
    )


class InviteForm(ParticipantForm):
    """An invitation may name the partner organisation they come from, so the closing report
    and the plan can tell which partners were in the room."""

    partner = forms.ModelChoiceField(
        label="A partner organisation (optional)",
        queryset=Partner.objects.none(),
        required=False,
        empty_label="None",
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"invalid_choice": "Choose an organisation of this partnership"},
    )
    person = forms.ModelChoiceField(
        label="Someone whose record we hold (optional)",
        queryset=Person.objects.none(),
        required=False,
        empty_label="Nobody",
        help_text="If they have joined, they see this invitation on their own page and answer it "
        "themselves. Leave the name blank to use the name on their record.",
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"invalid_choice": "Choose someone who lives in this neighbourhood"},
    )
    field_order = ["person", "name", "partner", "organisation", "sector"]

    def __init__(self, *args, partners=None, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "partner").queryset = partners
        model_choice_field(self, "person").queryset = people
        label_choices(self, "person", lambda person: person.alias)
        self.fields["name"].required = False

    def clean(self):
        data = super().clean()
        if not data.get("person") and not (data.get("name") or "").strip():
            self.add_error("name", ERROR_NAME_EMPTY)
        return data


class HeldPlacesForm(Form):
    def __init__(self, *args, current: dict[str, int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for sector in AttendeeSector:
            self.fields[sector.value] = forms.IntegerField(
                label=sector.label,
                min_value=0,
                required=False,
                initial=(current or {}).get(sector.value, 0),
                widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-3"}),
                error_messages={
                    "min_value": "Hold 0 places or more",
                    "invalid": "Enter a whole number",
                },
            )

    def held(self) -> dict[str, int]:
        return {name: value or 0 for name, value in self.cleaned_data.items()}


class CentreForm(Form):
    story = forms.ModelChoiceField(
        label="The story",
        queryset=Story.objects.none(),
        required=False,
        empty_label="No story at the centre",
        help_text="Only the stories of people who have agreed to them being told at a Big Conversation.",
        error_messages={"invalid_choice": "Choose one of the stories listed"},
    )
    journey = forms.ModelChoiceField(
        label="Their journey (optional)",
        queryset=Journey.objects.none(),
        required=False,
        empty_label="No journey",
        error_messages={"invalid_choice": "Choose one of the journeys listed"},
    )

    def __init__(self, *args, stories=None, journeys=None, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "story").queryset = stories
        label_choices(self, "story", lambda s: f"{s.person.alias}: {s.title or 'their story'}")
        model_choice_field(self, "journey").queryset = journeys
        label_choices(self, "journey", lambda j: f"{j.person.alias}: {j.title}")
        for name in ("story", "journey"):
            self.fields[name].widget.attrs["class"] = "govuk-select"


class ContributionForm(Form):
    kind = forms.ChoiceField(
        label="What was it",
        choices=Contribution.Kind.choices,
        initial=Contribution.Kind.NOTE,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label="What was said",
        widget=forms.Textarea(attrs={"rows": 3}),
        strip=False,
        help_text="As it was said. Shown exactly as typed.",
        error_messages={"required": "Write what was said, as it was said"},
    )
    speaker_sector = forms.ChoiceField(
        label="Who said it (their sector)",
        choices=[("", "Not said"), *SECTOR_CHOICES],
        required=False,
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    speaker_name = forms.CharField(
        label="Their name (only if they agree)", max_length=120, required=False
    )
    name_agreed = forms.BooleanField(label="They agree to be named", required=False)

    def clean(self):
        data = super().clean()
        if data.get("speaker_name", "").strip() and not data.get("name_agreed"):
            self.add_error("speaker_name", "Only name the speaker if they agree to be named")
        return data


class ClosingForm(Form):
    summary = forms.CharField(
        label="Summary",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What happened, what was heard, what comes next.",
        error_messages={"required": "Write a summary of the conversation"},
    )
    produced = forms.CharField(
        label="What else it produced (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class ItemForm(Form):
    level = forms.ChoiceField(
        label="Level",
        choices=LEVEL_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the level of the iceberg"},
    )
    text = forms.CharField(
        label="The item",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Write the iceberg item"},
    )


class MoveForm(Form):
    level = forms.ChoiceField(
        choices=IcebergLevel.choices,
        error_messages={"invalid_choice": "Choose one of the four levels"},
    )


class MergeForm(Form):
    into = forms.TypedChoiceField(
        label="Merge into",
        coerce=int,
        choices=[],
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={
            "required": "Choose the item it repeats",
            "invalid_choice": "Choose an item on this board",
        },
    )

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "into").choices = [
            (i.pk, f"{i.get_level_display()}: {i.text[:80]}") for i in items
        ]


class EvidenceForm(Form):
    KINDS = (
        ("contribution", "A contribution"),
        ("touchpoint", "A touchpoint of the journey"),
        ("gap", "A gap between services"),
        ("link", "A broken or missing link on the map"),
    )

    def __init__(self, *args, choices: dict[str, list] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in self.KINDS:
            self.fields[kind] = forms.TypedChoiceField(
                label=label,
                coerce=int,
                required=False,
                choices=[("", "None"), *(choices or {}).get(kind, [])],
                widget=forms.Select(attrs={"class": "govuk-select"}),
                error_messages={"invalid_choice": "Choose from the list"},
            )

    def clean(self):
        data = super().clean()
        chosen = [k for k, _ in self.KINDS if data.get(k) not in (None, "")]
        if len(chosen) != 1:
            self.add_error(None, "Choose exactly one thing to cite")
        else:
            self.cleaned_data["kind"], self.cleaned_data["pk"] = chosen[0], data[chosen[0]]
        return data


class MapLinkForm(Form):
    """A link on the neighbourhood's map as the room described it, cited by the item."""

    STATUSES = (
        ("broken", "Broken"),
        ("missing", "Missing"),
        ("strained", "Strained"),
        ("working", "Working"),
    )

    def __init__(self, *args, actors=(), neighbourhood: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        wrong = f"Choose an actor on {neighbourhood}'s map"
        choices = [("", "Choose an actor"), *((a.pk, a.name) for a in actors)]
        for name, label in (("from_actor", "From"), ("to_actor", "To")):
            self.fields[name] = forms.TypedChoiceField(
                label=label,
                coerce=int,
                choices=choices,
                widget=forms.Select(attrs={"class": "govuk-select"}),
                error_messages={"required": wrong, "invalid_choice": wrong},
            )
        self.fields["link_kind"] = forms.ChoiceField(
            label="Kind of link",
            choices=[("", "Choose a kind"), *Link.Kind.choices],
            widget=forms.Select(attrs={"class": "govuk-select"}),
            error_messages={
                "required": "Choose the kind of link",
                "invalid_choice": "Choose a kind of link from the list",
            },
        )
        self.fields["link_status"] = forms.ChoiceField(
            label="What the room said of it",
            choices=self.STATUSES,
            widget=forms.RadioSelect,
            error_messages={
                "required": "Say whether the link is broken, missing, strained or working"
            },
        )
        self.fields["link_note"] = forms.CharField(
            label="Note (optional)",
            required=False,
            max_length=300,
            help_text="What was said, in a line: it is shown beside the link on the map",
            widget=forms.TextInput(attrs={"class": "govuk-input"}),
            error_messages={"max_length": "Keep the note to 300 characters or fewer"},
        )

    def clean(self):
        data = super().clean()
        if data.get("from_actor") and data.get("from_actor") == data.get("to_actor"):
            self.add_error("to_actor", "Choose a different actor: a link joins two")
        return data


class AcceptThemeForm(Form):
    text = forms.CharField(
        label="The iceberg item, in your words",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Write the iceberg item"},
    )
    level = forms.ChoiceField(
        label="Level",
        choices=LEVEL_CHOICES,
        initial=IcebergLevel.PATTERNS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the level of the iceberg"},
    )


class ItemsField(forms.TypedMultipleChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            coerce=int,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"invalid_choice": "Choose iceberg items of this cycle"},
            **kwargs,
        )


def _item_choices(items) -> list[tuple[int, str]]:
    return [(i.pk, f"{i.get_level_display()}: {i.text[:100]}") for i in items]


class VisionForm(Form):
    text = forms.CharField(
        label="A better story",
        widget=forms.Textarea(attrs={"rows": 10}),
        strip=False,
        help_text="Written together: what the story would be if the system worked for people.",
        error_messages={"required": "Write the vision for a better story"},
    )
    answers = ItemsField(label="The iceberg items it answers")
    note = forms.CharField(label="What changed and why (optional)", max_length=300, required=False)

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "answers").choices = _item_choices(items)


class ActionForm(Form):
    title = forms.CharField(
        label="The action", max_length=200, error_messages={"required": "Say what the action is"}
    )
    description = forms.CharField(
        label="More about it (optional)", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    level = forms.ChoiceField(
        label="The level of the iceberg it works at",
        choices=LEVEL_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the level it works at"},
    )
    items = ItemsField(label="The evidence behind it: iceberg items")
    owner = forms.CharField(
        label="Who would own it (optional)",
        max_length=200,
        required=False,
        help_text="A role or a group, such as ‘Head of IAPT’ or ‘the Men's Shed’",
    )
    owner_partner = forms.ModelChoiceField(
        label="Their organisation in the partnership (optional)",
        queryset=Partner.objects.none(),
        required=False,
        empty_label="None",
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"invalid_choice": "Choose an organisation of this partnership"},
    )
    due_on = date_field("By when (optional)", required=False)

    def __init__(self, *args, items=(), partners=None, **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "items").choices = _item_choices(items)
        model_choice_field(self, "owner_partner").queryset = partners


class CodeForm(Form):
    code = forms.CharField(
        label="Their code",
        max_length=12,
        help_text="The six letters and numbers on their invitation",
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input govuk-input--width-10",
                "autocapitalize": "characters",
                "autocomplete": "off",
                "spellcheck": "false",
            }
        ),
        error_messages={"required": "Enter the code on their invitation"},
    )


class PlanSummaryForm(Form):
    summary = forms.CharField(
        label="The plan in a few words",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="What the plan sets out to change, for whom, and how we will know.",
    )
