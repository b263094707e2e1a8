"""The kinds of evidence a lesson can point at, registered by the apps that hold them.

A kind says how to list the records of one cycle a lesson may cite (newest first, a bounded
number) and where a record's page is. The learning app registers the kinds on main (field notes,
gaps, community assets); conversations, commitments and matching register theirs in the same
way (`register(EvidenceKind(...))`), with no change to the learning log's models.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

CHOICES_PER_KIND = 30


@dataclass(frozen=True)
class EvidenceKind:
    key: str
    label: str  # "Field note", "Gap" …
    order: int
    # The records of a cycle that may be cited: (object id as text, label) pairs.
    choices: Callable[..., list[tuple[str, str]]]
    # The page of one record, or None when it has none (or the record went).
    url: Callable[[str], str | None] = lambda object_id: None


_kinds: dict[str, EvidenceKind] = {}


def register(kind: EvidenceKind) -> None:
    _kinds[kind.key] = kind


def kinds() -> list[EvidenceKind]:
    return sorted(_kinds.values(), key=lambda k: (k.order, k.key))


def kind_get(key: str) -> EvidenceKind | None:
    return _kinds.get(key)


def url_for(key: str, object_id: str) -> str | None:
    kind = _kinds.get(key)
    if kind is None:
        return None
    try:
        return kind.url(object_id)
    except NoReverseMatch:
        return None


def _field_notes(cycle) -> list[tuple[str, str]]:
    from hct.learning.models import FieldNote

    notes = FieldNote.objects.filter(cycle=cycle).order_by("-written_on", "-id")
    return [(str(n.pk), f"{n} — {n.where_useful[:60]}") for n in notes[:CHOICES_PER_KIND]]


def _gaps(cycle) -> list[tuple[str, str]]:
    # Named by kind and journey number only: a lesson may be read by partners and the board.
    from hct.journeys.models import Gap
    from hct.people.selectors import lsoas_in
    from hct.places.models import Neighbourhood

    here = lsoas_in(Neighbourhood.objects.filter(pk=cycle.neighbourhood_id)).values("pk")
    gaps = (
        Gap.objects.filter(journey__person__home_lsoa__in=here)
        .order_by("-created_at", "-id")
        .only("pk", "kind", "journey_id")[:CHOICES_PER_KIND]
    )
    return [(str(g.pk), f"{g.get_kind_display()} (journey {g.journey_id})") for g in gaps]


def _assets(cycle) -> list[tuple[str, str]]:
    from hct.learning.models import AssetFound

    assets = AssetFound.objects.filter(field_note__cycle=cycle).order_by("-created_at", "-id")
    return [(str(a.pk), a.name) for a in assets[:CHOICES_PER_KIND]]


def register_builtin() -> None:
    register(
        EvidenceKind(
            "field_note",
            "Field note",
            10,
            _field_notes,
            lambda pk: reverse("learning:field-note", args=[int(pk)]),
        )
    )
    register(EvidenceKind("asset", "Community asset found", 20, _assets))
    register(EvidenceKind("gap", "Gap in a journey", 30, _gaps))
