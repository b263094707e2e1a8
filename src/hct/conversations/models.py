"""Big Conversations: the three humanising encounters of a cycle, and what they produce.

Conversation 1 puts a person's story at the centre, with as many community people and groups as
service leaders in the room; conversation 2 makes sense of what was heard with the systems-thinking
iceberg and writes a vision for "a better story"; conversation 3 is the plan. Each is a
`Conversation` of a cycle; what it produces (contributions, iceberg items, vision revisions, the
plan and its actions) hangs off it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from hct.journeys.models import Gap, Journey, Story, Touchpoint
from hct.partnership.models import Cycle, Partner, Stage
from hct.people.models import Person
from hct.systemmap.models import Link

ERROR_ENDS_BEFORE_START = "A conversation cannot end before it starts"
ERROR_END_WITHOUT_START = "Give a start time before an end time"
ERROR_PURPOSE_EMPTY = "Say what the conversation is for"
ERROR_NAME_EMPTY = "Enter the name they want to be known by here"
ERROR_TEXT_EMPTY = "Write what was said, as it was said"
ERROR_NAME_WITHOUT_AGREEMENT = "Only name the speaker if they agree to be named"
ERROR_ITEM_EMPTY = "Write the iceberg item"
ERROR_VISION_EMPTY = "Write the vision for a better story"
ERROR_ACTION_EMPTY = "Say what the action is"


class AttendeeSector(models.TextChoices):
    """Where someone in the room comes from. Community and statutory are the two sides whose
    balance the brief asks for ("just as many people and groups from the community")."""

    COMMUNITY_MEMBER = "community_member", "Community member"
    COMMUNITY_GROUP = "community_group", "Community group"
    VOLUNTARY = "voluntary", "Voluntary sector"
    COUNCIL = "council", "Council"
    NHS = "nhs", "NHS"
    GP = "gp", "GP practice"
    OTHER = "other", "Other (business, faith group, police …)"


COMMUNITY_SECTORS = frozenset({AttendeeSector.COMMUNITY_MEMBER, AttendeeSector.COMMUNITY_GROUP})
STATUTORY_SECTORS = frozenset({AttendeeSector.COUNCIL, AttendeeSector.NHS, AttendeeSector.GP})


class IcebergLevel(models.TextChoices):
    EVENTS = "events", "Events"
    PATTERNS = "patterns", "Patterns"
    STRUCTURES = "structures", "Structures"
    MENTAL_MODELS = "mental_models", "Mental models"


ICEBERG_ORDER = list(IcebergLevel)
ICEBERG_PROMPTS = {
    IcebergLevel.EVENTS: "What just happened?",
    IcebergLevel.PATTERNS: "What trends over time?",
    IcebergLevel.STRUCTURES: "What structures influence the patterns?",
    IcebergLevel.MENTAL_MODELS: "What beliefs keep the system in place?",
}
# The response each level calls for (the iceberg's react → transform).
ICEBERG_RESPONSES = {
    IcebergLevel.EVENTS: "react",
    IcebergLevel.PATTERNS: "anticipate",
    IcebergLevel.STRUCTURES: "design",
    IcebergLevel.MENTAL_MODELS: "transform",
}


class Conversation(models.Model):
    """One Big Conversation of a cycle: number 1, 2, 3 or a further one."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="conversations")
    number = models.PositiveIntegerField(help_text="1, 2 or 3 (or a further one)")
    title = models.CharField(max_length=200, blank=True)
    purpose = models.TextField()
    venue = models.CharField(
        max_length=200, blank=True, help_text="The place's name (a church hall), not an address"
    )
    venue_hints = models.CharField(
        max_length=300, blank=True, help_text="How to find the room, access, parking"
    )
    date = models.DateField()
    starts_at = models.TimeField(null=True, blank=True)
    ends_at = models.TimeField(null=True, blank=True)
    places = models.PositiveIntegerField(
        null=True, blank=True, help_text="How many people the room holds; blank for no limit"
    )
    # Decidim's "registrations enabled": people who live in the cycle's neighbourhood may sign
    # themselves up (or join the waiting list), not only those a facilitator invited.
    open_to_neighbourhood = models.BooleanField(default=False)
    agenda = models.TextField(blank=True, help_text="What happens when, one line each")
    story = models.ForeignKey(
        Story, null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations"
    )
    journey = models.ForeignKey(
        Journey, null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cycle", "number"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "number"], name="one_conversation_number"),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True)
                | (Q(starts_at__isnull=False) & Q(ends_at__gt=models.F("starts_at"))),
                name="conversation_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"Big Conversation {self.number}" + (f": {self.title}" if self.title else "")

    # The cycle's stage each of the three conversations belongs to; a further one has none.
    STAGES = {1: Stage.BIG_CONVERSATION_1, 2: Stage.BIG_CONVERSATION_2, 3: Stage.BIG_CONVERSATION_3}

    @property
    def stage(self) -> Stage | None:
        return self.STAGES.get(self.number)

    def clean(self) -> None:
        if not self.purpose.strip():
            raise ValidationError({"purpose": ERROR_PURPOSE_EMPTY})
        if self.ends_at and not self.starts_at:
            raise ValidationError({"starts_at": ERROR_END_WITHOUT_START})
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": ERROR_ENDS_BEFORE_START})


class HeldPlaces(models.Model):
    """Places kept for one sector, so community voices are not crowded out (Decidim's
    reserved slots, by sector)."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="held_places"
    )
    sector = models.CharField(max_length=20, choices=AttendeeSector.choices)
    places = models.PositiveIntegerField()

    class Meta:
        ordering = ["conversation", "sector"]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "sector"], name="one_hold_per_sector")
        ]

    def __str__(self) -> str:
        return f"{self.places} held for {self.get_sector_display()}"


class Participant(models.Model):
    """Someone invited to, or who came to, a conversation: a name as they want to be known,
    their organisation and sector. No contact details are kept here."""

    class Reply(models.TextChoices):
        NONE = "none", "Not replied"
        COMING = "coming", "Coming"
        WAITING = "waiting", "Waiting list"
        NOT_COMING = "not_coming", "Not coming"

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participants"
    )
    name = models.CharField(max_length=120)
    # The casefolded name and organisation, so one person cannot be counted twice.
    key = models.CharField(max_length=330, editable=False)
    organisation = models.CharField(max_length=200, blank=True)
    partner = models.ForeignKey(
        Partner, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sector = models.CharField(max_length=20, choices=AttendeeSector.choices)
    # The person's record, when the participant is someone the partnership holds: it lets them
    # see and answer their own invitation, and makes "one registration per person" a constraint.
    # Erasing the person takes their place on the list with them.
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="conversation_places",
    )
    invited = models.BooleanField(default=True)
    reply = models.CharField(max_length=12, choices=Reply.choices, default=Reply.NONE)
    code = models.CharField(max_length=8, help_text="Shown at the door, as Decidim's codes are")
    attended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["conversation", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "key"], name="one_participant"),
            models.UniqueConstraint(fields=["conversation", "code"], name="one_code"),
            models.UniqueConstraint(
                fields=["conversation", "person"],
                condition=Q(person__isnull=False),
                name="one_registration_per_person",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not self.name.strip():
            raise ValidationError({"name": ERROR_NAME_EMPTY})


class Contribution(models.Model):
    """What someone said, captured in seconds and kept exactly as typed (shown escaped)."""

    class Kind(models.TextChoices):
        NOTE = "note", "Note"
        QUOTE = "quote", "Quote"
        QUESTION = "question", "Question"
        TOUGH_TIME = "tough_time", "A tough time and what kept me strong"

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="contributions"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.NOTE)
    text = models.TextField()
    speaker_sector = models.CharField(max_length=20, choices=AttendeeSector.choices, blank=True)
    speaker_name = models.CharField(max_length=120, blank=True)
    name_agreed = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["conversation", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(name_agreed=True) | Q(speaker_name=""),
                name="speaker_named_only_with_agreement",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"

    def clean(self) -> None:
        if not self.text.strip():
            raise ValidationError({"text": ERROR_TEXT_EMPTY})
        if self.speaker_name.strip() and not self.name_agreed:
            raise ValidationError({"speaker_name": ERROR_NAME_WITHOUT_AGREEMENT})


class ClosingReport(models.Model):
    """The minutes, as Decidim's closing report: a summary and what the meeting produced.
    Attendance and contribution counts are read live from the conversation."""

    conversation = models.OneToOneField(
        Conversation, on_delete=models.CASCADE, related_name="closing"
    )
    summary = models.TextField()
    produced = models.TextField(
        blank=True, help_text="Anything else it produced: links, photos, the next date"
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Closing report of {self.conversation}"


class IcebergItem(models.Model):
    """One item on a conversation's iceberg board, at one of the four levels. A merged item
    points at the item it was merged into and leaves the board."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="iceberg_items"
    )
    level = models.CharField(max_length=16, choices=IcebergLevel.choices)
    text = models.TextField()
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="merged"
    )
    # Dots placed on the item by the room (as PRSM's votes on factors): what matters most.
    votes = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["conversation", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("id")), name="item_not_merged_into_itself"
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]

    def clean(self) -> None:
        if not self.text.strip():
            raise ValidationError({"text": ERROR_ITEM_EMPTY})


