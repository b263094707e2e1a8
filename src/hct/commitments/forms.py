from django import forms

from hct.commitments.models import ERROR_PROGRESS_RANGE, Ask, Commitment, PublicComment, Status
from hct.conversations.models import Conversation, PlanAction
from hct.core.forms import Form, model_choice_field
from hct.partnership.models import Partner
from hct.people.forms import date_field as _date_field
from hct.places.models import Neighbourhood


def date_field(label: str, help_text: str = "", required: bool = True) -> forms.DateField:
    """A date field whose initial value a browser's date input can show (it takes only ISO)."""
    field = _date_field(label, help_text, required)
    field.widget.format = "%Y-%m-%d"
    return field


class PartnerChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class CommitmentForm(Form):
    """What is promised, by whom, by when; and where it sits among other commitments."""

    neighbourhood = forms.ModelChoiceField(
        queryset=Neighbourhood.objects.none(),
        label="Neighbourhood",
        error_messages={"required": "Choose the neighbourhood the commitment is for"},
    )
    title = forms.CharField(
        label="What is promised",
        max_length=300,
        error_messages={"required": "Say what is promised"},
    )
    description = forms.CharField(
        label="More about it", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    owner = forms.ModelChoiceField(
        queryset=Partner.objects.none(),
        label="Organisation that owns it",
        error_messages={"required": "Choose the organisation that owns the commitment"},
    )
    lead_role = forms.CharField(
        label="Role that leads it",
        max_length=200,
        help_text="A role, not a person's name: for example Head of IAPT. The public pages show it.",
        error_messages={"required": "Say which role leads it"},
    )
    partners = PartnerChoices(
        queryset=None,
        label="Other organisations working on it",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    plan_action = forms.ModelChoiceField(
        queryset=PlanAction.objects.none(),
        label="The action of the plan it carries out",
        required=False,
        empty_label="None: it was made directly",
    )
    conversation = forms.ModelChoiceField(
        queryset=Conversation.objects.none(),
        label="The Big Conversation it answers",
        required=False,
        empty_label="None",
        help_text="Filled in from the plan when you choose an action",
    )
    answers = forms.CharField(
        label="What it answers, in words",
        max_length=300,
        required=False,
        help_text="When no action or conversation fits",
    )
    in_reply_to = forms.ModelChoiceField(
        queryset=Ask.objects.none(),
        label="In reply to a campaign's ask",
        required=False,
        empty_label="No",
    )
    made_on = date_field("Made on", "The day the promise was made")
    due_on = date_field("Due on", "The day it will be done by")
    parent = forms.ModelChoiceField(
        queryset=Commitment.objects.none(),
        label="Part of another commitment",
        required=False,
        empty_label="No: it stands on its own",
        help_text="Its progress will count towards that commitment's",
    )
    weight = forms.DecimalField(
        label="Weight in the parent's progress",
        required=False,
        min_value=0,
        max_digits=6,
        decimal_places=2,
        help_text="Leave empty to count every part alike",
        error_messages={
            "invalid": "Enter the weight as a number, like 0.5",
            "min_value": "A weight cannot be negative",
        },
    )

    def __init__(
        self,
        *args,
        neighbourhoods,
        owners,
        parents,
        asks,
        actions,
        conversations,
        editing=False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "plan_action").queryset = actions
        model_choice_field(self, "conversation").queryset = conversations
        model_choice_field(self, "in_reply_to").queryset = asks
        model_choice_field(self, "neighbourhood").queryset = neighbourhoods
        model_choice_field(self, "owner").queryset = owners
        model_choice_field(self, "partners").queryset = owners
        model_choice_field(self, "parent").queryset = parents
        if editing:
            # Where and by whom were part of the promise: they are not edited afterwards.
            for name in ("neighbourhood", "owner", "made_on"):
                del self.fields[name]


class ReportForm(Form):
    """Where a commitment stands now."""

    status = forms.ChoiceField(
        choices=Status.choices,
        label="Status",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the status"},
    )
    progress = forms.IntegerField(
        label="Progress (%)",
        required=False,
        help_text="From 0 to 100. Leave empty to use the status's usual progress.",
        error_messages={"invalid": "Enter progress as a whole number from 0 to 100"},
    )
    dropped_reason = forms.CharField(
        label="If dropped: why",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    note = forms.CharField(
        label="What has happened", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    on = date_field("On", "The day this is true from")

    def clean_progress(self):
        progress = self.cleaned_data.get("progress")
        if progress is not None and not 0 <= progress <= 100:
            raise forms.ValidationError(ERROR_PROGRESS_RANGE)
        return progress


class MilestoneForm(Form):
    on = date_field("Date", "The day it happened")
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Give the milestone a title"}
    )
    description = forms.CharField(
        label="What happened", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    evidence = forms.CharField(
        label="Evidence",
        required=False,
        help_text="Where anyone can see it for themselves: a link, a document, a meeting",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class QuestionForm(Form):
    text = forms.CharField(
        label="Your question",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="It is shown on the public page without your name. Do not write anyone's name.",
        error_messages={"required": "Write your question"},
    )


class FeedbackForm(Form):
    verdict = forms.ChoiceField(
        label="Is this what you asked for?",
        choices=PublicComment.Verdict.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the update is what you asked for"},
    )
    text = forms.CharField(
        label="Anything to add (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The owning organisation reads it. Do not write anyone's name.",
    )


class AnswerForm(Form):
    text = forms.CharField(
        label="Your answer",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Shown on the public page under the question, with your organisation's name.",
        error_messages={"required": "Write the answer"},
    )


class FlagForm(Form):
    reason = forms.CharField(
        label="What is wrong with it? (optional)",
        required=False,
        max_length=300,
        help_text="For example: it names someone, or it is abusive",
    )


class HideForm(Form):
    reason = forms.CharField(
        label="Why hide it?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The person who wrote it sees this reason",
        error_messages={"required": "Say why it is hidden"},
    )


class RestoreForm(Form):
    pass


class CampaignForm(Form):
    neighbourhood = forms.ModelChoiceField(
        queryset=Neighbourhood.objects.none(),
        label="Neighbourhood",
        error_messages={"required": "Choose the neighbourhood the campaign is in"},
    )
    title = forms.CharField(
        label="Name of the campaign",
        max_length=200,
        error_messages={"required": "Give the campaign its name"},
    )
    led_by = forms.CharField(
        label="Led by",
        max_length=200,
        help_text="The group that leads it, for example Lift Me Up. Not a person's name.",
        error_messages={"required": "Say which group leads it"},
    )
    about = forms.CharField(
        label="What it wants to change, and why",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    started_on = date_field("Started on")
    supporters_elsewhere = forms.IntegerField(
        label="Supporters counted elsewhere",
        min_value=0,
        initial=0,
        help_text="Signatures on paper or at events, counted by the campaign",
        error_messages={
            "required": "Enter a number, 0 if none",
            "invalid": "Enter a whole number",
            "min_value": "The number cannot be negative",
        },
    )

    def __init__(self, *args, neighbourhoods, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "neighbourhood").queryset = neighbourhoods


class AskForm(Form):
    to_whom = forms.CharField(
        label="Asked of",
        max_length=200,
        help_text="The authority or the managers asked, for example Managers of city parks",
        error_messages={"required": "Say whom it is asked of"},
    )
    what = forms.CharField(
        label="What is asked",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what the campaign asks for"},
    )
    asked_on = date_field("Asked on")


class MeetingForm(Form):
    held_on = date_field("Held on")
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Give the meeting a title"}
    )
    with_whom = forms.CharField(
        label="With",
        max_length=200,
        help_text="Organisations and roles, not names",
        error_messages={"required": "Say whom the campaign met"},
    )
    outcome = forms.CharField(
        label="What came of it", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class SupportForm(Form):
    pass


class MemberCampaignForm(Form):
    """A community member starts a campaign: what, where, why, and its first ask. The field
    names of the ask are the ones `campaign_create` names in its errors."""

    title = forms.CharField(
        label="What is your campaign called?",
        max_length=200,
        help_text="For example: Clean up the river path",
        error_messages={"required": "Give the campaign a name"},
    )
    neighbourhood = forms.ModelChoiceField(
        queryset=Neighbourhood.objects.none(),
        label="Where is it?",
        error_messages={"required": "Choose where the campaign is"},
    )
    about = forms.CharField(
        label="What do you want to change, and why?",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Say what you want to change, and why"},
    )
    led_by = forms.CharField(
        label="Who is leading it?",
        max_length=200,
        help_text="The name of your group, for example Lift Me Up. Not a person's name.",
        error_messages={"required": "Say which group is leading it"},
    )
    ask_0_to_whom = forms.CharField(
        label="Which organisation are you asking?",
        max_length=200,
        help_text="For example: the council's parks team",
        error_messages={"required": "Say which organisation you are asking"},
    )
    ask_0_what = forms.CharField(
        label="What are you asking them to do?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what you are asking them to do"},
    )

    def __init__(self, *args, neighbourhoods, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "neighbourhood").queryset = neighbourhoods


class ReviewForm(Form):
    decision = forms.ChoiceField(
        label="Can it be public?",
        choices=[("approve", "Yes: make it public"), ("decline", "No: keep it from the public")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose yes or no"},
    )
    reason = forms.CharField(
        label="If not, why not?",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The person who started it sees this",
    )
