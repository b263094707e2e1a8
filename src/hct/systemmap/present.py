"""A map as the page shows it: the Cytoscape elements and the two tables that say the same.

The filters (status, kind, sector), the focus and the sort come from the query string, so the
tables work without JavaScript and a filtered page can be bookmarked; the drawing reads the same
form and fades what is filtered out rather than hiding it (as Kumu does), so the shape of the
whole system stays in view.
"""

import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache

from hct.core.disclosure import publish_count
from hct.systemmap.analysis import betweenness, graph, undirected
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
    actor_rows = [
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
    link_rows = [
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
