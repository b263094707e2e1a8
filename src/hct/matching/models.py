"""Needs and offers, matched: offers of help, when people are free, matching runs, the matches
they propose, and the hours given and received.

Needs themselves live in `hct.people` (a person says what would keep them well); this app adds
only what matching needs to know about a need (`NeedPreferences`). An offer comes from a person
(someone who receives help can offer it too) or from a group (perhaps a directory service such
as the Men's Shed). Places are LSOAs, never addresses: distances run between LSOA centroids.

A match is proposed by the engine and decided by people: a facilitator confirms or declines the
proposal, then both sides accept or decline; an accepted match is active until it ends, with its
outcome. Two-way companionship pairs two people's needs for company with each other (no offer).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from hct.directory.models import Service
from hct.people.models import Need, Person
from hct.places.models import Lsoa

ERROR_NO_KINDS = "Choose at least one kind of help"
ERROR_UNKNOWN_KIND = "Choose kinds of help from the list"
ERROR_NEGATIVE_CAPACITY = "How many people a week must be 0 or more"
ERROR_REACH = "How far they can go must be between 0 and 30 km"
ERROR_WINDOW_ORDER = "The time it ends must be after the time it starts"
ERROR_WINDOW_OWNER = "A time window belongs to an offer or to a need, not both"
ERROR_OFFERER = "An offer comes from a person or from a named group"
ERROR_HOURS = "Hours must be more than 0 and at most 24"

MAX_REACH_KM = 30
# Kinds of help where the person giving it is alone with someone who may be vulnerable: the
# offer must come from someone background-checked (a DBS check, for befriending).
CHECK_NEEDED = frozenset(
    {Need.Kind.COMPANIONSHIP, Need.Kind.SOMEONE_TO_TALK_TO, Need.Kind.PRACTICAL}
)


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class Offer(models.Model):
    """Help someone can give: kinds of help, where from, how far, how many people a week."""

    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="offers",
        help_text="The person offering, if a person (a group otherwise)",
    )
    group_name = models.CharField(
        max_length=200, blank=True, help_text="The group offering, e.g. the Men's Shed"
    )
    service = models.ForeignKey(
        Service,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The group's listing in the directory, if it has one",
    )
    kinds = models.JSONField(help_text="Kinds of help, as the kinds of need they meet")
    in_their_words = models.TextField(blank=True)
    base_lsoa = models.ForeignKey(
        Lsoa,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Where they set out from (an LSOA, never an address)",
    )
    reach_km = models.FloatField(default=2.0, help_text="How far they can go, in km")
    capacity_per_week = models.IntegerField(
        default=1, help_text="How many people they can help in a week"
    )
    background_checked = models.BooleanField(default=False)
    can_carry_shopping = models.BooleanField(default=False)
    dog_friendly = models.BooleanField(default=False)
    active = models.BooleanField(default=True)
    # An ended offer stays as a record of what was given; unlike a paused one it is not taken
    # up again (the person makes a new offer if they want to help again).
    ended_on = models.DateField(null=True, blank=True)
    synthetic_batch = models.CharField(max_length=40, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity_per_week__gte=0), name="offer_capacity_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(group_name=""), name="offer_has_an_offerer"
            ),
        ]

    def __str__(self) -> str:
        return f"Offer of {', '.join(self.kind_labels)} from {self.offerer_alias}"

    @property
    def offerer_alias(self) -> str:
        return self.person.alias if self.person is not None else self.group_name

    @property
    def kind_labels(self) -> list[str]:
        return [Need.Kind(kind).label for kind in self.kinds if kind in Need.Kind.values]

    def clean(self) -> None:
        errors = {}
        if not isinstance(self.kinds, list) or not self.kinds:
            errors["kinds"] = ERROR_NO_KINDS
        elif any(kind not in Need.Kind.values for kind in self.kinds):
            errors["kinds"] = ERROR_UNKNOWN_KIND
        if self.capacity_per_week is not None and self.capacity_per_week < 0:
            errors["capacity_per_week"] = ERROR_NEGATIVE_CAPACITY
        if self.reach_km is None or not 0 <= self.reach_km <= MAX_REACH_KM:
            errors["reach_km"] = ERROR_REACH
        if self.person_id is None and not self.group_name.strip():
            errors["group_name"] = ERROR_OFFERER
        if errors:
            raise ValidationError(errors)


class NeedPreferences(models.Model):
    """What matching must respect about a need, beyond its kind: how far the person will go or
    have someone come, what the helper must be, and whether they would like two-way company."""

    need = models.OneToOneField(Need, on_delete=models.CASCADE, related_name="preferences")
    max_km = models.FloatField(default=3.0, help_text="How far away the helper may be, in km")
    needs_dog_friendly = models.BooleanField(default=False)
    needs_carrying = models.BooleanField(default=False)
    two_way = models.BooleanField(
        default=False,
        help_text="Happy to be paired with someone nearby who also wants company",
    )

    def __str__(self) -> str:
        return f"Preferences for need {self.need_id}"

    def clean(self) -> None:
        if self.max_km is None or not 0 <= self.max_km <= MAX_REACH_KM:
            raise ValidationError({"max_km": ERROR_REACH})


class Window(models.Model):
    """A weekly time when an offerer is free, or when a person would like help. An offer or a
    need with no windows is taken to be free at any time."""

    offer = models.ForeignKey(
        Offer, null=True, blank=True, on_delete=models.CASCADE, related_name="windows"
    )
    need = models.ForeignKey(
        Need, null=True, blank=True, on_delete=models.CASCADE, related_name="windows"
    )
    weekday = models.IntegerField(choices=Weekday.choices)
    starts = models.TimeField()
    ends = models.TimeField()

    class Meta:
        ordering = ["weekday", "starts"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gt=models.F("starts")), name="window_in_order"
            ),
            models.CheckConstraint(
                condition=Q(offer__isnull=False, need__isnull=True)
                | Q(offer__isnull=True, need__isnull=False),
                name="window_has_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts:%H:%M}–{self.ends:%H:%M}"

    def clean(self) -> None:
        if self.starts is not None and self.ends is not None and self.ends <= self.starts:
            raise ValidationError({"ends": ERROR_WINDOW_ORDER})
        if (self.offer_id is None) == (self.need_id is None):
            raise ValidationError(ERROR_WINDOW_OWNER)


class MatchRun(models.Model):
    """One run of the engine: what it considered and what it proposed, or why it proposed
    nothing (an empty or infeasible instance)."""

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    needs_considered = models.PositiveIntegerField(default=0)
    offers_considered = models.PositiveIntegerField(default=0)
    candidate_pairs = models.PositiveIntegerField(default=0)
    proposed = models.PositiveIntegerField(default=0)
    two_way_pairs = models.PositiveIntegerField(default=0)
    total_distance_m = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"Matching run {self.pk}"


class Match(models.Model):
    """A proposed pairing of a need with an offer, or (two-way) with another person's need."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed: waiting for a facilitator"
        CONFIRMED = "confirmed", "Confirmed: waiting for both sides"
        ACTIVE = "active", "Active"
        DECLINED = "declined", "Declined"
        ENDED = "ended", "Ended"
        WITHDRAWN = "withdrawn", "Withdrawn: consent for matching was withdrawn"

    class Side(models.TextChoices):
        FACILITATOR = "facilitator", "The facilitator"
        NEED = "need", "The person with the need"
        OFFER = "offer", "The person or group offering"

    class Outcome(models.TextChoices):
        HELPED = "helped", "It helped"
        PARTLY = "partly", "It helped a little"
        DID_NOT_HELP = "did_not_help", "It did not help"
        NO_LONGER_NEEDED = "no_longer_needed", "No longer needed"

    LIVE = (Status.PROPOSED, Status.CONFIRMED, Status.ACTIVE)

    run = models.ForeignKey(
        MatchRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="matches"
    )
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="matches")
    offer = models.ForeignKey(
        Offer, null=True, blank=True, on_delete=models.CASCADE, related_name="matches"
    )
    partner_need = models.ForeignKey(
        Need,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="two_way_matches",
        help_text="Two-way companionship: the other person's need for company",
    )
    distance_m = models.PositiveIntegerField(help_text="Between LSOA centroids, in metres")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PROPOSED)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    need_side_accepted = models.BooleanField(null=True)
    offer_side_accepted = models.BooleanField(null=True)
    declined_by = models.CharField(max_length=12, choices=Side.choices, blank=True)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(offer__isnull=False, partner_need__isnull=True)
                | Q(offer__isnull=True, partner_need__isnull=False),
                name="match_with_an_offer_or_a_partner",
            ),
            models.UniqueConstraint(
                fields=["need"],
                condition=Q(status__in=["proposed", "confirmed", "active"]),
                name="one_live_match_per_need",
            ),
        ]
        indexes = [models.Index(fields=["status"])]
        verbose_name_plural = "matches"

    def __str__(self) -> str:
        return f"Match {self.pk} ({self.get_status_display()})"

    @property
    def two_way(self) -> bool:
        return self.partner_need_id is not None

    @property
    def both_accepted(self) -> bool:
        return bool(self.need_side_accepted and self.offer_side_accepted)


class HoursLogged(models.Model):
    """Time given through a match, as in a timebank: the giver's hours given are the receiver's
    hours received. In a two-way pairing each gives to the other."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="hours")
    giver = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="hours_given"
    )
    receiver = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="hours_received")
    hours = models.DecimalField(max_digits=4, decimal_places=1)
    on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=24), name="hours_in_range"
            ),
        ]
        verbose_name_plural = "hours logged"

    def __str__(self) -> str:
        return f"{self.hours} h on {self.on}"

    def clean(self) -> None:
        if self.hours is None or not 0 < self.hours <= 24:
            raise ValidationError({"hours": ERROR_HOURS})
