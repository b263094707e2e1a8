"""Forms for the map: a link drawn by hand, a change to one, an actor, a route to find."""

from django import forms

from hct.core.forms import Form, choice_field
from hct.systemmap.models import Actor, Link

ERROR_CHOOSE_ACTOR = "Choose an actor from the list"
SHARED_KINDS = [(k, label) for k, label in Actor.Kind.choices if k not in Actor.PERSONAL_KINDS]


class ActorChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Actor) -> str:
        return f"{obj.label_for(False)} ({obj.get_kind_display()})"


class LinkFields(Form):
    status = forms.ChoiceField(choices=Link.Status.choices, widget=forms.RadioSelect)
    direction = forms.ChoiceField(choices=Link.Direction.choices, widget=forms.RadioSelect)
    strength = forms.TypedChoiceField(
        choices=[("", "Not known"), *[(n, str(n)) for n in range(1, 6)]],
        coerce=int,
        empty_value=None,
        required=False,
        help_text="1 (weak) to 5 (strong)",
    )
    polarity = forms.ChoiceField(
        choices=Link.Polarity.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text="Does more of the first bring more of the second, or less? For feedback loops.",
    )
    note = forms.CharField(max_length=300, required=False, label="Note (optional)")


class LinkForm(LinkFields):
    field_order = ["from_actor", "to_actor", "kind", "status", "direction"]

    def __init__(self, *args, actors, **kwargs):
        super().__init__(*args, **kwargs)
        error = {"required": ERROR_CHOOSE_ACTOR, "invalid_choice": ERROR_CHOOSE_ACTOR}
        self.fields["from_actor"] = ActorChoice(
            actors.order_by("name"), label="From", error_messages=error
        )
        self.fields["to_actor"] = ActorChoice(
            actors.order_by("name"), label="To", error_messages=error
        )
        self.fields["kind"] = forms.ChoiceField(
            choices=Link.Kind.choices, label="Kind of link", widget=forms.RadioSelect
        )
        self.order_fields(self.field_order)
        self.initial.setdefault("status", Link.Status.WORKING)
        self.initial.setdefault("direction", Link.Direction.FORWARD)


class LinkChangeForm(LinkFields):
    hand_back = forms.BooleanField(
        required=False,
        label="Let journeys set this link's status again",
    )

    def __init__(self, *args, link: Link, **kwargs):
        initial = {name: getattr(link, name) for name in services_fields()}
        super().__init__(*args, initial=initial, **kwargs)

    @staticmethod
    def changes(data: dict) -> dict:
        changes = {name: data[name] for name in services_fields()}
        if data.get("hand_back"):
            changes["status_by_hand"] = False
            changes.pop("status")
        return changes


def services_fields() -> tuple[str, ...]:
    return ("status", "direction", "strength", "polarity", "note")


class ActorForm(Form):
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=SHARED_KINDS, widget=forms.RadioSelect)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class PathForm(Form):
    source = forms.TypedChoiceField(coerce=int, label="From")
    target = forms.TypedChoiceField(coerce=int, label="To")

    def __init__(self, *args, actors, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Choose an actor"), *[(n.id, n.label) for n in actors]]
        for name in ("source", "target"):
            choice_field(self, name).choices = choices
            self.fields[name].error_messages["required"] = ERROR_CHOOSE_ACTOR
            self.fields[name].error_messages["invalid_choice"] = ERROR_CHOOSE_ACTOR


class MapImportForm(Form):
    file = forms.FileField(
        label="Map file",
        help_text="GraphML (.graphml), GEXF (.gexf), a Kumu blueprint (.json) or a PRSM workbook "
        "(.xlsx, with Factors and Links sheets). Actors are matched by name with those already "
        "on the map.",
        error_messages={"required": "Choose a map file to import"},
    )


class SnapshotForm(Form):
    name = forms.CharField(
        max_length=120,
        label="Name of the snapshot",
        help_text="For example “Before cycle 1”",
        error_messages={"required": "Enter a name for the snapshot"},
    )
