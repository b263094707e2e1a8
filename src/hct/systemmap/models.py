"""Actors and links: everyone and everything in the system that keeps people well (or not).

"We are all the system: the person, family, neighbours, friends, community, businesses, local
services, acute services." A journey's touchpoints point at actors; a gap recorded in a journey
marks the link between two actors broken or missing (`services.link_mark`), and every journey
leaves evidence on the links it shows (`derive.links_derive`): a referral between consecutive
touchpoints, a gap that marks a link broken or missing. Links can also be drawn by hand.
Snapshots keep a whole neighbourhood's map under a name, to compare before and after a cycle.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from hct.partnership.models import Partnership
from hct.people.models import Person
from hct.places.models import Neighbourhood

ERROR_PRIVATE_NEEDS_PERSON = "A private actor (such as “Sam's sister”) belongs to one person"
ERROR_LINK_TO_ITSELF = "A link joins two different actors"
ERROR_NAME_EMPTY = "Enter the actor's name"


class Sector(models.TextChoices):
    PERSON_FAMILY = "person_family", "Person and family"
    COMMUNITY = "community", "Community"
    LOCAL_SERVICES = "local_services", "Local services"
    ACUTE_SERVICES = "acute_services", "Acute services"


SECTOR_ORDER = list(Sector)


class Actor(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "The person"
        FAMILY = "family", "Family"
        NEIGHBOUR = "neighbour", "Neighbour"
        FRIEND = "friend", "Friend"
        COMMUNITY_GROUP = "community_group", "Community group"
        EVERYDAY_CONTACT = "everyday_contact", "Everyday contact (the postman, a shopkeeper …)"
        BUSINESS = "business", "Business"
        LOCAL_SERVICE = "local_service", "Local service"
        ACUTE_SERVICE = "acute_service", "Acute service"

    # The sector an actor of each kind sits in unless said otherwise.
    DEFAULT_SECTOR = {
        Kind.PERSON: Sector.PERSON_FAMILY,
        Kind.FAMILY: Sector.PERSON_FAMILY,
        Kind.NEIGHBOUR: Sector.COMMUNITY,
        Kind.FRIEND: Sector.COMMUNITY,
        Kind.COMMUNITY_GROUP: Sector.COMMUNITY,
        Kind.EVERYDAY_CONTACT: Sector.COMMUNITY,
        Kind.BUSINESS: Sector.COMMUNITY,
        Kind.LOCAL_SERVICE: Sector.LOCAL_SERVICES,
        Kind.ACUTE_SERVICE: Sector.ACUTE_SERVICES,
    }
    # Kinds that are about one person: they are private to that person's record.
    PERSONAL_KINDS = frozenset({Kind.PERSON, Kind.FAMILY, Kind.NEIGHBOUR, Kind.FRIEND})

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    sector = models.CharField(max_length=20, choices=Sector.choices)
    description = models.TextField(blank=True)
    neighbourhood = models.ForeignKey(
        Neighbourhood, null=True, blank=True, on_delete=models.SET_NULL, related_name="actors"
    )
    # The partnership that placed it on its map by hand; null for the actors journeys meet
    # (a service, the postman), which appear on a partnership's map only through its own people.
    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # A private actor ("Sam's sister") is named only to that person's facilitators; others see
    # its kind. It goes when the person is erased.
    private = models.BooleanField(default=False)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="actors"
    )
    # The directory listing this actor stands for, when it came from (or was matched with) one.
    directory_service = models.ForeignKey(
        "directory.Service", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    synthetic = models.BooleanField(default=False)
    synthetic_batch = models.CharField(max_length=40, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # A rename shows on the map: the map's version (selectors.map_version) reads this.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(private=False) | Q(person__isnull=False),
                name="private_actor_has_a_person",
            )
        ]
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not self.name.strip():
            raise ValidationError({"name": ERROR_NAME_EMPTY})
        if self.private and self.person_id is None:
            raise ValidationError({"private": ERROR_PRIVATE_NEEDS_PERSON})

    def label_for(self, sees_private: bool) -> str:
        """The name, or for a private actor seen by someone who may not know it, its kind."""
        if self.private and not sees_private:
            return self.get_kind_display()
        return self.name


class Link(models.Model):
    class Kind(models.TextChoices):
        SUPPORT = "support", "Support"
        COMPANIONSHIP = "companionship", "Companionship"
        REFERRAL = "referral", "Referral"
        INFORMATION = "information", "Information"
        FUNDING = "funding", "Funding"
        ACCOUNTABILITY = "accountability", "Accountability"

    class Status(models.TextChoices):
        WORKING = "working", "Working"
        STRAINED = "strained", "Strained"
        BROKEN = "broken", "Broken"
        MISSING = "missing", "Missing"

    class Direction(models.TextChoices):
        FORWARD = "forward", "From the first to the second"
        BOTH = "both", "Both ways"

    class Polarity(models.TextChoices):
        # As in LOOPY and PRSM: does more of the first bring more (+) or less (−) of the second?
        NONE = "", "Not said"
        SAME = "+", "More brings more (+)"
        OPPOSITE = "-", "More brings less (−)"

    class Origin(models.TextChoices):
        JOURNEYS = "journeys", "Seen in journeys"
        HAND = "hand", "Drawn by hand"
        IMPORT = "import", "Imported"
        CONVERSATION = "conversation", "Said at a Big Conversation"

    from_actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="links_out")
    to_actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WORKING)
    direction = models.CharField(
        max_length=10, choices=Direction.choices, default=Direction.FORWARD
    )
    strength = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="1 (weak) to 5 (strong), if known"
    )
    polarity = models.CharField(max_length=1, choices=Polarity.choices, default="", blank=True)
    note = models.CharField(max_length=300, blank=True)
    origin = models.CharField(max_length=12, choices=Origin.choices, default=Origin.JOURNEYS)
    # Someone set the status by hand: what journeys show no longer overrides it.
    status_by_hand = models.BooleanField(default=False)
    # How many times journeys have marked this link broken or missing (its evidence, in brief).
    times_marked = models.PositiveIntegerField(default=0)
    synthetic = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)
    # The partnership that drew it by hand (or imported it, or heard it at its Big
    # Conversation): only its map shows it, even between actors every map shares (a service,
    # the postman). Null for the links journeys show, which every map with those actors shares.
    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["from_actor", "to_actor", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_actor", "to_actor", "kind"],
                condition=Q(partnership__isnull=True),
                name="one_link_per_pair_and_kind",
            ),
            models.UniqueConstraint(
                fields=["from_actor", "to_actor", "kind", "partnership"],
                condition=Q(partnership__isnull=False),
                name="one_link_per_pair_kind_and_partnership",
            ),
            models.CheckConstraint(
                condition=~Q(from_actor=models.F("to_actor")), name="link_joins_two_actors"
            ),
            models.CheckConstraint(
                condition=Q(strength__isnull=True) | Q(strength__gte=1, strength__lte=5),
                name="link_strength_one_to_five",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_actor} → {self.to_actor} ({self.get_kind_display()}, {self.get_status_display()})"

    def clean(self) -> None:
        if self.from_actor_id and self.from_actor_id == self.to_actor_id:
            raise ValidationError(ERROR_LINK_TO_ITSELF)


class LinkEvidence(models.Model):
    """What shows a link: a journey's touchpoints or gap (derived, replaced whenever the journey
    changes), or later what was said at a Big Conversation."""

    class Source(models.TextChoices):
        SEQUENCE = "sequence", "One touchpoint led to the next"
        GAP = "gap", "A gap in a journey"
        CONVERSATION = "conversation", "Said at a Big Conversation"

    link = models.ForeignKey(Link, on_delete=models.CASCADE, related_name="evidence")
    source = models.CharField(max_length=20, choices=Source.choices)
    # The person whose journey shows it: erasing them takes their evidence with them.
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    journey = models.ForeignKey(
        "journeys.Journey", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # SET_NULL, not CASCADE: the evidence of a removed touchpoint or gap must outlive it until
    # `links_derive` replaces the journey's evidence and so learns which links it touched.
    touchpoint = models.ForeignKey(
        "journeys.Touchpoint", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    gap = models.ForeignKey(
        "journeys.Gap", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The status this evidence says the link has (working for a referral that happened).
    status = models.CharField(max_length=10, choices=Link.Status.choices)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["link", "id"]
        indexes = [
            models.Index(fields=["journey"]),
            models.Index(fields=["link", "person"]),
            # the map page's "Said at Big Conversations": a few rows among a city's evidence
            models.Index(fields=["source", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} ({self.get_status_display()})"


class MapSnapshot(models.Model):
    """A neighbourhood's map as it stood, kept under a name ("Before cycle 1") to compare."""

    name = models.CharField(max_length=120)
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="map_snapshots"
    )
    # Whose map it is a snapshot of (null: taken before maps were kept per partnership).
    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # {"actors": [{id, label, kind, sector}], "links": [{from, to, kind, status, ...}]}: shared
    # actors only and private ones by kind, so a snapshot never keeps a private name.
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["neighbourhood", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["neighbourhood", "name"], name="one_snapshot_name")
        ]

    def __str__(self) -> str:
        return self.name
