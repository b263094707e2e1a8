"""A service's waiting list as the people who run it describe it (dated, versioned, with where
the figures came from), the scenarios run on it, and where a scenario is cited as evidence."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from hct.commitments.models import Commitment
from hct.conversations.models import IcebergItem, PlanAction
from hct.core.models import Job
from hct.flexibility import simulation
from hct.partnership.models import Partner, Partnership
from hct.places.models import Neighbourhood

RATE_POSITIVE = "Must be more than zero"
SHARE_RANGE = "Must be a percentage between 0 and 100"
COURSE_ZERO = "A course must have at least one session"
HORIZON_LONG = f"Simulate at most {simulation.MAX_HORIZON_WEEKS} weeks (10 years)"
REPLICATIONS_RANGE = f"Run between 1 and {simulation.MAX_REPLICATIONS} replications"
WARMUP_LONG = "The warm-up must be shorter than the time simulated"
HELD_BACK_NEEDS_SHARE = "Say what share of sessions is held back for rebookings"

_share = [MinValueValidator(0, SHARE_RANGE), MaxValueValidator(100, SHARE_RANGE)]


class ChangeRule(models.TextChoices):
    BACK = simulation.BACK, "Back of the queue"
    KEEP = simulation.KEEP, "Keep your place"
    HELD_BACK = simulation.HELD_BACK, "Sessions held back for rebookings"


class DnaRule(models.TextChoices):
    DISCHARGE = simulation.DISCHARGE, "Discharge after K missed appointments"
    REENGAGE = simulation.REENGAGE, "A call to re-engage first, discharge after K more"


class Service(models.Model):
    """A service with a waiting list, in a neighbourhood; its figures are in its versions."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="flexible_services"
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, related_name="flexible_services"
    )
    name = models.CharField(max_length=200)
    runs_it = models.ForeignKey(
        Partner, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["neighbourhood__name", "name"]

    def __str__(self) -> str:
        return self.name


class Description(models.Model):
    """One dated version of how a service runs its waiting list, and where the figures came from.
    A new version is written for every change; earlier versions (and the scenarios run on them)
    stay as they were."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    described_on = models.DateField()
    referrals_per_week = models.FloatField(validators=[MinValueValidator(0.01, RATE_POSITIVE)])
    sessions_per_week = models.CharField(
        max_length=2000,
        help_text="Sessions offered each week; a repeating pattern such as “40 x 48, 30 x 4”",
    )
    sessions_per_course = models.PositiveIntegerField(
        validators=[MinValueValidator(1, COURSE_ZERO), MaxValueValidator(100)]
    )
    change_percent = models.FloatField(
        "People who need to change an appointment (%)", validators=_share
    )
    notice_days = models.FloatField(
        "Notice they give (days, on average)",
        validators=[MinValueValidator(0, "Notice cannot be negative"), MaxValueValidator(60)],
    )
    dna_percent = models.FloatField("Missed appointments (%)", validators=_share)
    change_rule = models.CharField(max_length=16, choices=ChangeRule.choices)
    held_back_percent = models.FloatField(
        "Sessions held back for rebookings (%)", default=0, validators=_share
    )
    held_back_days = models.PositiveIntegerField(
        "Rebooked within (days)",
        default=7,
        validators=[MinValueValidator(1, RATE_POSITIVE), MaxValueValidator(90)],
    )
    dna_rule = models.CharField(max_length=16, choices=DnaRule.choices)
    dna_limit = models.PositiveIntegerField(
        "K: missed appointments before discharge",
        validators=[MinValueValidator(1, RATE_POSITIVE), MaxValueValidator(20)],
    )
    sources = models.TextField(help_text="Where these figures came from")
    source_url = models.URLField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["service", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["service", "number"], name="one_description_number")
        ]

    def __str__(self) -> str:
        return f"{self.service} (version {self.number}, {self.described_on:%-d %B %Y})"

    def clean(self) -> None:
        errors = {}
        try:
            simulation.parse_profile(self.sessions_per_week)
        except ValueError as error:
            errors["sessions_per_week"] = str(error)
        if self.change_rule == ChangeRule.HELD_BACK and not self.held_back_percent:
            errors["held_back_percent"] = HELD_BACK_NEEDS_SHARE
        if errors:
            raise ValidationError(errors)


class Scenario(models.Model):
    """A what-if on one version of a description: today's rules, or others. Its results are kept
    with the inputs, the library version and the seeds that made them."""

    description = models.ForeignKey(Description, on_delete=models.CASCADE, related_name="scenarios")
    name = models.CharField(max_length=200)
    change_rule = models.CharField(max_length=16, choices=ChangeRule.choices)
    held_back_percent = models.FloatField(
        "Sessions held back for rebookings (%)", default=0, validators=_share
    )
    held_back_days = models.PositiveIntegerField(
        "Rebooked within (days)",
        default=7,
        validators=[MinValueValidator(1, RATE_POSITIVE), MaxValueValidator(90)],
    )
    dna_rule = models.CharField(max_length=16, choices=DnaRule.choices)
    dna_limit = models.PositiveIntegerField(
        "K: missed appointments before discharge",
        validators=[MinValueValidator(1, RATE_POSITIVE), MaxValueValidator(20)],
    )
    extra_sessions = models.IntegerField(
        "Sessions added each week",
        default=0,
        validators=[MinValueValidator(0, "Add zero or more sessions"), MaxValueValidator(10000)],
    )
    horizon_weeks = models.PositiveIntegerField(
        "Weeks simulated",
        default=104,
        validators=[
            MinValueValidator(4, "Simulate at least 4 weeks"),
            MaxValueValidator(simulation.MAX_HORIZON_WEEKS, HORIZON_LONG),
        ],
    )
    warmup_weeks = models.PositiveIntegerField("Warm-up (weeks, not counted)", default=26)
    replications = models.PositiveIntegerField(
        default=10,
        validators=[
            MinValueValidator(1, REPLICATIONS_RANGE),
            MaxValueValidator(simulation.MAX_REPLICATIONS, REPLICATIONS_RANGE),
        ],
    )
    seed = models.PositiveIntegerField(default=1)
    # "N people told us their appointment was not flexible", as published (disclosure control)
    # when the scenario was started from the gap analysis.
    from_gaps = models.CharField(max_length=200, blank=True)
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    inputs = models.JSONField(default=dict, blank=True)
    results = models.JSONField(default=dict, blank=True)
    library_version = models.CharField(max_length=60, blank=True)
    ran_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["description", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        both = self.horizon_weeks is not None and self.warmup_weeks is not None
        if both and self.warmup_weeks >= self.horizon_weeks:
            errors["warmup_weeks"] = WARMUP_LONG
        if self.change_rule == ChangeRule.HELD_BACK and not self.held_back_percent:
            errors["held_back_percent"] = HELD_BACK_NEEDS_SHARE
        if errors:
            raise ValidationError(errors)

    @property
    def has_results(self) -> bool:
        return bool(self.results)


class Citation(models.Model):
    """A scenario cited as evidence on an iceberg item (a structure), a plan action or a
    commitment. Kept here, not in those apps, because flexibility comes after them: they show
    citations through the hooks flexibility registers (see apps.py)."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="citations")
    iceberg_item = models.ForeignKey(
        IcebergItem, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    plan_action = models.ForeignKey(
        PlanAction, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    commitment = models.ForeignKey(
        Commitment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(iceberg_item__isnull=False, plan_action=None, commitment=None)
                    | Q(iceberg_item=None, plan_action__isnull=False, commitment=None)
                    | Q(iceberg_item=None, plan_action=None, commitment__isnull=False)
                ),
                name="citation_cites_one_thing",
            )
        ]

    def __str__(self) -> str:
        return f"{self.scenario} cited"
