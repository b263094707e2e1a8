"""Find help: services and community assets by words, category, neighbourhood, opening time
and distance from an LSOA's population-weighted centre."""

import datetime as dt
import math
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from hct.directory.models import (
    Attribute,
    Location,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from hct.directory.schedules import Rule, summary
from hct.directory.selectors.records import (
    LISTED,
    ServiceFilters,
    attributes_for,
    earth_point,
    great_circle_m,
    service_full,
    term_descendants,
)
from hct.places.models import Lsoa, Neighbourhood

# -- Find help ------------------------------------------------------------------------------------


@dataclass
class HelpQuery:
    text: str = ""
    neighbourhood: Neighbourhood | None = None
    term: TaxonomyTerm | None = None
    open_on: dt.date | None = None
    open_at: dt.time | None = None
    near: Lsoa | None = None  # its population-weighted centroid
    show: str = "all"  # all, services, assets

    @property
    def open_moment(self) -> dt.datetime | None:
        from django.utils import timezone

        if self.open_on is None and self.open_at is None:
            return None
        day = self.open_on or timezone.localdate()
        if self.open_at is None:
            return None
        return timezone.make_aware(dt.datetime.combine(day, self.open_at))


@dataclass
class HelpRow:
    service: Service
    categories: list[TaxonomyTerm]
    places: list[Location]
    when: list[str]
    distance_m: float | None = None

    @property
    def distance_km(self) -> str:
        return "" if self.distance_m is None else f"{self.distance_m / 1000:.1f} km"


@dataclass
class HelpPage:
    rows: list[HelpRow]
    total: int
    page: int
    pages: int
    without_schedule: int = 0  # left out when asking what is open
    without_point: int = 0  # listed last when asking what is nearest
    terms: set = field(default_factory=set)


PAGE_SIZE = 25


def find_help(query: HelpQuery, *, page: int = 1, per_page: int = PAGE_SIZE) -> HelpPage:
    """Services and community assets that match, nearest first from an LSOA's centroid when one
    is given, else by name; with opening times checked against the schedules' rules."""
    services = Service.objects.filter(status__in=LISTED)
    if query.text:
        services = ServiceFilters(search=query.text).apply(services)
    terms = set()
    if query.term is not None:
        terms = term_descendants([query.term.id])
        services = services.filter(
            id__in=Attribute.objects.filter(taxonomy_term_id__in=terms).values("link_id")
        )
    if query.neighbourhood is not None:
        services = services.filter(
            id__in=ServiceAtLocation.objects.filter(
                location__lsoa__in=query.neighbourhood.lsoas.all()
            ).values("service_id")
        )
    if query.show == "assets":
        services = services.filter(community_asset=True)
    elif query.show == "services":
        services = services.filter(community_asset=False)
    candidates = list(services.order_by("name", "id").values_list("id", flat=True))
    without_schedule = 0

    moment, day = query.open_moment, query.open_on
    if moment is not None or day is not None:
        rules = defaultdict(list)
        for schedule in Schedule.objects.filter(
            Q(service__in=services) | Q(service_at_location__service__in=services)
        ).select_related("service_at_location"):
            # A schedule belongs to a service or to a service at a location (one of the two).
            at = schedule.service_at_location
            owner = schedule.service_id or (at.service_id if at is not None else None)
            rules[owner].append(Rule.of(schedule))
        without_schedule = sum(1 for service_id in candidates if not rules.get(service_id))
        if moment is not None:
            candidates = [s for s in candidates if any(r.is_open_at(moment) for r in rules[s])]
        elif day is not None:
            candidates = [s for s in candidates if any(r.is_open_on(day) for r in rules[s])]

    distances: dict[uuid.UUID, float] = {}
    without_point = 0
    if query.near is not None:
        for service_id, lat, lon in ServiceAtLocation.objects.filter(
            service__in=services
        ).values_list("service_id", "location__latitude", "location__longitude"):
            if (point := earth_point(lat, lon)) is not None:
                metres = great_circle_m(query.near.latitude, query.near.longitude, *point)
                distances[service_id] = min(metres, distances.get(service_id, math.inf))
        order = {service_id: i for i, service_id in enumerate(candidates)}
        without_point = sum(1 for s in candidates if s not in distances)
        candidates.sort(key=lambda s: (s not in distances, distances.get(s, 0), order[s]))

    total = len(candidates)
    pages = max(1, math.ceil(total / per_page))
    page = min(max(1, page), pages)
    shown = candidates[(page - 1) * per_page : page * per_page]
    rows = _help_rows(shown, distances)
    return HelpPage(rows, total, page, pages, without_schedule, without_point, terms)


def _help_rows(ids: list[uuid.UUID], distances: dict) -> list[HelpRow]:
    loaded = (
        Service.objects.select_related("organization")
        .prefetch_related(
            "schedules",
            Prefetch(
                "service_at_locations",
                queryset=ServiceAtLocation.objects.select_related("location__lsoa__ward"),
            ),
        )
        .in_bulk(ids)
    )
    attributes = attributes_for(ids)
    rows = []
    for service_id in ids:
        service = loaded[service_id]
        places = [link.location for link in service.service_at_locations.all()]
        rows.append(
            HelpRow(
                service=service,
                categories=[a.taxonomy_term for a in attributes.get(service_id, [])],
                places=places,
                when=[summary(Rule.of(s)) for s in service.schedules.all()],
                distance_m=distances.get(service_id),
            )
        )
    return rows


@dataclass
class ServiceDetail:
    service: Service
    attributes: dict
    categories: list[TaxonomyTerm]
    when: list[str]
    places: list[dict]


def service_detail(service_id: uuid.UUID) -> ServiceDetail | None:
    full = service_full(service_id)
    if full is None:
        return None
    service, attributes = full
    places = []
    for link in service.service_at_locations.all():
        places.append(
            {
                "location": link.location,
                "when": [summary(Rule.of(s)) for s in link.schedules.all()],
                "features": [a.taxonomy_term for a in attributes.get(link.location_id, [])],
            }
        )
    return ServiceDetail(
        service=service,
        attributes=attributes,
        categories=[a.taxonomy_term for a in attributes.get(service.id, [])],
        when=[summary(Rule.of(s)) for s in service.schedules.all()],
        places=places,
    )
