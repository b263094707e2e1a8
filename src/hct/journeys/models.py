"""Stories and service journeys: the system as told by the person living it.

A story is the person's own words. A journey is touchpoints in time order — each an actor, what
happened, how it felt — with gaps between them where the system failed to connect.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import Exact

from hct.journeys.dates import Precision
from hct.journeys.weights import WHOLE
from hct.partnership.models import Cycle
from hct.people.models import Person
from hct.systemmap.models import Actor

ERROR_STORY_EMPTY = "Write the story in the person's own words"
# About twenty pages of writing: room for a life story, not for a pasted book or a flood.
STORY_MAX_CHARS = 50_000
ERROR_STORY_TOO_LONG = (
    "The story is too long to keep here: at most {limit:,} letters and spaces (it has {length:,}). "
    "Split it into two stories, or shorten it"
)
ERROR_QUOTE_EMPTY = "Choose a passage of the story to mark as a quote"
ERROR_TITLE_EMPTY = "Give the journey a title"
ERROR_GAP_SAME_TOUCHPOINT = "A gap lies between two different touchpoints"
ERROR_ENDS_BEFORE_START = "A touchpoint cannot end before it starts"


class Story(models.Model):
    """The person's story in their own words, kept exactly as typed (shown escaped, never run)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="stories")
    title = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    told_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["person", "created_at", "id"]
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return self.title or f"Story {self.pk}"

    def clean(self) -> None:
        if not self.text.strip():
            raise ValidationError({"text": ERROR_STORY_EMPTY})
        if len(self.text) > STORY_MAX_CHARS:
            raise ValidationError(
                {"text": ERROR_STORY_TOO_LONG.format(limit=STORY_MAX_CHARS, length=len(self.text))}
            )


class StoryHelpRequest(models.Model):
    """A person asks their facilitator to write down or change their story or journey with
    them. It stays open, on the person's page for their facilitators, until one of them says
    it is done."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="story_help_requests")
    note = models.TextField(blank=True)
    asked_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["person", "asked_at", "id"]

    def __str__(self) -> str:
        return f"Help with a story ({self.pk})"


class Quote(models.Model):
    """A passage of a story, word for word, that the person agrees may be quoted."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="quotes")
    text = models.TextField()
    agreed_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["story", "id"]

    def __str__(self) -> str:
        return f"Quote {self.pk}"

    def clean(self) -> None:
        if not self.text.strip():
            raise ValidationError({"text": ERROR_QUOTE_EMPTY})


class Journey(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="journeys")
    title = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["person", "created_at", "id"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if not self.title.strip():
            raise ValidationError({"title": ERROR_TITLE_EMPTY})


class What(models.TextChoices):
    LIFE_EVENT = "life_event", "Something that happened in my life"
    REFERRAL = "referral", "Referral"
    ASSESSMENT = "assessment", "Assessment"
    APPOINTMENT = "appointment", "Appointment"
    WAITING = "waiting", "Waiting"
    DISCHARGE = "discharge", "Discharge"
    CRISIS = "crisis", "Crisis"
    COMMUNITY_ACT = "community_act", "An everyday community act"
    SELF_HELP = "self_help", "Self-help"


class Felt(models.TextChoices):
    HELPED = "helped", "Helped"
    NEITHER = "neither", "Neither"
    HINDERED = "hindered", "Hindered"


class Touchpoint(models.Model):
    """One moment in a journey. `position` is its place in time order; `when` is the date as
    said, `starts_on`/`ends_on` the days it could mean."""

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="touchpoints")
    position = models.PositiveIntegerField()
    when = models.CharField(max_length=60)
    starts_on = models.DateField()
    ends_on = models.DateField()
    precision = models.CharField(max_length=20, choices=Precision.choices)
    # RESTRICT, not PROTECT: an actor can go when its touchpoints go in the same deletion (a
    # person's erasure removes their private actors and their journeys together).
    actor = models.ForeignKey(Actor, on_delete=models.RESTRICT, related_name="touchpoints")
    what = models.CharField(max_length=20, choices=What.choices)
    felt = models.CharField(max_length=10, choices=Felt.choices, default=Felt.NEITHER)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["journey", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["journey", "position"], name="one_touchpoint_per_position"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="touchpoint_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["what", "felt"])]

    def __str__(self) -> str:
        return f"{self.when}: {self.get_what_display()}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError(ERROR_ENDS_BEFORE_START)


class Gap(models.Model):
    """Where the system failed to connect, between two touchpoints of the same journey."""

    class Kind(models.TextChoices):
        REFERRAL_LOST = "referral_lost", "Referral lost"
        LONG_WAIT = "long_wait", "Long wait"
        NO_FOLLOW_UP = "no_follow_up", "No follow-up"
        TOLD_STORY_AGAIN = "told_story_again", "Told my story again"
        APPOINTMENT_NOT_FLEXIBLE = "appointment_not_flexible", "Appointment not flexible"
        SERVICES_DIDNT_TALK = "services_didnt_talk", "Services didn't talk to each other"
        DISCHARGED_WITHOUT_SUPPORT = "discharged_without_support", "Discharged without support"
        COULDNT_GET_THERE = "couldnt_get_there", "Couldn't get there or carry things"

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="gaps")
    before = models.ForeignKey(Touchpoint, on_delete=models.CASCADE, related_name="gaps_after")
    after = models.ForeignKey(Touchpoint, on_delete=models.CASCADE, related_name="gaps_before")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["journey", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(before=models.F("after")), name="gap_between_two_touchpoints"
            )
        ]
        indexes = [models.Index(fields=["kind"])]

    def __str__(self) -> str:
        return self.get_kind_display()

    def clean(self) -> None:
        if self.before_id and self.before_id == self.after_id:
            raise ValidationError(ERROR_GAP_SAME_TOUCHPOINT)


