"""Reads of the directory's records: what the ORUK API serves, by the standard's filters."""

import datetime as dt
import math
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from hct.directory.models import (
    Attribute,
    Contact,
    Organization,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG)
LISTED = (Service.Status.ACTIVE, Service.Status.TEMPORARILY_CLOSED)


def great_circle_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance in metres between two WGS84 points (haversine, on the mean Earth sphere)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def earth_point(lat: float | None, lon: float | None) -> tuple[float, float] | None:
    """(latitude, longitude) when both are given and on the Earth, else None."""
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


# -- taxonomy -------------------------------------------------------------------------------------


def term_descendants(term_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """The terms and every term below them in the hierarchy (one query)."""
    children = defaultdict(list)
    for term_id, parent_id in TaxonomyTerm.objects.values_list("id", "parent_id"):
        if parent_id:
            children[parent_id].append(term_id)
    found, stack = set(), list(term_ids)
    while stack:
        term_id = stack.pop()
        if term_id in found:
            continue
        found.add(term_id)
        stack.extend(children.get(term_id, []))
    return found


@dataclass
class TermChoice:
    term: TaxonomyTerm
    depth: int
    taxonomy: str


def term_tree() -> list[TermChoice]:
    """Every term in hierarchy order (parents before their children), for a list to choose from."""
    terms = list(TaxonomyTerm.objects.order_by("name", "id"))
    taxonomies: dict[uuid.UUID | None, str] = dict(Taxonomy.objects.values_list("id", "name"))
    by_id = {t.id: t for t in terms}
    children = defaultdict(list)
    roots = []
    for term in terms:
        if term.parent_id and term.parent_id in by_id and term.parent_id != term.id:
            children[term.parent_id].append(term)
        else:
            roots.append(term)
    roots.sort(key=lambda t: (taxonomies.get(t.taxonomy_id) or t.taxonomy or "", t.name))
    ordered, seen = [], set()

    def visit(term, depth, taxonomy):
        if term.id in seen:
            return
        seen.add(term.id)
        ordered.append(TermChoice(term, depth, taxonomy))
        for child in children.get(term.id, []):
            visit(child, depth + 1, taxonomy)

    for root in roots:
        visit(root, 0, taxonomies.get(root.taxonomy_id) or root.taxonomy)
    return ordered


def taxonomy_list() -> QuerySet[Taxonomy]:
    return Taxonomy.objects.order_by("name", "id")


def taxonomy_get(taxonomy_id: uuid.UUID) -> Taxonomy | None:
    return Taxonomy.objects.filter(id=taxonomy_id).first()


def taxonomy_terms(*, taxonomy_id=None, parent_id=None) -> QuerySet[TaxonomyTerm]:
    terms = TaxonomyTerm.objects.order_by("name", "id")
    if taxonomy_id:
        terms = terms.filter(taxonomy_id=taxonomy_id)
    if parent_id:
        terms = terms.filter(parent_id=parent_id)
    return terms


def taxonomy_term_get(term_id: uuid.UUID) -> TaxonomyTerm | None:
    return TaxonomyTerm.objects.filter(id=term_id).first()


def organization_list() -> QuerySet[Organization]:
    """For other apps (the system map ties actors to directory organisations)."""
    return Organization.objects.order_by("name", "id")


# -- services -------------------------------------------------------------------------------------


@dataclass
class ServiceFilters:
    """The ORUK API's filters for /services and /service_at_locations."""

    search: str = ""
    taxonomy_term_id: uuid.UUID | None = None
    taxonomy_id: uuid.UUID | None = None
    organization_id: uuid.UUID | None = None
    minimum_age: float | None = None
    maximum_age: float | None = None
    modified_after: dt.datetime | None = None
    day: str = ""  # MO … SU
    start_time: dt.time | None = None
    end_time: dt.time | None = None

    def apply(self, services: QuerySet[Service]) -> QuerySet[Service]:
        if self.search:
            services = services.filter(
                Q(name__icontains=self.search)
                | Q(description__icontains=self.search)
                | Q(organization__name__icontains=self.search)
            )
        if self.taxonomy_term_id:
            services = services.filter(
                id__in=Attribute.objects.filter(taxonomy_term_id=self.taxonomy_term_id).values(
                    "link_id"
                )
            )
        if self.taxonomy_id:
            services = services.filter(
                id__in=Attribute.objects.filter(taxonomy_term__taxonomy_id=self.taxonomy_id).values(
                    "link_id"
                )
            )
        if self.organization_id:
            services = services.filter(organization_id=self.organization_id)
        # The standard's words: a minimum age "of at least", a maximum age "at or below".
        if self.minimum_age is not None:
            services = services.filter(minimum_age__gte=self.minimum_age)
        if self.maximum_age is not None:
            services = services.filter(maximum_age__lte=self.maximum_age)
        if self.modified_after is not None:
            services = services.filter(last_modified__gte=self.modified_after)
        if self.day or self.start_time or self.end_time:
            schedules = Schedule.objects.all()
            if self.day:
                schedules = schedules.filter(byday__icontains=self.day)
            if self.start_time:
                schedules = schedules.filter(opens_at__gte=self.start_time)
            if self.end_time:
                schedules = schedules.filter(closes_at__lte=self.end_time)
            services = services.filter(
                Q(id__in=schedules.values("service_id"))
                | Q(
                    id__in=schedules.filter(service_at_location__isnull=False).values(
                        "service_at_location__service_id"
                    )
                )
            )
        return services


def service_list(filters: ServiceFilters | None = None) -> QuerySet[Service]:
    services = Service.objects.select_related("organization").order_by("name", "id")
    return (filters or ServiceFilters()).apply(services)


def _full_prefetches() -> list:
    return [
        "schedules",
        "service_areas",
        "languages",
        "funding",
        "cost_options",
        Prefetch(
            "contacts",
            queryset=Contact.objects.prefetch_related("phones__languages").order_by("title", "id"),
        ),
        Prefetch(
            "service_at_locations",
            queryset=ServiceAtLocation.objects.select_related(
                "location__lsoa__ward"
            ).prefetch_related("location__addresses", "location__accessibility", "schedules"),
        ),
        "organization__organization_identifiers",
    ]


def attributes_for(ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[Attribute]]:
    """The attributes of any records, by the id of the record they describe (one query)."""
    found: dict[uuid.UUID, list[Attribute]] = defaultdict(list)
    for attribute in (
        Attribute.objects.filter(link_id__in=list(ids))
        .select_related("taxonomy_term")
        .order_by("taxonomy_term__name", "id")
    ):
        if attribute.link_id is not None:  # the filter says so; the column may be null
            found[attribute.link_id].append(attribute)
    return found


def _ids_in(service: Service) -> list[uuid.UUID]:
    ids = [service.id]
    if service.organization is not None:
        ids.append(service.organization.id)
        ids += [i.id for i in service.organization.organization_identifiers.all()]
    ids += [c.id for c in service.contacts.all()]
    for link in service.service_at_locations.all():
        ids.append(link.location_id)
        ids += [a.id for a in link.location.addresses.all()]
        ids += [a.id for a in link.location.accessibility.all()]
    return ids


def service_full(service_id: uuid.UUID) -> tuple[Service, dict] | None:
    """A service with everything the standard nests in it, and the attributes of each part."""
    service = (
        Service.objects.select_related("organization")
        .prefetch_related(*_full_prefetches())
        .filter(id=service_id)
        .first()
    )
    if service is None:
        return None
    return service, attributes_for(_ids_in(service))


def service_at_location_full(link_id: uuid.UUID) -> tuple[ServiceAtLocation, dict] | None:
    link = (
        ServiceAtLocation.objects.select_related("service__organization", "location")
        .prefetch_related("location__addresses", "location__accessibility")
        .filter(id=link_id)
        .first()
    )
    if link is None:
        return None
    full = service_full(link.service_id)
    service, attributes = full if full else (link.service, {})
    link.service = service
    ids = [link.location_id, *[a.id for a in link.location.addresses.all()]]
    ids += [a.id for a in link.location.accessibility.all()]
    attributes = {**attributes, **attributes_for(ids)}
    return link, attributes


def service_at_location_list(filters: ServiceFilters | None = None) -> QuerySet[ServiceAtLocation]:
    services = (filters or ServiceFilters()).apply(Service.objects.all())
    return (
        ServiceAtLocation.objects.filter(service__in=services)
        .select_related("service__organization", "location")
        .order_by("service__name", "id")
    )


@dataclass
class Point:
    latitude: float
    longitude: float
    label: str = ""


def service_at_location_ids(
    filters: ServiceFilters | None = None,
    *,
    near: Point | None = None,
    within_m: float | None = None,
) -> list[tuple[uuid.UUID, float | None]]:
    """(id, distance in metres) of every matching service at a location, nearest first when a
    point is given (and only those within `within_m`), else by service name. One query."""
    services = (filters or ServiceFilters()).apply(Service.objects.all())
    rows = ServiceAtLocation.objects.filter(service__in=services).values_list(
        "id", "location__latitude", "location__longitude", "service__name"
    )
    found = []
    for link_id, lat, lon, name in rows.order_by("service__name", "id"):
        distance = None
        if near is not None:
            point = earth_point(lat, lon)
            if point is None:
                continue
            distance = great_circle_m(near.latitude, near.longitude, *point)
            if within_m is not None and distance > within_m:
                continue
        found.append((link_id, distance, name))
    if near is not None:
        found.sort(key=lambda item: (item[1], item[2], str(item[0])))
    return [(link_id, distance) for link_id, distance, _ in found]


def service_at_locations_by_id(ids: list[uuid.UUID]) -> list[ServiceAtLocation]:
    links = ServiceAtLocation.objects.select_related("service__organization", "location").in_bulk(
        ids
    )
    return [links[i] for i in ids if i in links]
