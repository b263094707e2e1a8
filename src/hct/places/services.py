"""Writes for places: loading the data, defining neighbourhoods, choosing where to work next."""

from collections.abc import Mapping
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from hct.core.models import User
from hct.core.services import audit_record
from hct.places import loader
from hct.places.models import Lsoa, Neighbourhood, WhereNextChoice

ERROR_NAME_TAKEN = "A neighbourhood with this name already exists"
ERROR_NO_LSOAS = "Choose at least one LSOA"
ERROR_NO_CHOICE = "Choose at least one neighbourhood"
ERROR_TOO_MANY = "Choose at most {limit} neighbourhoods"
WHERE_NEXT_LIMIT = 6


def places_load(*, actor: User | None, directory: Path = loader.DATA_DIR) -> loader.LoadSummary:
    """Parse and check every file first, then write everything in one transaction."""
    data = loader.parse(Path(directory))
    with transaction.atomic():
        summary = loader.write(data, source=str(directory))
        audit_record(
            actor=actor,
            verb="places.load",
            subject_type="places.placesload",
            details={
                "lsoas": summary.lsoas,
                "wards": summary.wards,
                "practices": summary.practices,
            },
        )
    return summary


@transaction.atomic
def neighbourhood_create(
    *,
    actor: User,
    name: str,
    lsoas: list[Lsoa],
    description: str = "",
    kind: str = Neighbourhood.Kind.CUSTOM,
) -> Neighbourhood:
    """A neighbourhood has a unique name and at least one LSOA."""
    name = name.strip()
    if not lsoas:
        raise ValidationError({"lsoas": ERROR_NO_LSOAS})
    slug = slugify(name)[:120]
    if (
        Neighbourhood.objects.filter(name__iexact=name).exists()
        or Neighbourhood.objects.filter(slug=slug).exists()
    ):
        raise ValidationError({"name": ERROR_NAME_TAKEN})
    neighbourhood = Neighbourhood(
        name=name, slug=slug, kind=kind, description=description, created_by=actor
    )
    neighbourhood.full_clean()
    neighbourhood.save()
    neighbourhood.lsoas.set(lsoas)
    audit_record(
        actor=actor,
        verb="neighbourhood.create",
        subject=neighbourhood,
        details={"lsoas": len(lsoas)},
    )
    return neighbourhood


@transaction.atomic
def where_next_choose(
    *,
    actor: User,
    neighbourhoods: list[Neighbourhood],
    reason: str,
    weights: Mapping[str, float],
    ranking: list[dict],
) -> WhereNextChoice:
    """Save a choice of up to six neighbourhoods with the ranking and weights it was made from."""
    if not neighbourhoods:
        raise ValidationError({"neighbourhoods": ERROR_NO_CHOICE})
    if len(neighbourhoods) > WHERE_NEXT_LIMIT:
        raise ValidationError({"neighbourhoods": ERROR_TOO_MANY.format(limit=WHERE_NEXT_LIMIT)})
    choice = WhereNextChoice(
        chosen_by=actor, reason=reason.strip(), weights=weights, ranking=ranking
    )
    choice.full_clean()
    choice.save()
    choice.neighbourhoods.set(neighbourhoods)
    audit_record(
        actor=actor,
        verb="where_next.choose",
        subject=choice,
        details={"neighbourhoods": [n.pk for n in neighbourhoods]},
    )
    return choice
