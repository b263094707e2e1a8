"""Commitments: what those in authority promised, and how they are keeping their word.

A commitment is owned by one organisation of the partnership and led by a role in it (a job title,
never a person's name: the public pages show it). It is due on a date, has a status and a progress
percentage, dated milestones with a title, and may be split into sub-commitments whose progress
rolls up to it (Decidim Accountability's results, with CONSUL's titled milestones).
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from hct.partnership.models import Partner, Partnership
from hct.places.models import Neighbourhood

ERROR_DUE_BEFORE_MADE = "The due date cannot be before the day the commitment was made"
ERROR_PROGRESS_RANGE = "Progress is a percentage from 0 to 100"
ERROR_DROPPED_NEEDS_REASON = "Say why the commitment was dropped"
ERROR_TITLE_EMPTY = "Say what is promised"
ERROR_MILESTONE_TITLE_EMPTY = "Give the milestone a title"
ERROR_WEIGHT_NEGATIVE = "A weight cannot be negative"


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    AT_RISK = "at_risk", "At risk"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


# The progress a status implies when the person changing it does not say (Decidim's Status has a
# default progress). None: keep the progress as it was (at risk says nothing about how far along).
DEFAULT_PROGRESS: dict[str, int | None] = {
    Status.NOT_STARTED: 0,
    Status.IN_PROGRESS: 10,
    Status.AT_RISK: None,
    Status.DONE: 100,
    Status.DROPPED: None,
}

# GOV.UK tag colours; the status is always written out too, so colour is never the only sign.
STATUS_TAGS = {
    Status.NOT_STARTED: "govuk-tag--grey",
    Status.IN_PROGRESS: "govuk-tag--blue",
    Status.AT_RISK: "govuk-tag--orange",
    Status.DONE: "govuk-tag--green",
    Status.DROPPED: "govuk-tag--red",
}

# Commitments that are still owed: only these can be overdue.
OPEN_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.AT_RISK)


class Commitment(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="commitments"
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, related_name="commitments"
    )
    title = models.CharField(max_length=300, help_text="What is promised, in a line")
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="commitments_owned",
        help_text="The organisation that owns the commitment",
    )
    lead_role = models.CharField(
        max_length=200,
        help_text="The role that leads it, for example Head of IAPT (a role, not a name)",
    )
    partners = models.ManyToManyField(
        Partner,
        blank=True,
        related_name="commitments_supported",
        help_text="Other organisations that work on it",
    )
    # Where the promise comes from: an action of the plan made at a Big Conversation, or (when
    # made directly) the conversation it answers; `answers` says it in words when neither fits.
    plan_action = models.ForeignKey(
        "conversations.PlanAction",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commitments",
        help_text="The action of the plan it carries out",
    )
    conversation = models.ForeignKey(
        "conversations.Conversation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commitments",
        help_text="The Big Conversation it answers",
    )
    answers = models.CharField(
        max_length=300,
        blank=True,
        help_text="What it answers, in words, when no plan action or conversation fits",
    )
    # A commitment made in reply to a community campaign's ask (the Ask model is defined below).
    in_reply_to = models.ForeignKey(
        "Ask",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commitments",
        help_text="The campaign ask it answers, if any",
    )
    made_on = models.DateField()
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    dropped_reason = models.TextField(blank=True)
    progress = models.PositiveSmallIntegerField(
        default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    # The day it was marked done: kept on time means done on or before the due date.
    done_on = models.DateField(null=True, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    weight = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Its share of the parent's progress; leave empty to count it like the others",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=F("made_on")), name="commitment_due_after_made"
            ),
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100),
                name="commitment_progress_percentage",
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("id")), name="commitment_not_its_own_parent"
            ),
            models.CheckConstraint(
                condition=Q(weight__isnull=True) | Q(weight__gte=0),
                name="commitment_weight_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["neighbourhood", "parent", "due_on"]),
            models.Index(fields=["owner", "status"]),
            # The public pages' cache version: the latest change in a place or an organisation.
            models.Index(fields=["neighbourhood", "updated_at"]),
            models.Index(fields=["owner", "updated_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        if not self.title.strip():
            errors["title"] = ERROR_TITLE_EMPTY
        if self.made_on and self.due_on and self.due_on < self.made_on:
            errors["due_on"] = ERROR_DUE_BEFORE_MADE
        if self.progress is not None and not 0 <= self.progress <= 100:
            errors["progress"] = ERROR_PROGRESS_RANGE
        if self.status == Status.DROPPED and not self.dropped_reason.strip():
            errors["dropped_reason"] = ERROR_DROPPED_NEEDS_REASON
        if self.weight is not None and self.weight < Decimal(0):
            errors["weight"] = ERROR_WEIGHT_NEGATIVE
        if errors:
            raise ValidationError(errors)

    def is_overdue(self, today) -> bool:
        """Still owed after its due day (a commitment due today is not yet overdue)."""
        return self.status in OPEN_STATUSES and self.due_on < today

    @property
    def status_tag(self) -> str:
        return STATUS_TAGS[Status(self.status)]

    @property
    def kept_on_time(self) -> bool:
        return (
            self.status == Status.DONE and self.done_on is not None and self.done_on <= self.due_on
        )


class Milestone(models.Model):
    """A dated step on the way, with a title, what happened, and the evidence for it."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="milestones")
    on = models.DateField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    evidence = models.TextField(
        blank=True, help_text="Where to see it for yourself: a link, a document, a meeting"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["commitment", "on", "id"]
        indexes = [models.Index(fields=["commitment", "on"])]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if not self.title.strip():
            raise ValidationError({"title": ERROR_MILESTONE_TITLE_EMPTY})


class Update(models.Model):
    """One change of status or progress, or a note (a reminder), kept as history."""

    class Kind(models.TextChoices):
        STATUS = "status", "Status or progress changed"
        NOTE = "note", "Note"

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.STATUS)
    on = models.DateField()
    status_before = models.CharField(max_length=20, choices=Status.choices, blank=True)
    status_after = models.CharField(max_length=20, choices=Status.choices, blank=True)
    progress_before = models.PositiveSmallIntegerField(null=True, blank=True)
    progress_after = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.TextField(blank=True)
    # A reminder's note carries a key, so `hct remind` run twice posts it once.
    key = models.CharField(max_length=80, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["commitment", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "key"], condition=~Q(key=""), name="one_update_per_key"
            )
        ]
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.commitment_id}: {self.get_kind_display()} on {self.on}"