class Evidence(models.Model):
    """What an iceberg item rests on: exactly one of a contribution, a touchpoint, a gap or a
    link of the system map."""

    item = models.ForeignKey(IcebergItem, on_delete=models.CASCADE, related_name="evidence")
    contribution = models.ForeignKey(
        Contribution, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    touchpoint = models.ForeignKey(
        Touchpoint, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    gap = models.ForeignKey(Gap, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    link = models.ForeignKey(
        Link, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["item", "id"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(contribution__isnull=False, touchpoint=None, gap=None, link=None)
                    | Q(contribution=None, touchpoint__isnull=False, gap=None, link=None)
                    | Q(contribution=None, touchpoint=None, gap__isnull=False, link=None)
                    | Q(contribution=None, touchpoint=None, gap=None, link__isnull=False)
                ),
                name="evidence_cites_one_thing",
            ),
            models.UniqueConstraint(fields=["item", "contribution"], name="cite_contribution_once"),
            models.UniqueConstraint(fields=["item", "touchpoint"], name="cite_touchpoint_once"),
            models.UniqueConstraint(fields=["item", "gap"], name="cite_gap_once"),
            models.UniqueConstraint(fields=["item", "link"], name="cite_link_once"),
        ]

    def __str__(self) -> str:
        return f"Evidence {self.pk} ({self.kind})"

    @property
    def kind(self) -> str:
        for name in ("contribution", "touchpoint", "gap", "link"):
            if getattr(self, f"{name}_id"):
                return name
        return ""


class ThemeSuggestion(models.Model):
    """A theme the text suggests (TF-IDF + NMF), with the passages behind it, for the
    facilitator to accept (as an iceberg item), edit or drop."""

    class Status(models.TextChoices):
        SUGGESTED = "suggested", "Suggested"
        ACCEPTED = "accepted", "Accepted"
        DROPPED = "dropped", "Dropped"

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="theme_suggestions"
    )
    label = models.CharField(max_length=200)
    terms = models.JSONField(default=list)
    # [{"source": "contribution"|"story", "id": pk, "text": passage, "weight": w}, …]
    passages = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUGGESTED)
    item = models.ForeignKey(
        IcebergItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["conversation", "id"]

    def __str__(self) -> str:
        return self.label


class VisionRevision(models.Model):
    """One revision of the vision for "a better story", written together, answering items of
    the iceberg."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="vision_revisions"
    )
    number = models.PositiveIntegerField()
    text = models.TextField()
    note = models.CharField(max_length=300, blank=True, help_text="What changed and why")
    answers = models.ManyToManyField(IcebergItem, blank=True, related_name="visions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["conversation", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "number"], name="one_vision_revision_number"
            )
        ]

    def __str__(self) -> str:
        return f"Vision, revision {self.number}"

    def clean(self) -> None:
        if not self.text.strip():
            raise ValidationError({"text": ERROR_VISION_EMPTY})


class Plan(models.Model):
    """The plan made at a conversation (usually the third): its actions become commitments."""

    conversation = models.OneToOneField(Conversation, on_delete=models.CASCADE, related_name="plan")
    summary = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"The plan ({self.conversation})"


class PlanAction(models.Model):
    """One action of the plan: the iceberg level it works at, the items (and so the evidence)
    behind it, who would own it and by when."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    level = models.CharField(max_length=16, choices=IcebergLevel.choices)
    items = models.ManyToManyField(IcebergItem, blank=True, related_name="actions")
    owner = models.CharField(
        max_length=200, blank=True, help_text="Who would own it: a role or a group"
    )
    owner_partner = models.ForeignKey(
        Partner, null=True, blank=True, on_delete=models.SET_NULL, related_name="plan_actions"
    )
    due_on = models.DateField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan", "position", "id"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if not self.title.strip():
            raise ValidationError({"title": ERROR_ACTION_EMPTY})
