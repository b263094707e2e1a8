"""Learning across neighbourhoods: what the team noticed, what it learned, how people are doing.

- a **field note** is the record of a day of "diving in": where the team was useful, who they
  met, what they noticed, and the community assets they found (each of which can go into the
  directory and onto the system map in one step);
- a **lesson** is an entry of a cycle's learning log (tried, happened, learned, will do
  differently), linked to its evidence by kind and id (`hct.learning.evidence`), so that apps
  built later (conversations, commitments, matching) add kinds of evidence without a migration;
- a **well-being check** is one asking of the ONS personal well-being questions and the ONS
  direct loneliness question: once when someone is first heard (the baseline) and again later;
- a **report run** is a generated board or funder report: its page and its PDF, as they were.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from hct.directory.models import Service
from hct.partnership.models import Cycle, Partnership, Stage
from hct.people.models import Consent, Person
from hct.places.models import Lsoa
from hct.systemmap.models import Actor

ERROR_USEFUL_EMPTY = "Say where the team was useful"
ERROR_LESSON_EMPTY = "Say what was learned"
ERROR_SCORE_RANGE = "Give a whole number from 0 to 10"
ERROR_SECOND_BASELINE = (
    "{alias} already has a first answer (a baseline) from {day}. Record this one as a later "
    "answer instead."
)
ERROR_FOLLOW_UP_FIRST = "Record the first answers (the baseline) before a later one"
ERROR_FOLLOW_UP_BEFORE_BASELINE = "A later answer cannot be dated before the first one ({day})"
ERROR_ASSET_NAME = "Enter the asset's name"
ERROR_ASSET_PLACE = "Choose the small area (LSOA) the asset is in, inside this neighbourhood"

SCORE_RANGE = [MinValueValidator(0), MaxValueValidator(10)]


class FieldNote(models.Model):
    """One day (or visit) of diving in, written up by the team."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="field_notes")
    written_on = models.DateField()
    where_useful = models.TextField(
        blank=True,  # clean() says what is missing, in the method's words
        help_text="For example: fixed a curtain pole, helped at the charity shop, called the raffle",
    )
    who_we_met = models.TextField(
        blank=True, help_text="Groups, places and roles. Do not write anyone's full name here."
    )
    what_we_noticed = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    synthetic = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cycle", "-written_on", "-id"]

    def __str__(self) -> str:
        return f"Field note of {self.written_on:%d %B %Y}"

    def clean(self) -> None:
        if not self.where_useful.strip():
            raise ValidationError({"where_useful": ERROR_USEFUL_EMPTY})


