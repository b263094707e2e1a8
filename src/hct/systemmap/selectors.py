"""Reads for actors and links, as the journeys and the map pages need them."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from hct.core.models import AuditEvent
from hct.directory.models import Service
from hct.partnership.models import Partnership
from hct.people.models import Person
from hct.people.selectors import lsoas_in, people_in
from hct.places.models import Neighbourhood
from hct.systemmap import version
from hct.systemmap.models import Actor, Link, LinkEvidence, MapSnapshot


def actors_for_person(person: Person) -> QuerySet[Actor]:
    """The actors a touchpoint in this person's journey may point at: shared actors of the
    neighbourhoods around their home (and city-wide ones), and the person's own private ones."""
    around = Q(neighbourhood__isnull=True) | Q(neighbourhood__lsoas=person.home_lsoa_id)
    return (
        Actor.objects.filter((around & Q(private=False, person__isnull=True)) | Q(person=person))
        .distinct()
        .order_by("sector", "name")
    )


def actors_for_people(person_ids: set[int]) -> dict[int, int]:
    """Person id → the id of the actor standing for them, for those who have one."""
    return dict(
        Actor.objects.filter(person_id__in=person_ids, kind=Actor.Kind.PERSON).values_list(
            "person_id", "pk"
        )
    )


def actor_find(*, name: str, kind: str, person: Person | None = None) -> Actor | None:
    """An existing actor by name and kind (case-insensitive): the person's own for personal
    kinds, a shared one otherwise."""
    queryset = Actor.objects.filter(name__iexact=name.strip(), kind=kind)
    if person is not None and kind in Actor.PERSONAL_KINDS:
        return queryset.filter(person=person).order_by("pk").first()
    return queryset.filter(person__isnull=True).order_by("pk").first()


def link_between(from_actor: Actor, to_actor: Actor, kind: str) -> Link | None:
    """The shared link (the one journeys show) of this kind between two actors."""
    return shared_links().filter(from_actor=from_actor, to_actor=to_actor, kind=kind).first()


def shared_links() -> QuerySet[Link]:
    """Links no partnership owns: the ones journeys show, which journeys mark and derive."""
    return Link.objects.filter(partnership__isnull=True)


def links_of(partnership: Partnership | None) -> QuerySet[Link]:
    """The links a partnership's map may show: the shared ones and those it drew itself, never
    another partnership's drawn between the same actors; every link for operators (None)."""
    if partnership is None:
        return Link.objects.all()
    return Link.objects.filter(Q(partnership__isnull=True) | Q(partnership=partnership))


def person_actors_export(person: Person) -> list[dict]:
    """The actors that belong to one person's record, for their right-of-access export."""
    return [
        {"name": a.name, "kind": a.kind, "sector": a.sector, "private": a.private}
        for a in Actor.objects.filter(person=person).order_by("id")
    ]


# Maps: the actors and links a page draws, analyses and exports


@dataclass
class MapNode:
    id: int
    label: str
    kind: str
    sector: str
    personal: bool  # about one person (the person, family, friends, neighbours)
    description: str = ""


@dataclass
class MapEdge:
    id: int
    source: int
    target: int
    kind: str
    status: str
    direction: str
    strength: int | None
    polarity: str
    note: str
    origin: str
    people: int  # how many people's journeys show it (within the map's people)
    marks: int  # how many times journeys marked it broken or missing

    @property
    def failing(self) -> bool:
        return self.status in (Link.Status.BROKEN, Link.Status.MISSING)


@dataclass
class SystemMap:
    title: str
    nodes: list[MapNode]
    edges: list[MapEdge]
    # Actors about one person left out of a map shown to partners or the board (a count only).
    hidden_personal: int = 0
    centre: int | None = None  # a person's map: the actor standing for them

    def node(self, pk: int) -> MapNode | None:
        return self._by_id().get(pk)

    def _by_id(self) -> dict[int, MapNode]:
        if not hasattr(self, "_index"):
            self._index = {n.id: n for n in self.nodes}
        return self._index

    def labels(self) -> dict[int, str]:
        return {n.id: n.label for n in self.nodes}