class Signifier(models.Model):
    """A question the partnership asks every story of a cycle, SenseMaker-style: a triad (three
    corners, e.g. what helped most: people I know / community groups / services) or a dyad (a
    slider between two poles). The person places their own story."""

    class Kind(models.TextChoices):
        TRIAD = "triad", "Three corners"
        DYAD = "dyad", "A slider between two ends"

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="signifiers")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    question = models.CharField(max_length=200)
    label_a = models.CharField(max_length=60)
    label_b = models.CharField(max_length=60)
    label_c = models.CharField(max_length=60, blank=True)
    position = models.PositiveIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cycle", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "position"], name="one_signifier_per_position"
            ),
            models.CheckConstraint(
                condition=Q(kind="dyad", label_c="") | (Q(kind="triad") & ~Q(label_c="")),
                name="signifier_corners_match_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.question

    @property
    def labels(self) -> list[str]:
        return [
            self.label_a,
            self.label_b,
            *([self.label_c] if self.kind == self.Kind.TRIAD else []),
        ]


class Signification(models.Model):
    """Where a story sits on one signifier. A triad's three weights (thousandths) sum to exactly
    1000; a dyad keeps `slider`, thousandths of the way from the first pole to the second."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="significations")
    signifier = models.ForeignKey(
        Signifier, on_delete=models.CASCADE, related_name="significations"
    )
    corner_a = models.PositiveSmallIntegerField(null=True, blank=True)
    corner_b = models.PositiveSmallIntegerField(null=True, blank=True)
    corner_c = models.PositiveSmallIntegerField(null=True, blank=True)
    slider = models.PositiveSmallIntegerField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["story", "signifier__position"]
        constraints = [
            models.UniqueConstraint(fields=["story", "signifier"], name="one_answer_per_signifier"),
            models.CheckConstraint(
                condition=(
                    Q(slider__isnull=True, corner_a__isnull=False)
                    & Exact(F("corner_a") + F("corner_b") + F("corner_c"), WHOLE)
                )
                | Q(
                    slider__lte=WHOLE,
                    corner_a__isnull=True,
                    corner_b__isnull=True,
                    corner_c__isnull=True,
                ),
                name="signification_weights_whole",
            ),
        ]

    def __str__(self) -> str:
        return f"Signification {self.pk}"

    @property
    def weights(self) -> tuple[float, ...]:
        if self.slider is not None:
            return (self.slider / WHOLE,)
        # A triad's corners are all set (the database checks they add up to WHOLE).
        corners = (self.corner_a or 0, self.corner_b or 0, self.corner_c or 0)
        return tuple(corner / WHOLE for corner in corners)
