"""A map as the page shows it: the Cytoscape elements and the two tables that say the same.

The filters (status, kind, sector), the focus and the sort come from the query string, so the
tables work without JavaScript and a filtered page can be bookmarked; the drawing reads the same
form and fades what is filtered out rather than hiding it (as Kumu does), so the shape of the
whole system stays in view.
"""

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Lower

from hct.core.disclosure import publish_count
from hct.places.models import Neighbourhood
from hct.systemmap import selectors
from hct.systemmap.analysis import betweenness, graph, parts, undirected
from hct.systemmap.models import SECTOR_ORDER, Actor, Link, Sector
from hct.systemmap.selectors import MapEdge, MapNode, SystemMap

RING = {sector.value: index for index, sector in enumerate(SECTOR_ORDER)}
KIND_LABELS = dict(Actor.Kind.choices)
SECTOR_LABELS = dict(Sector.choices)
LINK_KIND_LABELS = dict(Link.Kind.choices)
STATUS_LABELS = dict(Link.Status.choices)
MEASURES = {"degree": "Number of links", "betweenness": "Betweenness (brokerage)"}
# (sort key, heading, numeric) for the two tables.
ACTOR_COLUMNS = (
    ("label", "Actor", False),
    ("kind", "Kind", False),
    ("sector", "Sector", False),
    ("degree", "Links", True),
    ("betweenness", "Betweenness", True),
)
LINK_COLUMNS = (
    ("from", "From", False),
    ("to", "To", False),
    ("kind", "Kind", False),
    ("status", "Status", False),
    ("people", "People", True),
)
ACTOR_SORTS = tuple(c[0] for c in ACTOR_COLUMNS)
LINK_SORTS = tuple(c[0] for c in LINK_COLUMNS)


@dataclass
class Filters:
    statuses: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)
    focus: int | None = None
    actor_sort: str = "label"
    link_sort: str = "status"
    descending: bool = False

    @classmethod
    def from_query(cls, query) -> "Filters":
        def chosen(name, allowed):
            return [v for v in query.getlist(name) if v in allowed]

        focus = query.get("focus", "")
        actor_sort = query.get("actor_sort", "label")
        link_sort = query.get("link_sort", "status")
        return cls(
            chosen("status", STATUS_LABELS),
            chosen("kind", LINK_KIND_LABELS),
            chosen("sector", SECTOR_LABELS),
            int(focus) if focus.isdigit() else None,
            actor_sort if actor_sort in ACTOR_SORTS else "label",
            link_sort if link_sort in LINK_SORTS else "status",
            query.get("order") == "desc",
        )

    @property
    def active(self) -> bool:
        return bool(self.statuses or self.kinds or self.sectors or self.focus)

    def keeps_edge(self, edge: MapEdge, sector: dict[int, str]) -> bool:
        if self.statuses and edge.status not in self.statuses:
            return False
        if self.kinds and edge.kind not in self.kinds:
            return False
        if self.sectors and not {sector[edge.source], sector[edge.target]} & set(self.sectors):
            return False
        return not self.focus or self.focus in (edge.source, edge.target)


@dataclass
class Shown:
    """The map, its measures, and the rows the tables show after the filters."""

    system: SystemMap
    measures: dict[int, dict[str, float]]
    actor_rows: list[dict]
    link_rows: list[dict]
    filters: Filters
    exact: bool  # people counts exact (facilitators) or published (partners, the board)


def _fingerprint(system: SystemMap) -> str:
    """What the measures depend on: the actors and the links that count (not missing)."""
    digest = hashlib.sha1(usedforsecurity=False)
    digest.update(",".join(str(n.id) for n in system.nodes).encode())
    for e in system.edges:
        if e.status != Link.Status.MISSING:
            digest.update(f"|{e.source}>{e.target}:{e.direction}".encode())
    return digest.hexdigest()