def _map(
    title: str,
    actors: QuerySet[Actor],
    people: QuerySet[Person],
    *,
    sees_private_names: bool,
    with_personal: bool,
    partnership: Partnership | None = None,
) -> SystemMap:
    nodes: list[MapNode] = []
    hidden = 0
    for actor in actors.only(
        "pk", "name", "kind", "sector", "private", "person_id", "description"
    ).order_by("sector", "name", "pk"):
        personal = actor.person_id is not None
        if personal and not with_personal:
            hidden += 1
            continue
        nodes.append(
            MapNode(
                actor.pk,
                actor.label_for(sees_private_names),
                actor.kind,
                actor.sector,
                personal,
                "" if actor.private and not sees_private_names else actor.description,
            )
        )
    ids = {n.id for n in nodes}
    counts = dict(
        LinkEvidence.objects.filter(person__in=people.values("pk"), link__from_actor__in=actors)
        .values("link_id")
        .annotate(people=Count("person", distinct=True))
        .values_list("link_id", "people")
    )
    edges = [
        MapEdge(
            link.pk,
            link.from_actor_id,
            link.to_actor_id,
            link.kind,
            link.status,
            link.direction,
            link.strength,
            link.polarity,
            link.note,
            link.origin,
            counts.get(link.pk, 0),
            link.times_marked,
        )
        for link in links_of(partnership)
        .filter(from_actor__in=actors, to_actor__in=actors)
        .order_by("pk")
        if link.from_actor_id in ids and link.to_actor_id in ids
    ]
    return SystemMap(title, nodes, edges, hidden)


def map_version() -> str:
    """What every map is drawn from: one version for every map, so a change anywhere renews
    them all (see `hct.systemmap.version` for what moves it and what it costs)."""
    return version.current()


def directory_services_in(neighbourhood: Neighbourhood):
    """The directory's active services with a location in the neighbourhood."""

    lsoas = lsoas_in(Neighbourhood.objects.filter(pk=neighbourhood.pk)).values("pk")
    return Service.objects.filter(
        pk__in=Service.objects.filter(
            service_at_locations__location__lsoa__in=lsoas, status=Service.Status.ACTIVE
        ).values("pk")
    )


def _met_in_journeys(people: QuerySet) -> QuerySet:
    """Ids of the actors these people met in their journeys. Journeys come after the map in the
    app order, so this follows their touchpoints' foreign key back (`touchpoints`) rather than
    importing them."""
    return Actor.objects.filter(touchpoints__journey__person__in=people).values("pk")


def neighbourhood_actors(
    neighbourhood: Neighbourhood, partnership: Partnership | None = None
) -> QuerySet[Actor]:
    """Every actor seen in the neighbourhood: placed there by hand, met in its people's
    journeys, one of its people's own, or a directory service located there. With a
    partnership, its map of the neighbourhood: its people and the actors it placed (or that
    nobody owns), never another partnership's working in the same ward; without one, every
    partnership's (operators)."""
    people = people_in(Neighbourhood.objects.filter(pk=neighbourhood.pk), partnership).values("pk")
    met = _met_in_journeys(people)
    listed = directory_services_in(neighbourhood).values("pk")
    placed = Q(neighbourhood=neighbourhood)
    if partnership is not None:
        placed &= Q(partnership=partnership) | Q(partnership__isnull=True)
    return Actor.objects.filter(
        placed | Q(pk__in=met) | Q(person__in=people) | Q(directory_service__in=listed)
    )


def neighbourhood_map(
    neighbourhood: Neighbourhood, *, with_personal: bool, partnership: Partnership | None = None
) -> SystemMap:
    """A neighbourhood's map (one partnership's, when given). Actors about one person appear by
    kind, and only to facilitators (`with_personal`); partners and the board see how many were
    left out."""

    people = people_in(Neighbourhood.objects.filter(pk=neighbourhood.pk), partnership)
    return _map(
        neighbourhood.name,
        neighbourhood_actors(neighbourhood, partnership),
        people,
        sees_private_names=False,
        with_personal=with_personal,
        partnership=partnership,
    )


