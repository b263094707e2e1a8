from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

DECILE = [MinValueValidator(1), MaxValueValidator(10)]


class Ward(models.Model):
    code = models.CharField(max_length=9, unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Msoa(models.Model):
    code = models.CharField(max_length=9, unique=True)
    name = models.CharField(max_length=100)  # ONS name, e.g. "Coventry 001"
    local_name = models.CharField(max_length=100)  # House of Commons Library name, e.g. "Longford"
    longitude = models.FloatField()
    latitude = models.FloatField()

    class Meta:
        ordering = ["local_name"]
        verbose_name = "MSOA"

    def __str__(self) -> str:
        return self.local_name


class Lsoa(models.Model):
    """A Lower Layer Super Output Area (2011) with its IoD2019 figures and geography."""

    code = models.CharField(max_length=9, unique=True)
    name = models.CharField(max_length=100)
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="lsoas")
    msoa = models.ForeignKey(Msoa, on_delete=models.PROTECT, related_name="lsoas")
    longitude = models.FloatField(help_text="Population-weighted centroid")
    latitude = models.FloatField(help_text="Population-weighted centroid")
    boundary = models.JSONField(help_text="GeoJSON geometry, WGS84")

    population = models.PositiveIntegerField(help_text="Mid-2015, excluding prisoners")
    population_children = models.PositiveIntegerField()
    population_16_59 = models.PositiveIntegerField()
    population_60_plus = models.PositiveIntegerField()
    population_working_age = models.PositiveIntegerField()

    imd_score = models.FloatField()
    imd_rank = models.PositiveIntegerField()
    imd_decile = models.PositiveSmallIntegerField(validators=DECILE)
    income_score_pct = models.FloatField()
    employment_score_pct = models.FloatField()

    income_rank = models.PositiveIntegerField()
    income_decile = models.PositiveSmallIntegerField(validators=DECILE)
    income_transformed = models.FloatField()
    employment_rank = models.PositiveIntegerField()
    employment_decile = models.PositiveSmallIntegerField(validators=DECILE)
    employment_transformed = models.FloatField()
    education_rank = models.PositiveIntegerField()
    education_decile = models.PositiveSmallIntegerField(validators=DECILE)
    education_transformed = models.FloatField()
    health_rank = models.PositiveIntegerField()
    health_decile = models.PositiveSmallIntegerField(validators=DECILE)
    health_transformed = models.FloatField()
    crime_rank = models.PositiveIntegerField()
    crime_decile = models.PositiveSmallIntegerField(validators=DECILE)
    crime_transformed = models.FloatField()
    barriers_rank = models.PositiveIntegerField()
    barriers_decile = models.PositiveSmallIntegerField(validators=DECILE)
    barriers_transformed = models.FloatField()
    living_environment_rank = models.PositiveIntegerField()
    living_environment_decile = models.PositiveSmallIntegerField(validators=DECILE)
    living_environment_transformed = models.FloatField()

    idaci_rank = models.PositiveIntegerField()
    idaci_decile = models.PositiveSmallIntegerField(validators=DECILE)
    idaopi_rank = models.PositiveIntegerField()
    idaopi_decile = models.PositiveSmallIntegerField(validators=DECILE)

    class Meta:
        ordering = ["code"]
        verbose_name = "LSOA"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class GpPractice(models.Model):
    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=200)
    pcn_name = models.CharField(max_length=200, blank=True)
    registered_patients = models.FloatField(null=True, blank=True)
    # The place (ward or MSOA name) found in the practice's published name or address, and its LSOAs.
    place_named = models.CharField(max_length=100, blank=True)
    place_lsoas = models.ManyToManyField(Lsoa, blank=True, related_name="practices_named_here")

    class Meta:
        ordering = ["name"]
        verbose_name = "GP practice"

    def __str__(self) -> str:
        return self.name


class PracticeLifeExpectancy(models.Model):
    practice = models.ForeignKey(
        GpPractice, on_delete=models.CASCADE, related_name="life_expectancy"
    )
    year = models.PositiveSmallIntegerField()
    female = models.FloatField()
    male = models.FloatField()

    class Meta:
        ordering = ["practice", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "year"], name="one_life_expectancy_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.practice} {self.year}"


class PlacesLoad(models.Model):
    """One run of `hct load-places`; the latest id versions cached neighbourhood figures."""

    loaded_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=300)
    lsoas = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.loaded_at:%Y-%m-%d %H:%M} ({self.lsoas} LSOAs)"


class Neighbourhood(models.Model):
    """A named set of LSOAs: where a partnership works."""

    class Kind(models.TextChoices):
        WARD = "ward", "Electoral ward"
        MSOA = "msoa", "MSOA (House of Commons Library name)"
        CUSTOM = "custom", "Defined by the partnership"

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CUSTOM)
    description = models.TextField(blank=True)
    lsoas = models.ManyToManyField(Lsoa, related_name="neighbourhoods")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WhereNextChoice(models.Model):
    """A saved decision about where to work next: the ranking as it stood, who chose, and why."""

    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    chosen_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField()
    weights = models.JSONField(help_text="The weight given to each indicator")
    ranking = models.JSONField(help_text="The ranking the choice was made from: slug, score, rank")
    neighbourhoods = models.ManyToManyField(Neighbourhood, related_name="where_next_choices")

    class Meta:
        ordering = ["-chosen_at", "-id"]

    def __str__(self) -> str:
        return f"Choice of {self.chosen_at:%Y-%m-%d}"

    def clean(self) -> None:
        if not self.reason.strip():
            raise ValidationError({"reason": "Say why these neighbourhoods were chosen"})


# What a view or another app may name without reaching for the model.
NeighbourhoodKind = Neighbourhood.Kind