def measures(system: SystemMap) -> dict[int, dict[str, float]]:
    """Each actor's number of links and betweenness. Cached by the map's shape, so the page and
    its JSON (two requests) and unchanged maps compute betweenness once: on the synthetic
    city's largest ward it takes seconds."""
    key = f"systemmap:measures:{_fingerprint(system)}"
    found = cache.get(key)
    if found is None:
        u = undirected(graph(system))
        scores, _ = betweenness(u) if u.number_of_nodes() else ({}, False)
        found = {
            n.id: {"degree": u.degree(n.id), "betweenness": round(scores.get(n.id, 0.0), 4)}
            for n in system.nodes
        }
        cache.set(key, found, timeout=24 * 3600)
    return found


def people_shown(count: int, exact: bool) -> str:
    return str(count) if exact else str(publish_count(count))


def show(system: SystemMap, filters: Filters, *, exact: bool) -> Shown:
    found = measures(system)
    sector = {n.id: n.sector for n in system.nodes}
    labels = system.labels()
    links = [e for e in system.edges if filters.keeps_edge(e, sector)]
    linked = {e.source for e in links} | {e.target for e in links}
    filtering_links = bool(filters.statuses or filters.kinds or filters.focus)
    actors = [
        n
        for n in system.nodes
        if (not filters.sectors or n.sector in filters.sectors)
        and (not filtering_links or n.id in linked or n.id == filters.focus)
    ]
    actor_rows: list[dict[str, Any]] = [
        {
            "id": n.id,
            "label": n.label,
            "kind": KIND_LABELS.get(n.kind, n.kind),
            "sector": SECTOR_LABELS.get(n.sector, n.sector),
            "sector_order": RING.get(n.sector, 0),
            "degree": found[n.id]["degree"],
            "betweenness": found[n.id]["betweenness"],
            "personal": n.personal,
        }
        for n in actors
    ]
    actor_key = {
        "label": lambda r: r["label"].lower(),
        "kind": lambda r: r["kind"],
        "sector": lambda r: r["sector_order"],
        "degree": lambda r: r["degree"],
        "betweenness": lambda r: r["betweenness"],
    }[filters.actor_sort]
    actor_rows.sort(key=lambda r: (actor_key(r), r["label"].lower()), reverse=filters.descending)
    status_order = {s: i for i, s in enumerate(reversed(Link.Status.values))}
    link_rows: list[dict[str, Any]] = [
        {
            "id": e.id,
            "from": labels[e.source],
            "to": labels[e.target],
            "kind": LINK_KIND_LABELS[e.kind],
            "status": e.status,
            "status_label": STATUS_LABELS[e.status],
            "status_order": status_order[e.status],
            "both_ways": e.direction == Link.Direction.BOTH,
            "polarity": e.polarity,
            "strength": e.strength,
            "note": e.note,
            "origin": e.origin,
            "people": e.people,
            "people_shown": people_shown(e.people, exact),
        }
        for e in links
    ]
    link_key = {
        "from": lambda r: r["from"].lower(),
        "to": lambda r: r["to"].lower(),
        "kind": lambda r: r["kind"],
        "status": lambda r: r["status_order"],
        "people": lambda r: -r["people"],
    }[filters.link_sort]
    link_rows.sort(key=lambda r: (link_key(r), r["from"].lower()), reverse=filters.descending)
    return Shown(system, found, actor_rows, link_rows, filters, exact)


def _node(n: MapNode, found: dict[str, float]) -> dict:
    return {
        "data": {
            "id": f"a{n.id}",
            "pk": n.id,
            "label": n.label,
            "kind": n.kind,
            "kindLabel": KIND_LABELS.get(n.kind, n.kind),
            "sector": n.sector,
            "sectorLabel": SECTOR_LABELS.get(n.sector, n.sector),
            "ring": len(RING) - RING.get(n.sector, 0),  # the person and family innermost
            "personal": n.personal,
            **found,
        }
    }


def _edge(e: MapEdge, exact: bool) -> dict:
    return {
        "data": {
            "id": f"l{e.id}",
            "pk": e.id,
            "source": f"a{e.source}",
            "target": f"a{e.target}",
            "kind": e.kind,
            "kindLabel": LINK_KIND_LABELS[e.kind],
            "status": e.status,
            "direction": e.direction,
            "polarity": e.polarity,
            "strength": e.strength or 0,
            "people": people_shown(e.people, exact),
        }
    }