def person_map(person: Person, *, sees_private_names: bool) -> SystemMap:
    """A person's own system: everyone in their journeys and their own family and friends, with
    the links between them; the person at the centre."""
    met = _met_in_journeys(Person.objects.filter(pk=person.pk).values("pk"))
    actors = Actor.objects.filter(Q(person=person) | Q(pk__in=met))
    found = _map(
        person.alias if sees_private_names else "The person",
        actors,
        Person.objects.filter(pk=person.pk),
        sees_private_names=sees_private_names,
        with_personal=True,
    )
    found.centre = (
        Actor.objects.filter(person=person, kind=Actor.Kind.PERSON).values_list("pk", flat=True)
    ).first()
    return found


# Snapshots and history


def snapshot_data(neighbourhood: Neighbourhood, partnership: Partnership | None = None) -> dict:
    """The map as a snapshot keeps it: shared actors by name, links by their two ends and kind."""
    system = neighbourhood_map(neighbourhood, with_personal=False, partnership=partnership)
    return {
        "actors": [
            {"id": n.id, "label": n.label, "kind": n.kind, "sector": n.sector} for n in system.nodes
        ],
        "links": [
            {
                "from": e.source,
                "to": e.target,
                "kind": e.kind,
                "status": e.status,
                "direction": e.direction,
                "polarity": e.polarity,
            }
            for e in system.edges
        ],
    }


@dataclass
class MapChange:
    what: str  # "added", "removed", "changed"
    from_label: str
    to_label: str
    kind: str
    before: str = ""  # status before, for links that changed
    after: str = ""

    @property
    def before_label(self) -> str:
        return dict(Link.Status.choices).get(self.before, "")

    @property
    def after_label(self) -> str:
        return dict(Link.Status.choices).get(self.after, "")


@dataclass
class MapComparison:
    actors_added: list[str]
    actors_removed: list[str]
    links: list[MapChange]

    def count(self, what: str) -> int:
        return sum(1 for change in self.links if change.what == what)


def snapshots_compare(earlier: dict, later: dict) -> MapComparison:
    """What changed between two snapshots (or a snapshot and the map now)."""
    labels = {a["id"]: a["label"] for a in [*earlier["actors"], *later["actors"]]}
    before_actors = {a["id"] for a in earlier["actors"]}
    after_actors = {a["id"] for a in later["actors"]}

    def keyed(data):
        return {(k["from"], k["to"], k["kind"]): k for k in data["links"]}

    before, after = keyed(earlier), keyed(later)
    changes: list[MapChange] = []
    for key in sorted(set(before) | set(after)):
        names = (labels.get(key[0], "?"), labels.get(key[1], "?"), dict(Link.Kind.choices)[key[2]])
        if key not in before:
            changes.append(MapChange("added", *names, after=after[key]["status"]))
        elif key not in after:
            changes.append(MapChange("removed", *names, before=before[key]["status"]))
        elif before[key]["status"] != after[key]["status"]:
            changes.append(
                MapChange(
                    "changed", *names, before=before[key]["status"], after=after[key]["status"]
                )
            )
    order = {"changed": 0, "added": 1, "removed": 2}
    changes.sort(key=lambda c: (order[c.what], c.from_label, c.to_label))
    return MapComparison(
        sorted(labels[i] for i in after_actors - before_actors),
        sorted(labels[i] for i in before_actors - after_actors),
        changes,
    )


def snapshots_of(
    neighbourhood: Neighbourhood, partnership: Partnership | None = None
) -> QuerySet[MapSnapshot]:
    """The snapshots of one partnership's map of the neighbourhood (every one's for operators)."""
    snapshots = MapSnapshot.objects.filter(neighbourhood=neighbourhood)
    if partnership is not None:
        snapshots = snapshots.filter(partnership=partnership)
    return snapshots


