"""The directory in the Open Referral UK model (HSDS 3.0, UK profile).

Each table keeps the standard's field names and its ids (UUIDs), so that a re-import updates a
record in place and the API serves back what was imported. References the standard makes
between records come in two strengths:

- a **foreign key** where the record cannot mean anything without the other (a schedule's
  service, a location's addresses, an attribute's taxonomy term): the importer refuses a record
  whose target is neither in the file nor in the directory;
- a **plain id** (`parent_id`, `taxonomy_id`, `parent_organization_id`, an attribute's
  `link_id`) where the standard lets data point at records published elsewhere: the id is kept
  as the data says, and resolves when (if ever) that record arrives.

Informal **community assets** (the daily cup of tea at the community centre, the Men's Shed) are
services too, marked `community_asset`, and tied to an LSOA through their location.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from hct.places.models import Lsoa

ERROR_AGES = "The minimum age must not be above the maximum age"
ERROR_DATES = "The date it is valid to must not be before the date it is valid from"
ERROR_SCHEDULE_OWNER = "A schedule belongs to a service or to a service at a location"

NAME = 500
URL = 2000
EMAIL = 254
SHORT = 200


class LocationType(models.TextChoices):
    PHYSICAL = "physical", "Physical"
    POSTAL = "postal", "Postal"
    VIRTUAL = "virtual", "Virtual"


class OrukRecord(models.Model):
    """Every ORUK table: the standard's id, and when hct last wrote the row."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Organization(OrukRecord):
    name = models.CharField(max_length=NAME)
    description = models.TextField(blank=True)
    email = models.CharField(max_length=EMAIL, blank=True)
    website = models.CharField(max_length=URL, blank=True)
    logo = models.CharField(max_length=URL, blank=True)
    uri = models.CharField(max_length=URL, blank=True)
    parent_organization_id = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganizationIdentifier(OrukRecord):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="organization_identifiers"
    )
    identifier_scheme = models.CharField(max_length=SHORT, blank=True)
    identifier_type = models.CharField(max_length=SHORT)
    identifier = models.CharField(max_length=SHORT)

    class Meta:
        ordering = ["organization", "identifier_type"]

    def __str__(self) -> str:
        return f"{self.identifier_type} {self.identifier}"