def elements(system: SystemMap, *, exact: bool) -> dict:
    """The map as Cytoscape.js elements, with each actor's measures for 'size by'."""
    found = measures(system)
    return {
        "title": system.title,
        "centre": f"a{system.centre}" if system.centre else None,
        "nodes": [_node(n, found[n.id]) for n in system.nodes],
        "edges": [_edge(e, exact) for e in system.edges],
        "hidden_personal": people_shown(system.hidden_personal, exact),
    }


def components_labelled(system: SystemMap, groups: list[list[int]], limit: int = 20) -> list[dict]:
    labels = system.labels()
    return [
        {
            "size": len(group),
            "actors": [labels[n] for n in group[:limit]],
            "more": len(group) - limit,
        }
        for group in groups
    ]


def route_labels(system: SystemMap, route: list[int]) -> list[str]:
    labels = system.labels()
    return [labels[n] for n in route]


# The page's tables, one page at a time, from the database.

ROWS_PER_PAGE = 25
SUMMARY_ABOVE = 300  # actors: above this the drawing starts with the groups, not every actor


def area_key(neighbourhood: Neighbourhood, partnership: Any) -> str:
    """A map's cache key: one neighbourhood as one partnership (or every one, '*') sees it."""
    return f"{neighbourhood.pk}.{partnership.pk if partnership is not None else '*'}"


def measures_key(neighbourhood: Neighbourhood, exact: bool, version: str, partnership=None) -> str:
    digest = hashlib.sha1(version.encode(), usedforsecurity=False).hexdigest()
    area = area_key(neighbourhood, partnership)
    return f"systemmap:page-measures:{area}:{int(exact)}:{digest}"


@dataclass
class PageOf:
    """Where one page of a table sits, without its query (so the tables can be cached)."""

    number: int
    num_pages: int
    count: int

    @classmethod
    def of(cls, page: Page) -> "PageOf":
        return cls(page.number, page.paginator.num_pages, page.paginator.count)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


@dataclass
class Tables:
    """One page of each table after the filters, as `_tables.html` shows them."""

    actor_rows: list[dict]
    link_rows: list[dict]
    actor_page: PageOf
    link_page: PageOf
    filters: Filters
    exact: bool
    measured: bool  # links and betweenness known (map.json has worked them out)


def _page_number(query, name: str) -> str:
    value = query.get(name, "1")
    return value if value.isdigit() and len(value) < 7 else "1"


def _sector_order():
    return Case(*(When(sector=s, then=Value(i)) for s, i in RING.items()), default=Value(0))


def _status_order():
    order = {s: i for i, s in enumerate(reversed(Link.Status.values))}
    return Case(*(When(status=s, then=Value(i)) for s, i in order.items()), default=Value(0))


def _label_order():
    # private actors are named by their kind, and sort by it
    return Case(When(private=True, then=F("kind")), default=Lower("name"))


TABLES_SECONDS = 10 * 60


def tables(
    neighbourhood: Neighbourhood,
    filters: Filters,
    query,
    *,
    exact: bool,
    version: str,
    partnership: Any = None,
) -> Tables:
    """The tables, kept per version of the map and query string: sorting a city's links to
    show fifty of them takes a second, and the next reader of the same page need not wait."""
    measured = cache.has_key(measures_key(neighbourhood, exact, version, partnership))
    digest = hashlib.sha1(
        f"{version}:{query.urlencode()}".encode(), usedforsecurity=False
    ).hexdigest()
    area = area_key(neighbourhood, partnership)
    key = f"systemmap:tables:{area}:{int(exact)}:{int(measured)}:{digest}"
    found = cache.get(key)
    if found is None:
        found = _tables(
            neighbourhood, filters, query, exact=exact, version=version, partnership=partnership
        )
        cache.set(key, found, timeout=TABLES_SECONDS)
    return found