ERROR_CONTRIBUTION_EMPTY = "Write your question or comment"
ERROR_ANSWER_EMPTY = "Write the answer"
ERROR_HIDE_NEEDS_REASON = "Say why it is hidden: the person who wrote it will see the reason"


class PublicComment(models.Model):
    """A public comment: what a community member says about a commitment, a question for its
    owner or whether an update is what they asked for. Shown on the public page without the writer's name; a
    facilitator can hide it (with a reason) and restore it."""

    class Kind(models.TextChoices):
        QUESTION = "question", "Question"
        FEEDBACK = "feedback", "Is this what we asked for?"

    class Verdict(models.TextChoices):
        YES = "yes", "Yes, this is what we asked for"
        PARTLY = "partly", "Partly"
        NO = "no", "No, this is not what we asked for"

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="public_comments"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # Feedback is about one update of the commitment.
    update = models.ForeignKey(
        Update, null=True, blank=True, on_delete=models.CASCADE, related_name="feedback"
    )
    verdict = models.CharField(max_length=10, choices=Verdict.choices, blank=True)
    text = models.TextField(blank=True, max_length=2000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    hidden = models.BooleanField(default=False)
    hidden_reason = models.TextField(blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["commitment", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["update", "author"],
                condition=Q(kind="feedback"),
                name="one_feedback_per_update_and_person",
            ),
            models.CheckConstraint(
                condition=Q(kind="question", update__isnull=True)
                | Q(kind="feedback", update__isnull=False),
                name="feedback_is_about_an_update",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on commitment {self.commitment_id}"

    def clean(self) -> None:
        if self.kind == self.Kind.QUESTION and not self.text.strip():
            raise ValidationError({"text": ERROR_CONTRIBUTION_EMPTY})
        if self.hidden and not self.hidden_reason.strip():
            raise ValidationError({"hidden_reason": ERROR_HIDE_NEEDS_REASON})


class Answer(models.Model):
    """The owning organisation's answer to a question."""

    question = models.ForeignKey(PublicComment, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(max_length=4000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["question", "created_at", "id"]

    def __str__(self) -> str:
        return f"Answer to {self.question_id}"

    def clean(self) -> None:
        if not self.text.strip():
            raise ValidationError({"text": ERROR_ANSWER_EMPTY})


class Flag(models.Model):
    """Someone reported a contribution to the moderators."""

    contribution = models.ForeignKey(PublicComment, on_delete=models.CASCADE, related_name="flags")
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # A facilitator who hides or restores the contribution deals with its flags.
    dealt_with = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "flagged_by"], name="one_flag_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"Flag on {self.contribution_id}"


ERROR_CAMPAIGN_TITLE_EMPTY = "Give the campaign its name"
ERROR_ASK_EMPTY = "Say what the campaign asks for"
ERROR_ASK_TO_EMPTY = "Say whom it is asked of: the authority or the managers, not a person"
ERROR_DECLINE_NEEDS_REASON = "Say why it is not shown: the person who started it will see this"


class Review(models.TextChoices):
    WAITING = "waiting", "Waiting for a facilitator to check it"
    APPROVED = "approved", "Public"
    DECLINED = "declined", "Not shown"


class Campaign(models.Model):
    """A community-led campaign (Lift Me Up on fly-tipping): its asks of named authorities, its
    supporters, the meetings held, and the commitments made in reply."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="campaigns")
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, related_name="campaigns"
    )
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    about = models.TextField(blank=True, help_text="What the campaign wants to change, and why")
    led_by = models.CharField(
        max_length=200, help_text="The group that leads it, for example Lift Me Up (not a person)"
    )
    started_on = models.DateField()
    # Support given on paper or at events, counted by the campaign; added to those who support it
    # here when the page shows how many support it.
    supporters_elsewhere = models.PositiveIntegerField(default=0)
    # A campaign a community member starts waits for a facilitator before it is public; one a
    # facilitator records with the people leading it is public at once.
    review = models.CharField(max_length=10, choices=Review.choices, default=Review.APPROVED)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_on", "title"]
        indexes = [models.Index(fields=["review", "neighbourhood"])]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if not self.title.strip():
            raise ValidationError({"title": ERROR_CAMPAIGN_TITLE_EMPTY})
        if self.review == Review.DECLINED and not self.review_reason.strip():
            raise ValidationError({"review_reason": ERROR_DECLINE_NEEDS_REASON})

    @property
    def public(self) -> bool:
        return self.review == Review.APPROVED


class Ask(models.Model):
    """What a campaign asks of a named authority."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="asks")
    to_whom = models.CharField(max_length=200)
    what = models.TextField()
    asked_on = models.DateField()

    class Meta:
        ordering = ["campaign", "asked_on", "id"]

    def __str__(self) -> str:
        return f"{self.campaign}: {self.what[:80]} ({self.to_whom})"

    def clean(self) -> None:
        if not self.what.strip():
            raise ValidationError({"what": ERROR_ASK_EMPTY})
        if not self.to_whom.strip():
            raise ValidationError({"to_whom": ERROR_ASK_TO_EMPTY})


class CampaignMeeting(models.Model):
    """A meeting the campaign held with those it asks."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField()
    title = models.CharField(max_length=200)
    with_whom = models.CharField(max_length=200, help_text="Organisations and roles, not names")
    outcome = models.TextField(blank=True, help_text="What came of it")

    class Meta:
        ordering = ["campaign", "held_on", "id"]

    def __str__(self) -> str:
        return self.title


class Supporter(models.Model):
    """A signed-in community member who supports a campaign (never shown by name)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="supporters")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "user"], name="one_support_per_person")
        ]

    def __str__(self) -> str:
        return f"Support for {self.campaign_id}"
