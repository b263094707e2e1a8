"""People, pseudonymous: an alias and what they chose to share, with their identity apart.

A person's home is an LSOA, never an address. Name, contact and address live only in `Identity`,
encrypted at rest (`hct.people.identity`), readable by the person's named facilitators.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from hct.partnership.models import Partnership
from hct.people.purposes import Purpose  # defined beside its plain words
from hct.places.models import Lsoa

ERROR_ALIAS_EMPTY = "Enter the name this person wants to be known by here"
ERROR_WITHDRAWN_BEFORE_GIVEN = "Consent cannot be withdrawn before the day it was given"
ERROR_WORDS_EMPTY = "Write it in the person's own words"


class Person(models.Model):
    """Someone whose story, journey, needs and strengths the partnership holds, under an alias."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    alias = models.CharField(
        max_length=120, help_text="The name they want to be known by, e.g. Sam (not his real name)"
    )
    shared = models.TextField(
        blank=True, help_text="What they chose to share about themselves, in their words"
    )
    home_lsoa = models.ForeignKey(
        Lsoa,
        on_delete=models.PROTECT,
        related_name="people",
        help_text="The small area (LSOA) they live in; never an address",
    )
    # The partnership that holds this person's record: only its members see them (two
    # partnerships may work in the same ward). Null only for rows made outside the services.
    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        help_text="Their own account, if they have one",
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="people_facilitated"
    )
    synthetic = models.BooleanField(
        default=False, help_text="Made up, for a demo or a benchmark: not a real person"
    )
    # Which generator made a synthetic record ("demo", "city") so a later run can replace its own.
    synthetic_batch = models.CharField(max_length=40, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["alias", "id"]
        verbose_name_plural = "people"
        constraints = [
            models.CheckConstraint(
                condition=Q(synthetic=True) | Q(synthetic_batch=""),
                name="only_synthetic_people_have_a_batch",
            )
        ]

    def __str__(self) -> str:
        return self.alias

    def clean(self) -> None:
        if not self.alias.strip():
            raise ValidationError({"alias": ERROR_ALIAS_EMPTY})


class Identity(models.Model):
    """Name, contact and address, encrypted together as one Fernet token (see identity.py)."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="identity")
    token = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "identities"

    def __str__(self) -> str:
        return f"Identity of person {self.person_id}"


class Consent(models.Model):
    """Consent for one purpose: given on a day, in a way, recorded by someone; and perhaps
    withdrawn. Withdrawn consents are kept as history; at most one is current per purpose."""

    class How(models.TextChoices):
        IN_PERSON = "in_person", "Said in person"
        WRITTEN = "written", "Signed or written"
        PHONE = "phone", "By phone"
        ONLINE = "online", "Online, by themselves"
        SOMEONE_ELSE = "someone_else", "Through someone they chose (e.g. an advocate)"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=30, choices=Purpose.choices)
    given_on = models.DateField()
    how = models.CharField(max_length=20, choices=How.choices)
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawal_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["person", "purpose", "-given_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "purpose"],
                condition=Q(withdrawn_on__isnull=True),
                name="one_current_consent_per_purpose",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
            ),
        ]
        indexes = [models.Index(fields=["purpose", "withdrawn_on"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.given_on})"

    def clean(self) -> None:
        if self.withdrawn_on and self.given_on and self.withdrawn_on < self.given_on:
            raise ValidationError({"withdrawn_on": ERROR_WITHDRAWN_BEFORE_GIVEN})

    @property
    def current(self) -> bool:
        return self.withdrawn_on is None


class Need(models.Model):
    """Something a person says would keep them well, in their words. The matching app (issue 7)
    refers to needs by id; kind, words, urgency and status are all it relies on."""

    class Kind(models.TextChoices):
        COMPANIONSHIP = "companionship", "Companionship"
        SOMEONE_TO_TALK_TO = "someone_to_talk_to", "Someone to talk to"
        SHOPPING = "shopping", "Practical help: shopping"
        PET_CARE = "pet_care", "Practical help: looking after a pet"
        PRACTICAL = "practical", "Practical help: around the home"
        FLEXIBLE_SERVICES = "flexible_services", "Flexible services"
        GETTING_ABOUT = "getting_about", "Getting about"
        MONEY = "money", "Money"
        HOUSING = "housing", "Housing"
        HEALTH = "health", "Health and care"
        OTHER = "other", "Something else"

    class Urgency(models.TextChoices):
        ROUTINE = "routine", "When it can be arranged"
        SOON = "soon", "In the next few weeks"
        URGENT = "urgent", "Now"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        MET = "met", "Met"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="needs")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    in_their_words = models.TextField()
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    met_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person", "status", "id"]
        indexes = [models.Index(fields=["kind", "status"])]

    def __str__(self) -> str:
        return self.get_kind_display()

    def clean(self) -> None:
        if not self.in_their_words.strip():
            raise ValidationError({"in_their_words": ERROR_WORDS_EMPTY})


class Strength(models.Model):
    """What a person can give back — time, skills, company — in their words."""

    class Kind(models.TextChoices):
        TIME = "time", "Time"
        SKILLS = "skills", "Skills"
        COMPANY = "company", "Company"
        EXPERIENCE = "experience", "Lived experience"
        PRACTICAL = "practical", "Practical help"
        OTHER = "other", "Something else"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="strengths")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    in_their_words = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person", "id"]

    def __str__(self) -> str:
        return self.get_kind_display()

    def clean(self) -> None:
        if not self.in_their_words.strip():
            raise ValidationError({"in_their_words": ERROR_WORDS_EMPTY})


class Erasure(models.Model):
    """That a person was erased: their random id only, nothing that identifies them. The same
    ids go to the ledger file (settings.HCT_ERASURE_LEDGER) so a restore cannot bring them back."""

    person_uuid = models.UUIDField(unique=True)
    erased_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-erased_at"]

    def __str__(self) -> str:
        return f"Erasure {self.person_uuid}"


class PersonInvitation(models.Model):
    """An invitation to join that names a person already recorded. Their new account is tied to
    the record only if they say yes on the join page: until then the record stays the
    facilitator's, and the account starts empty."""

    invitation = models.OneToOneField(
        "partnership.Invitation", on_delete=models.CASCADE, related_name="person_link"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="invitations")

    def __str__(self) -> str:
        return f"Invitation {self.invitation_id} for person {self.person_id}"
