from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from hct.core.roles import Role
from hct.places.models import Neighbourhood


class Sector(models.TextChoices):
    COMMUNITY = "community", "Community group"
    VOLUNTARY = "voluntary", "Voluntary sector"
    COUNCIL = "council", "Council"
    NHS = "nhs", "NHS trust"


class Partnership(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Partner(models.Model):
    """An organisation in the partnership, working as an equal."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(max_length=200)
    sector = models.CharField(max_length=20, choices=Sector.choices)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="one_partner_name")
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's place in a partnership: the organisation they come from, what they do, and the
    neighbourhoods their work covers (their scope)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="memberships"
    )
    partner = models.ForeignKey(
        Partner, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    title = models.CharField(max_length=200, blank=True, help_text="For example, Head of IAPT")
    neighbourhoods = models.ManyToManyField(Neighbourhood, blank=True, related_name="memberships")
    is_lead = models.BooleanField(
        "Leads the partnership",
        default=False,
        help_text="Can add organisations, invite people and end memberships",
    )
    joined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["partnership", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "partnership"], name="one_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.partnership}"

    def clean(self) -> None:
        if self.partner is not None and self.partner.partnership_id != self.partnership_id:
            raise ValidationError(
                {"partner": "The organisation must belong to the same partnership"}
            )


class PastMembership(models.Model):
    """A membership that has ended. The live `Membership` row goes (so every scope rule, which
    joins through memberships, drops the person at once); this keeps who they were and the
    organisation they came from, so what they recorded stays attributed to it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="past_memberships",
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="past_memberships"
    )
    partner = models.ForeignKey(
        Partner, null=True, blank=True, on_delete=models.SET_NULL, related_name="past_members"
    )
    title = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=20, blank=True)
    joined_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(auto_now_add=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["partnership", "-ended_at"]

    def __str__(self) -> str:
        return f"{self.user} in {self.partnership} (ended {self.ended_at:%Y-%m-%d})"


class Invitation(models.Model):
    """A one-time way into a partnership with a role: a link to open, or a short code to read
    out (many people have no email). Only hashes of the link's token and of the code are kept,
    so a copy of the database lets nobody in."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    partner = models.ForeignKey(
        Partner,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations",
        verbose_name="organisation",
    )
    title = models.CharField(max_length=200, blank=True)
    is_lead = models.BooleanField(default=False)
    neighbourhoods = models.ManyToManyField(Neighbourhood, blank=True, related_name="+")
    # Who it is for, in the inviter's words, so the list of invitations says who has joined.
    invitee = models.CharField(max_length=120)
    email = models.EmailField(blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    code_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations_accepted",
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be used"
        JOINED = "joined", "Joined"
        EXPIRED = "expired", "Expired"
        CANCELLED = "cancelled", "Cancelled"

    class Meta:
        ordering = ["partnership", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role=Role.ADMIN), name="no_invitation_to_be_platform_admin"
            )
        ]

    def __str__(self) -> str:
        return f"Invitation for {self.invitee} to {self.partnership}"

    def status_at(self, now) -> str:
        if self.accepted_at:
            return self.Status.JOINED
        if self.cancelled_at:
            return self.Status.CANCELLED
        if self.expires_at <= now:
            return self.Status.EXPIRED
        return self.Status.PENDING


class CharterRevision(models.Model):
    """One dated revision of the poolside charter: how the partners work together."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="charter_revisions"
    )
    number = models.PositiveIntegerField()
    stated_purpose = models.TextField()
    felt_purpose = models.TextField()
    accountability = models.TextField(help_text="How we hold ourselves and each other to account")
    disagreement = models.TextField(
        help_text="How we behave when we disagree or other priorities creep in"
    )
    side_conversations = models.TextField(help_text="How we notice side conversations")
    note = models.CharField(max_length=300, blank=True, help_text="What changed and why")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    SECTIONS = (
        ("stated_purpose", "Our stated purpose"),
        ("felt_purpose", "Our felt purpose"),
        ("accountability", "How we hold ourselves and each other to account"),
        ("disagreement", "How we behave when we disagree, or when other priorities creep in"),
        ("side_conversations", "How we notice side conversations"),
    )

    class Meta:
        ordering = ["partnership", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "number"], name="one_revision_number")
        ]

    def __str__(self) -> str:
        return f"{self.partnership} charter, revision {self.number}"

    @property
    def sections(self) -> list[tuple[str, str]]:
        return [(label, getattr(self, name)) for name, label in self.SECTIONS]


class Stage(models.TextChoices):
    POOLSIDE = "poolside", "Poolside"
    DIVE_IN = "dive_in", "Dive in"
    STORY = "story", "The story"
    BIG_CONVERSATION_1 = "bc1", "Big Conversation 1: a humanising encounter"
    BIG_CONVERSATION_2 = "bc2", "Big Conversation 2: making sense"
    BIG_CONVERSATION_3 = "bc3", "Big Conversation 3: the plan"
    ACT_AND_REVIEW = "act", "Act and review"


STAGE_ORDER = list(Stage)


class Cycle(models.Model):
    """One run of the method in one neighbourhood."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="cycles")
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, related_name="cycles"
    )
    number = models.PositiveIntegerField(help_text="1 for the partnership's first cycle, and so on")
    current_stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.POOLSIDE)
    note = models.TextField(blank=True)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="cycles_taking_part",
        help_text="The facilitators and partner members who take part in this cycle",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["partnership", "number"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "number"], name="one_cycle_number")
        ]

    def __str__(self) -> str:
        return f"Cycle {self.number}: {self.neighbourhood}"

    @property
    def stage_index(self) -> int:
        return STAGE_ORDER.index(Stage(self.current_stage))


class CycleStage(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(max_length=20, choices=Stage.choices)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    # The plan made when the cycle started, kept beside what happened so slippage can be read off.
    planned_start = models.DateField(null=True, blank=True)
    planned_end = models.DateField(null=True, blank=True)
    # Why the cycle last came back to this stage from a later one (the audit trail holds no text).
    returned_because = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["cycle", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "stage"], name="one_record_per_stage"),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(started_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="stage_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=models.Q(planned_end__isnull=True)
                | models.Q(planned_start__isnull=True)
                | models.Q(planned_end__gte=models.F("planned_start")),
                name="stage_planned_to_end_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cycle}: {self.get_stage_display()}"

    def clean(self) -> None:
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": "A stage cannot end before it starts"})
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            raise ValidationError(
                {"planned_end": "A stage cannot be planned to end before it starts"}
            )

    @property
    def slipped_days(self) -> int | None:
        """Days the stage started later than planned (negative: earlier); None without both."""
        if self.planned_start and self.started_on:
            return (self.started_on - self.planned_start).days
        return None