def _tables(
    neighbourhood: Neighbourhood,
    filters: Filters,
    query,
    *,
    exact: bool,
    version: str,
    partnership: Any = None,
) -> Tables:
    found = cache.get(measures_key(neighbourhood, exact, version, partnership))
    actors = selectors.map_actors(neighbourhood, with_personal=exact, partnership=partnership)
    links = selectors.map_links(actors, partnership)
    if filters.statuses:
        links = links.filter(status__in=filters.statuses)
    if filters.kinds:
        links = links.filter(kind__in=filters.kinds)
    if filters.sectors:
        links = links.filter(
            Q(from_actor__sector__in=filters.sectors) | Q(to_actor__sector__in=filters.sectors)
        )
    if filters.focus:
        links = links.filter(Q(from_actor_id=filters.focus) | Q(to_actor_id=filters.focus))
    shown = actors
    if filters.sectors:
        shown = shown.filter(sector__in=filters.sectors)
    if filters.statuses or filters.kinds or filters.focus:
        shown = shown.filter(
            Q(pk__in=links.values("from_actor_id"))
            | Q(pk__in=links.values("to_actor_id"))
            | Q(pk=filters.focus or 0)
        )
    shown = shown.only("pk", "name", "kind", "sector", "private", "person_id")
    sort = filters.actor_sort
    if sort in ("degree", "betweenness") and found is None:
        sort = "label"
    if sort in ("degree", "betweenness"):
        # every actor's measure is in the cache: order the ids here, fetch one page of them
        ids = list(shown.values_list("pk", flat=True))
        ids.sort(key=lambda pk: found.get(pk, {}).get(sort, 0), reverse=not filters.descending)
        id_page = Paginator(ids, ROWS_PER_PAGE).get_page(_page_number(query, "actors_page"))
        by_id = shown.model._default_manager.in_bulk(list(id_page.object_list))
        actor_list = [by_id[pk] for pk in id_page.object_list if pk in by_id]
        page_of_actors: Page[Any] = id_page
    else:
        order = {"label": _label_order(), "kind": F("kind"), "sector": _sector_order()}[sort]
        order = order.desc() if filters.descending else order.asc()
        ordered = shown.order_by(order, Lower("name"), "pk")
        actor_page = Paginator(ordered, ROWS_PER_PAGE).get_page(_page_number(query, "actors_page"))
        actor_list = list(actor_page.object_list)
        page_of_actors = actor_page
    actor_rows: list[dict[str, Any]] = [
        {
            "id": a.pk,
            "label": a.label_for(False),
            "kind": KIND_LABELS.get(a.kind, a.kind),
            "sector": SECTOR_LABELS.get(a.sector, a.sector),
            "degree": found[a.pk]["degree"] if found and a.pk in found else "—",
            "betweenness": found[a.pk]["betweenness"] if found and a.pk in found else "—",
            "personal": a.person_id is not None,
        }
        for a in actor_list
    ]
    link_order = {
        "from": Lower("from_actor__name"),
        "to": Lower("to_actor__name"),
        "kind": F("kind"),
        "status": _status_order(),
        "people": F("people").desc(),
    }[filters.link_sort]
    if filters.link_sort == "people":
        links = selectors.map_people_annotated(neighbourhood, links, partnership)
        link_order = F("people").asc() if filters.descending else F("people").desc()
    else:
        link_order = link_order.desc() if filters.descending else link_order.asc()
    links = links.select_related("from_actor", "to_actor").order_by(
        link_order, Lower("from_actor__name"), "pk"
    )
    link_page = Paginator(links, ROWS_PER_PAGE).get_page(_page_number(query, "links_page"))
    link_list = list(link_page.object_list)
    people = selectors.map_people_counts(
        neighbourhood, [link.pk for link in link_list], partnership
    )
    link_rows: list[dict[str, Any]] = [
        {
            "id": link.pk,
            "from": link.from_actor.label_for(False),
            "to": link.to_actor.label_for(False),
            "kind": LINK_KIND_LABELS[link.kind],
            "status": link.status,
            "status_label": STATUS_LABELS[link.status],
            "both_ways": link.direction == Link.Direction.BOTH,
            "polarity": link.polarity,
            "note": link.note,
            "people": people.get(link.pk, 0),
            "people_shown": people_shown(people.get(link.pk, 0), exact),
        }
        for link in link_list
    ]
    return Tables(
        actor_rows,
        link_rows,
        PageOf.of(page_of_actors),
        PageOf.of(link_page),
        filters,
        exact,
        found is not None,
    )