def map_history(
    neighbourhood: Neighbourhood, *, limit: int = 200, partnership: Partnership | None = None
):
    """Who changed what on this map and when: edits to its actors and links, imports, exports
    and snapshots (newest first). Details are ids and counts; the page names the subjects."""

    actors = neighbourhood_actors(neighbourhood, partnership).filter(person__isnull=True)
    links = links_of(partnership).filter(from_actor__in=actors, to_actor__in=actors)
    link_ids = [str(pk) for pk in links.values_list("pk", flat=True)]
    actor_pks = list(actors.values_list("pk", flat=True))
    actor_ids = [str(pk) for pk in actor_pks]
    removed = Q(subject_type="systemmap.link", verb="link.remove") & (
        # a removed link is no longer on the map: its event names the map it was removed from,
        # and its ends (both still on this map means it was this map's link too)
        Q(details__neighbourhood=neighbourhood.pk)
        | Q(details__from_actor__in=actor_pks, details__to_actor__in=actor_pks)
    )
    return (
        AuditEvent.objects.filter(
            Q(subject_type="systemmap.link", subject_id__in=link_ids, verb__startswith="link.")
            | removed
            | Q(subject_type="systemmap.actor", subject_id__in=actor_ids)
            | Q(
                subject_type="places.neighbourhood",
                subject_id=str(neighbourhood.pk),
                verb__startswith="map.",
            )
        )
        .select_related("actor")
        .order_by("-at", "-id")[:limit]
    )


def conversation_evidence(
    neighbourhood: Neighbourhood, *, limit: int = 200, partnership: Partnership | None = None
):
    """What was said at Big Conversations about the neighbourhood's links, newest first: shared
    actors only (a link touching someone's own family stays on their own map)."""
    shared = neighbourhood_actors(neighbourhood, partnership).filter(
        person__isnull=True, private=False
    )
    return (
        LinkEvidence.objects.filter(
            source=LinkEvidence.Source.CONVERSATION,
            link__from_actor__in=shared,
            link__to_actor__in=shared,
        )
        .select_related("link", "link__from_actor", "link__to_actor")
        .order_by("-created_at", "-pk")[:limit]
    )


# The map page at any size: counts and one page of each table straight from the database, so the
# page never builds the whole map (map.json does, once per version).


@dataclass
class MapCounts:
    actors: int  # on the map as this reader sees it
    personal: int  # actors about one person: shown by kind (facilitators) or left out
    links: dict[str, int]  # by status

    @property
    def links_total(self) -> int:
        return sum(self.links.values())


def map_actors(
    neighbourhood: Neighbourhood, *, with_personal: bool, partnership: Partnership | None = None
) -> QuerySet[Actor]:
    actors = neighbourhood_actors(neighbourhood, partnership)
    return actors if with_personal else actors.filter(person__isnull=True)


def map_links(actors: QuerySet[Actor], partnership: Partnership | None = None) -> QuerySet[Link]:
    return links_of(partnership).filter(from_actor__in=actors, to_actor__in=actors)


def map_counts(
    neighbourhood: Neighbourhood, *, with_personal: bool, partnership: Partnership | None = None
) -> MapCounts:
    everyone = neighbourhood_actors(neighbourhood, partnership)
    counted = everyone.aggregate(
        n=Count("pk"), personal=Count("pk", filter=Q(person__isnull=False))
    )
    links = dict(
        map_links(
            map_actors(neighbourhood, with_personal=with_personal, partnership=partnership),
            partnership,
        )
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    shown = counted["n"] if with_personal else counted["n"] - counted["personal"]
    return MapCounts(shown, counted["personal"], {s: links.get(s, 0) for s in Link.Status.values})


def map_people_counts(
    neighbourhood: Neighbourhood, link_ids: list[int], partnership: Partnership | None = None
) -> dict[int, int]:
    """How many of the neighbourhood's people's journeys show each of these links."""
    here = Neighbourhood.objects.filter(pk=neighbourhood.pk)
    people = people_in(here, partnership).values("pk")
    return dict(
        LinkEvidence.objects.filter(link_id__in=link_ids, person__in=people)
        .values("link_id")
        .annotate(people=Count("person", distinct=True))
        .values_list("link_id", "people")
    )


def map_people_annotated(
    neighbourhood: Neighbourhood, links: QuerySet[Link], partnership: Partnership | None = None
) -> QuerySet[Link]:
    people = people_in(Neighbourhood.objects.filter(pk=neighbourhood.pk), partnership).values("pk")
    return links.annotate(
        people=Count("evidence__person", filter=Q(evidence__person__in=people), distinct=True)
    )