class Taxonomy(OrukRecord):
    name = models.CharField(max_length=NAME)
    description = models.TextField(blank=True)
    uri = models.CharField(max_length=URL, blank=True)
    version = models.CharField(max_length=SHORT, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "taxonomies"

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(OrukRecord):
    """A category. `parent_id` gives the hierarchy; `taxonomy_id` the taxonomy it belongs to."""

    name = models.CharField(max_length=NAME)
    description = models.TextField(blank=True)
    parent_id = models.UUIDField(null=True, blank=True, db_index=True)
    taxonomy = models.CharField(max_length=NAME, blank=True, help_text="Free text or a URI")
    taxonomy_id = models.UUIDField(null=True, blank=True, db_index=True)
    term_uri = models.CharField(max_length=URL, blank=True)
    term = models.CharField(max_length=NAME, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Location(OrukRecord):
    location_type = models.CharField(max_length=10, choices=LocationType.choices)
    name = models.CharField(max_length=NAME, blank=True)
    description = models.TextField(blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    external_identifier = models.CharField(max_length=SHORT, blank=True)
    external_identifier_type = models.CharField(max_length=SHORT, blank=True)
    # Worked out by hct from the point (the LSOA boundary it falls in), not part of ORUK.
    lsoa = models.ForeignKey(
        Lsoa, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name or str(self.id)

    @property
    def has_point(self) -> bool:
        """A point on Earth: data with latitude 100 (the official example has it) is kept but
        left out of distances."""
        return (
            self.latitude is not None
            and self.longitude is not None
            and -90 <= self.latitude <= 90
            and -180 <= self.longitude <= 180
        )


class Address(OrukRecord):
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="addresses")
    attention = models.CharField(max_length=NAME, blank=True)
    address_1 = models.CharField(max_length=NAME)
    city = models.CharField(max_length=SHORT)
    region = models.CharField(max_length=SHORT, blank=True)
    state_province = models.CharField(max_length=SHORT)
    postal_code = models.CharField(max_length=50)
    country = models.CharField(max_length=100)
    address_type = models.CharField(max_length=10, choices=LocationType.choices)

    class Meta:
        ordering = ["location", "address_1"]
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        return f"{self.address_1}, {self.city}"


class Accessibility(OrukRecord):
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="accessibility")
    description = models.TextField(blank=True)
    details = models.TextField(blank=True)
    url = models.CharField(max_length=URL, blank=True)
    accessibility = models.TextField(blank=True)

    class Meta:
        ordering = ["location", "id"]
        verbose_name_plural = "accessibility"

    def __str__(self) -> str:
        return self.description[:60] or str(self.id)


class Service(OrukRecord):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        INACTIVE = "inactive", "Inactive"
        DEFUNCT = "defunct", "Defunct"
        TEMPORARILY_CLOSED = "temporarily closed", "Temporarily closed"

    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="services"
    )
    name = models.CharField(max_length=NAME)
    description = models.TextField(blank=True)
    url = models.CharField(max_length=URL, blank=True)
    email = models.CharField(max_length=EMAIL, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    fees = models.TextField(blank=True)
    accreditations = models.TextField(blank=True)
    minimum_age = models.FloatField(null=True, blank=True)
    maximum_age = models.FloatField(null=True, blank=True)
    assured_date = models.DateField(null=True, blank=True)
    assurer_email = models.CharField(max_length=EMAIL, blank=True)
    alert = models.TextField(blank=True)
    last_modified = models.DateTimeField(null=True, blank=True, db_index=True)
    # hct's own marks, not part of ORUK.
    community_asset = models.BooleanField(
        default=False,
        help_text="An informal community asset (a cup of tea, a Men's Shed), not a formal service",
    )
    illustrative = models.BooleanField(
        default=False, help_text="Made up for the demo: not a real listing"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minimum_age__isnull=True)
                | models.Q(maximum_age__isnull=True)
                | models.Q(maximum_age__gte=models.F("minimum_age")),
                name="service_ages_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if (
            self.minimum_age is not None
            and self.maximum_age is not None
            and self.minimum_age > self.maximum_age
        ):
            raise ValidationError({"maximum_age": ERROR_AGES})


class ServiceAtLocation(OrukRecord):
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="service_at_locations"
    )

    class Meta:
        ordering = ["service", "location"]
        verbose_name = "service at location"

    def __str__(self) -> str:
        return f"{self.service_id} at {self.location_id}"