def keep_measures(
    neighbourhood: Neighbourhood, exact: bool, version: str, found: dict, partnership: Any = None
) -> None:
    """Measures map.json worked out, for the tables of the same version of the map."""
    cache.set(measures_key(neighbourhood, exact, version, partnership), found, timeout=24 * 3600)


# map.json: the drawing's data, in three views.


def groups(system: SystemMap, *, exact: bool, brokers: int = 10, failing: int = 10) -> dict:
    """The summary drawing of a large map: each community (Louvain) as one compound node sized
    by its actors, the links between communities added up, the top brokers inside their
    community, and the failing links most people met drawn between their ends."""
    found = measures(system)
    labels = system.labels()
    communities = parts(system).communities
    group_of: dict[int, str] = {}
    nodes: list[dict] = []
    for index, members in enumerate(communities):
        gid = f"g{index}"
        for member in members:
            group_of[member] = gid
        top = sorted(members, key=lambda m: -found[m]["degree"])[:2]
        nodes.append(
            {
                "data": {
                    "id": gid,
                    "label": f"{len(members)} actors: {', '.join(labels[m] for m in top)} …"
                    if len(members) > 2
                    else ", ".join(labels[m] for m in members),
                    "group": True,
                    "size": len(members),
                }
            }
        )
    alone = [n.id for n in system.nodes if n.id not in group_of]
    if alone:
        for member in alone:
            group_of[member] = "gx"
        nodes.append(
            {
                "data": {
                    "id": "gx",
                    "label": f"{len(alone)} actors with no working link",
                    "group": True,
                    "size": len(alone),
                }
            }
        )
    chosen = sorted(system.nodes, key=lambda n: -found[n.id]["betweenness"])[:brokers]
    shown_nodes = {n.id for n in chosen}
    worst = [e for e in system.edges if e.failing]
    worst.sort(key=lambda e: (-e.people, -e.marks, e.id))
    worst = worst[:failing]
    for edge in worst:
        shown_nodes.update((edge.source, edge.target))
    broker_ids = {n.id for n in chosen}
    for n in system.nodes:
        if n.id in shown_nodes:
            node = _node(n, found[n.id])
            node["data"]["parent"] = group_of[n.id]
            node["data"]["broker"] = n.id in broker_ids
            nodes.append(node)
    between: dict[tuple[str, str], dict] = {}
    for e in system.edges:
        a, b = group_of[e.source], group_of[e.target]
        if a == b:
            continue
        key = (min(a, b), max(a, b))
        entry = between.setdefault(key, {"links": 0, "failing": 0})
        entry["links"] += 1
        entry["failing"] += e.failing
    edges = [
        {
            "data": {
                "id": f"{a}-{b}",
                "source": a,
                "target": b,
                "links": entry["links"],
                "failing": entry["failing"],
                "label": str(entry["links"]),
                "summary": True,
                "status": "working" if entry["failing"] * 2 < entry["links"] else "broken",
                "direction": "both",
            }
        }
        for (a, b), entry in sorted(between.items())
    ]
    edges += [_edge(e, exact) for e in worst]
    return {
        "title": system.title,
        "view": "groups",
        "centre": None,
        "actors": len(system.nodes),
        "links": len(system.edges),
        "nodes": nodes,
        "edges": edges,
        "hidden_personal": people_shown(system.hidden_personal, exact),
    }


def neighbourhood_of(system: SystemMap, actor: int, *, exact: bool, limit: int = 300) -> dict:
    """One actor and those it links to directly (at most `limit` of them), with their links."""
    found = measures(system)
    near = {actor}
    for e in system.edges:
        if len(near) > limit:
            break
        if actor in (e.source, e.target):
            near.update((e.source, e.target))
    return {
        "title": system.title,
        "view": "focus",
        "centre": f"a{actor}" if system.node(actor) else None,
        "nodes": [_node(n, found[n.id]) for n in system.nodes if n.id in near],
        "edges": [_edge(e, exact) for e in system.edges if e.source in near and e.target in near],
        "hidden_personal": people_shown(system.hidden_personal, exact),
    }