class AssetFound(models.Model):
    """A community asset the team found while diving in, with where it went: its directory
    entry and its actor on the system map (both made in one step by `asset_found_add`)."""

    class Kind(models.TextChoices):
        COMMUNITY_GROUP = Actor.Kind.COMMUNITY_GROUP.value, Actor.Kind.COMMUNITY_GROUP.label
        EVERYDAY_CONTACT = Actor.Kind.EVERYDAY_CONTACT.value, Actor.Kind.EVERYDAY_CONTACT.label
        BUSINESS = Actor.Kind.BUSINESS.value, Actor.Kind.BUSINESS.label

    field_note = models.ForeignKey(FieldNote, on_delete=models.CASCADE, related_name="assets")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    lsoa = models.ForeignKey(Lsoa, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    system_actor = models.ForeignKey(
        Actor, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["field_note", "name", "id"]

    def __str__(self) -> str:
        return self.name


class Lesson(models.Model):
    """An entry of a cycle's learning log."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="lessons")
    stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    tried = models.TextField(help_text="What we tried")
    happened = models.TextField(help_text="What happened")
    learned = models.TextField(blank=True, help_text="What we learned")  # clean() checks
    differently = models.TextField(help_text="What we will do differently next time")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    synthetic = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cycle", "-created_at", "-id"]

    def __str__(self) -> str:
        return self.learned[:80]

    def clean(self) -> None:
        if not self.learned.strip():
            raise ValidationError({"learned": ERROR_LESSON_EMPTY})


class Evidence(models.Model):
    """What a lesson rests on: a record of another app, by kind (a key of the evidence registry)
    and id. The label is kept as it was when linked, so the log still reads if the record goes."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64)
    label = models.CharField(max_length=300)

    class Meta:
        ordering = ["lesson", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["lesson", "kind", "object_id"], name="one_evidence_link_per_record"
            )
        ]

    def __str__(self) -> str:
        return self.label


class Lonely(models.TextChoices):
    """The ONS direct question: "How often do you feel lonely?" """

    OFTEN = "often", "Often or always"
    SOME = "some", "Some of the time"
    OCCASIONALLY = "occasionally", "Occasionally"
    HARDLY_EVER = "hardly_ever", "Hardly ever"
    NEVER = "never", "Never"


# Chronic loneliness, as the ONS reports it: "often or always".
LONELY_OFTEN = (Lonely.OFTEN,)


# The ONS personal well-being questions, each answered from 0 (not at all) to 10 (completely).
WELLBEING_QUESTIONS = (
    ("life_satisfaction", "Overall, how satisfied are you with your life nowadays?"),
    (
        "worthwhile",
        "Overall, to what extent do you feel the things you do in your life are worthwhile?",
    ),
    ("happy", "Overall, how happy did you feel yesterday?"),
    ("anxious", "Overall, how anxious did you feel yesterday?"),
)


class WellbeingCheck(models.Model):
    """One asking of the ONS personal well-being questions (0–10) and the loneliness question.
    Each check carries the consent under which it was given; withdrawing it removes the
    person's checks (`wellbeing_withdraw`), so no figure counts them again."""

    class Wave(models.TextChoices):
        BASELINE = "baseline", "When first heard (baseline)"
        FOLLOW_UP = "follow_up", "Later (follow-up)"

    QUESTIONS = WELLBEING_QUESTIONS

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="wellbeing_checks")
    wave = models.CharField(max_length=10, choices=Wave.choices)
    # A later answer points at the person's first: what its change is measured from.
    baseline = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="later_answers"
    )
    asked_on = models.DateField()
    life_satisfaction = models.PositiveSmallIntegerField(validators=SCORE_RANGE)
    worthwhile = models.PositiveSmallIntegerField(validators=SCORE_RANGE)
    happy = models.PositiveSmallIntegerField(validators=SCORE_RANGE)
    anxious = models.PositiveSmallIntegerField(validators=SCORE_RANGE)
    lonely = models.CharField(max_length=15, choices=Lonely.choices)
    consent_how = models.CharField(
        max_length=20,
        choices=Consent.How.choices,
        help_text="How they agreed to answer, and to their answers counting in published figures",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    synthetic = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person", "asked_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(wave="baseline"), name="one_baseline_per_person"
            ),
            models.CheckConstraint(
                condition=Q(wave="baseline", baseline__isnull=True)
                | Q(wave="follow_up", baseline__isnull=False),
                name="a_later_answer_has_a_baseline",
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": 0, f"{name}__lte": 10}),
                    name=f"wellbeing_{name}_0_to_10",
                )
                for name, _ in WELLBEING_QUESTIONS
            ],
        ]
        indexes = [
            models.Index(fields=["wave", "asked_on"]),
            models.Index(fields=["person", "wave", "asked_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_wave_display()} ({self.asked_on})"


class ReportRun(models.Model):
    """A board or funder report as generated: its sections' HTML and its PDF, kept as they were
    so that what the board read can be read again."""

    class Kind(models.TextChoices):
        BOARD = "board", "Partnership board report"
        FUNDER = "funder", "Funder progress report"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    html = models.TextField(blank=True)
    pdf = models.BinaryField(null=True, blank=True)
    job_id = models.UUIDField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="report_period_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.period_start} to {self.period_end}"
