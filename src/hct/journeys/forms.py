from django import forms

from hct.core.forms import Form, choice_field
from hct.journeys.dates import WhenError, parse_when
from hct.journeys.models import Felt, Gap, What
from hct.people.forms import date_field
from hct.systemmap.models import SECTOR_ORDER, Actor

ERROR_WHO = "Choose who or what it was, or name someone new"
ERROR_NEW_KIND = "Say what kind of actor they are"
ERROR_BOTH = "Choose someone from the list, or name someone new, not both"
ERROR_FILE = "Choose a JSON or CSV file of journeys"


class StoryForm(Form):
    title = forms.CharField(
        label="Title (optional)",
        max_length=200,
        required=False,
        help_text="For example, ‘My story’",
    )
    text = forms.CharField(
        label="The story, in their own words",
        widget=forms.Textarea(attrs={"rows": 16}),
        strip=False,
        help_text="Kept exactly as typed, in any language. Line breaks are kept.",
        error_messages={"required": "Write the story in the person's own words"},
    )
    told_on = date_field("Told on", required=False)

    def __init__(self, *args, own: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if own:
            self.fields["title"].help_text = "For example, ‘My story’ or ‘Since 2018’"
            self.fields["text"].label = "My story, in my own words"
            self.fields["text"].help_text = (
                "We keep it just as you type it, in any language. What you write is shown as "
                "words only."
            )
            self.fields["text"].error_messages["required"] = "Write your story in your own words"
            self.fields["told_on"].label = "When I told it (optional)"


class QuoteForm(Form):
    text = forms.CharField(
        label="The passage, word for word",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Copy it from the story exactly. Mark only what they agree may be quoted.",
        error_messages={"required": "Choose a passage of the story to mark as a quote"},
    )
    agreed_on = date_field("They agreed on")


class JourneyForm(Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example, ‘Since 2018’ or ‘Getting help with my mental health’",
        error_messages={"required": "Give the journey a title"},
    )


def actor_choices(actors, *, sees_private: bool = True) -> list:
    groups: dict[str, list] = {sector.value: [] for sector in SECTOR_ORDER}
    for actor in actors:
        groups[actor.sector].append((actor.pk, actor.label_for(sees_private)))
    labels = dict((s.value, s.label) for s in SECTOR_ORDER)
    return [("", "Choose, or name someone new below")] + [
        (labels[sector], options) for sector, options in groups.items() if options
    ]


class TouchpointForm(Form):
    when = forms.CharField(
        label="When",
        max_length=60,
        help_text="As they remember it: 2018, spring 2019, March 2020, 12/03/2020, the 1990s",
        error_messages={"required": "Enter when it happened, for example 2018 or spring 2019"},
    )
    who = forms.TypedChoiceField(label="Who or what", coerce=int, required=False, empty_value=None)
    new_actor_name = forms.CharField(
        label="Or someone new: their name",
        max_length=200,
        required=False,
        help_text="For example, ‘The postman’ or ‘Sam's sister’ (names of family and friends stay private)",
    )
    new_actor_kind = forms.ChoiceField(
        label="What kind of actor they are",
        choices=[("", "Choose a kind"), *Actor.Kind.choices],
        required=False,
    )
    what = forms.ChoiceField(
        label="What happened",
        choices=What.choices,
        error_messages={"required": "Choose what happened"},
    )
    felt = forms.ChoiceField(
        label="How it felt",
        choices=Felt.choices,
        widget=forms.RadioSelect,
        initial=Felt.NEITHER,
        error_messages={"required": "Choose how it felt"},
    )
    note = forms.CharField(
        label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, actors=(), prefix_ids: str = "", **kwargs):
        if prefix_ids:
            kwargs.setdefault("auto_id", f"{prefix_ids}-%s")
        super().__init__(*args, **kwargs)
        choice_field(self, "who").choices = actor_choices(actors)

    def clean_when(self):
        text = self.cleaned_data["when"]
        try:
            parse_when(text)
        except WhenError as error:
            raise forms.ValidationError(str(error)) from None
        return text

    def clean(self):
        cleaned = super().clean()
        who, name = cleaned.get("who"), (cleaned.get("new_actor_name") or "").strip()
        if who and name:
            self.add_error("new_actor_name", ERROR_BOTH)
        elif not who and not name:
            self.add_error("who", ERROR_WHO)
        elif name and not cleaned.get("new_actor_kind"):
            self.add_error("new_actor_kind", ERROR_NEW_KIND)
        return cleaned


class GapForm(Form):
    before = forms.TypedChoiceField(
        label="Between",
        coerce=int,
        error_messages={"required": "Choose the touchpoint before the gap"},
    )
    after = forms.TypedChoiceField(
        label="And", coerce=int, error_messages={"required": "Choose the touchpoint after the gap"}
    )
    kind = forms.ChoiceField(
        label="What went wrong",
        choices=Gap.Kind.choices,
        error_messages={"required": "Choose what went wrong"},
    )
    note = forms.CharField(
        label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, touchpoints=(), **kwargs):
        kwargs.setdefault("auto_id", "gap-%s")
        super().__init__(*args, **kwargs)
        choices = [
            (t.pk, f"{t.position}. {t.get_what_display()} – {t.actor.name} ({t.when})")
            for t in touchpoints
        ]
        choice_field(self, "before").choices = [("", "Choose a touchpoint"), *choices]
        choice_field(self, "after").choices = [("", "Choose a touchpoint"), *choices]


class MoveForm(Form):
    direction = forms.ChoiceField(choices=[("up", "Up"), ("down", "Down")])


class ImportForm(Form):
    file = forms.FileField(
        label="A file of journeys (JSON or CSV)",
        help_text="In the format described in docs/journeys-format.md; at most 20 MB",
        error_messages={"required": ERROR_FILE},
    )


class StoryHelpForm(Form):
    note = forms.CharField(
        label="What would you like help with? (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, ‘I would like to add the time I went to the GP’",
    )


class SignifierForm(Form):
    kind = forms.ChoiceField(
        label="What kind of question",
        choices=[
            ("triad", "Three corners: the story is placed between three answers"),
            ("dyad", "A slider: the story is placed between two ends"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of question"},
    )
    question = forms.CharField(
        label="The question",
        max_length=200,
        help_text="For example, ‘What helped most?’",
        error_messages={"required": "Write the question"},
    )
    label_a = forms.CharField(label="First corner or end", max_length=60, required=False)
    label_b = forms.CharField(label="Second corner or end", max_length=60, required=False)
    label_c = forms.CharField(
        label="Third corner (three corners only)", max_length=60, required=False
    )


def _answers_shown(signifiers, answered: dict, field_name) -> dict[str, str]:
    """The answers already given, as the boxes show them: a triad's corners out of 10, a
    dyad's place out of 100 (stored as thousandths)."""
    initial = {}
    for signifier in signifiers:
        answer = answered.get(signifier.pk)
        if answer is None:
            continue
        if signifier.kind == "triad":
            corners = (answer.corner_a, answer.corner_b, answer.corner_c)
            for corner, value in enumerate(corners):
                initial[field_name(signifier, corner)] = f"{(value or 0) / 100:g}"
        else:
            initial[field_name(signifier)] = f"{(answer.slider or 0) / 10:g}"
    return initial


class SignifyForm(Form):
    """One fieldset for each question the cycle asks: a triad as three numbers from 0 to 10
    (how much of each), a dyad as one number from 0 to 100 (where between the two ends). The
    service reads, checks and normalises them; blank means not answered."""

    def __init__(self, *args, signifiers=(), field_name=None, answered=None, **kwargs):
        kwargs.setdefault("initial", _answers_shown(signifiers, answered or {}, field_name))
        super().__init__(*args, **kwargs)
        self.groups = []
        for signifier in signifiers:
            names = []
            if signifier.kind == "triad":
                for corner, label in enumerate(signifier.labels):
                    name = field_name(signifier, corner)
                    self.fields[name] = forms.CharField(
                        label=label,
                        required=False,
                        widget=forms.NumberInput(
                            attrs={
                                "min": 0,
                                "max": 10,
                                "step": "any",
                                "class": "govuk-input--width-3",
                            }
                        ),
                    )
                    names.append(name)
            else:
                name = field_name(signifier)
                self.fields[name] = forms.CharField(
                    label=f"0 means ‘{signifier.label_a}’, 100 means ‘{signifier.label_b}’",
                    required=False,
                    widget=forms.NumberInput(
                        attrs={"min": 0, "max": 100, "step": 1, "class": "govuk-input--width-3"}
                    ),
                )
                names.append(name)
            self.groups.append((signifier, names))

    def fieldsets(self):
        return [(signifier, [self[name] for name in names]) for signifier, names in self.groups]