class Schedule(OrukRecord):
    """When a service (or a service at one location) is open, in the standard's RFC 5545
    RRULE-style fields. Times keep the UTC offset the data gave, if any."""

    class Freq(models.TextChoices):
        WEEKLY = "WEEKLY", "Weekly"
        MONTHLY = "MONTHLY", "Monthly"

    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules"
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="schedules",
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    dtstart = models.DateField(null=True, blank=True)
    freq = models.CharField(max_length=10, choices=Freq.choices, blank=True)
    interval = models.PositiveSmallIntegerField(null=True, blank=True)
    byday = models.CharField(max_length=SHORT, blank=True)
    bymonthday = models.CharField(max_length=SHORT, blank=True)
    description = models.TextField(blank=True)
    opens_at = models.TimeField(null=True, blank=True)
    opens_at_offset = models.SmallIntegerField(
        null=True, blank=True, help_text="Minutes east of UTC, when the data gave one"
    )
    closes_at = models.TimeField(null=True, blank=True)
    closes_at_offset = models.SmallIntegerField(null=True, blank=True)
    schedule_link = models.CharField(max_length=URL, blank=True)
    attending_type = models.TextField(blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(service__isnull=False)
                | models.Q(service_at_location__isnull=False),
                name="schedule_has_an_owner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.freq or 'schedule'} {self.byday}".strip()

    def clean(self) -> None:
        if self.service_id is None and self.service_at_location_id is None:
            raise ValidationError(ERROR_SCHEDULE_OWNER)
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": ERROR_DATES})


class ServiceArea(OrukRecord):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_areas")
    name = models.TextField(blank=True)
    extent = models.TextField(blank=True)
    extent_type = models.CharField(max_length=SHORT, blank=True)
    uri = models.CharField(max_length=URL, blank=True)
    service_area = models.TextField(blank=True)

    class Meta:
        ordering = ["service", "id"]

    def __str__(self) -> str:
        return self.name[:60] or str(self.id)


class Contact(OrukRecord):
    """A contact a service publishes (a role, and the name the service chose to publish)."""

    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(max_length=NAME, blank=True)
    title = models.CharField(max_length=NAME, blank=True)

    class Meta:
        ordering = ["service", "title", "id"]

    def __str__(self) -> str:
        return self.title or self.name or str(self.id)


class Phone(OrukRecord):
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    number = models.CharField(max_length=100)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["contact", "id"]

    def __str__(self) -> str:
        return self.number


class Language(OrukRecord):
    """A language a service (or a phone line) works in. The UK profile keeps only ids; `name`
    and `code` are HSDS 3.0's, kept when a file gives them."""

    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="languages"
    )
    phone = models.ForeignKey(
        Phone, null=True, blank=True, on_delete=models.CASCADE, related_name="languages"
    )
    name = models.CharField(max_length=SHORT, blank=True)
    code = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name or self.code or str(self.id)


class Funding(OrukRecord):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="funding")
    source = models.TextField(blank=True)

    class Meta:
        ordering = ["service", "id"]
        verbose_name_plural = "funding"

    def __str__(self) -> str:
        return self.source[:60] or str(self.id)


class CostOption(OrukRecord):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    option = models.TextField(blank=True)
    amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    amount_description = models.TextField(blank=True)

    class Meta:
        ordering = ["service", "id"]

    def __str__(self) -> str:
        return self.option[:60] or str(self.id)

    def clean(self) -> None:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": ERROR_DATES})


class Attribute(OrukRecord):
    """A taxonomy term given to a record: a service's categories, a location's features.

    `link_id` and `link_entity` say which record, as the standard does (any table may have
    attributes); the link may name a record the directory does not hold yet.
    """

    class Entity(models.TextChoices):
        SERVICE = "service", "Service"
        ORGANIZATION = "organization", "Organization"
        LOCATION = "location", "Location"
        CONTACT = "contact", "Contact"
        ADDRESS = "address", "Address"
        ACCESSIBILITY = "accessibility", "Accessibility"
        ORGANIZATION_IDENTIFIER = "organization_identifier", "Organization identifier"

    link_id = models.UUIDField(null=True, blank=True, db_index=True)
    link_entity = models.CharField(max_length=30, choices=Entity.choices, blank=True)
    link_type = models.CharField(max_length=SHORT, blank=True)
    taxonomy_term = models.ForeignKey(
        TaxonomyTerm, on_delete=models.PROTECT, related_name="attributes"
    )

    class Meta:
        ordering = ["link_entity", "link_id", "id"]

    def __str__(self) -> str:
        return f"{self.link_entity} {self.link_id}: {self.taxonomy_term_id}"


class ImportRun(models.Model):
    """One upload of an ORUK file: the file itself until it has been imported, then the report
    (what was created and updated, every problem, what was skipped)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to be checked"
        IMPORTED = "imported", "Imported"
        REFUSED = "refused", "Nothing imported: problems found"
        FAILED = "failed", "Failed"

    file_name = models.CharField(max_length=255)
    content = models.BinaryField(blank=True)
    size = models.PositiveIntegerField(default=0)
    valid_only = models.BooleanField(default=False)
    kind = models.CharField(
        max_length=30, blank=True, help_text="What the file holds, when its name does not say"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    summary = models.JSONField(default=dict, blank=True)
    problems = models.JSONField(default=list, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    skipped = models.JSONField(default=list, blank=True)
    job_id = models.UUIDField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"
