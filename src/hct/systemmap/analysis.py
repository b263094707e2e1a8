"""Analysis of a system map: who holds it together, where it fails, what doesn't connect.

Everything works on a `SystemMap` (selectors) turned into a networkx graph, so the same code
answers for a person's map, a neighbourhood's and the synthetic city's. Missing links are left
out of the graph that measures the system (they are what is *not* there) and counted apart.
Each result says in plain words what it means (`EXPLAIN`), for the page beside it.

Betweenness on a large map is estimated from a fixed sample of sources (seeded, so the page
says the same thing twice); `bench/system_map.py` prints the estimate's error against the
exact value and the speed-up.
"""

from collections import Counter
from dataclasses import dataclass, field

import networkx as nx

from hct.systemmap.models import Link, Sector
from hct.systemmap.selectors import MapEdge, SystemMap

SEED = 20241127
SAMPLE_ABOVE = 600  # actors: above this, betweenness is estimated from SAMPLE_SOURCES sources
SAMPLE_SOURCES = 200
LOOP_LENGTH = 6
TOP = 10
COMMUNITY_SIDE = frozenset({Sector.PERSON_FAMILY, Sector.COMMUNITY})
STATUTORY_SIDE = frozenset({Sector.LOCAL_SERVICES, Sector.ACUTE_SERVICES})

EXPLAIN = {
    "brokers": (
        "Brokers hold the system together: many of the shortest routes between other actors "
        "pass through them (betweenness, from 0 to 1). Low constraint and a large effective "
        "size mean their contacts are not in touch with each other, so they alone bridge them; "
        "if a broker stopped, those routes would break."
    ),
    "failing": (
        "Links that journeys show broken or missing, the ones most people met first. A broken "
        "link exists but failed; a missing link is one people needed and found no one there."
    ),
    "sectors": (
        "Links between the community (the person, family, friends, groups) and statutory "
        "services (local and acute). Services with none rely on people finding their own way "
        "from one world to the other."
    ),
    "bridges": (
        "A bridge is a single link whose loss would split the system into parts that no longer "
        "reach each other."
    ),
    "components": (
        "Parts of the system with no working route between them, and communities: groups of "
        "actors more linked among themselves than with the rest (Louvain, fixed seed)."
    ),
    "paths": (
        "How one actor can reach another along the links that exist (broken ones included, "
        "missing ones not), and who is one to three steps away."
    ),
    "loops": (
        "Feedback loops along links with a polarity (+: more brings more, −: more brings less). "
        "A loop with an even number of − links reinforces itself (a vicious or virtuous "
        "circle); an odd number balances."
    ),
}


def undirected(g: nx.DiGraph) -> nx.Graph:
    """An undirected copy (not a view: networkx's undirected view of a directed graph rebuilds
    each actor's neighbours on every lookup, fifty times slower for constraint)."""
    return nx.Graph(g.to_undirected(as_view=True))


def graph(system: SystemMap, *, with_missing: bool = False) -> nx.DiGraph:
    """Directed graph of the map: a link both ways is an edge each way. Links of several kinds
    between the same two actors are one edge carrying them all (`links`)."""
    g = nx.DiGraph()
    for node in system.nodes:
        g.add_node(node.id, label=node.label, sector=node.sector, kind=node.kind)
    for edge in system.edges:
        if edge.status == Link.Status.MISSING and not with_missing:
            continue
        pairs = [(edge.source, edge.target)]
        if edge.direction == Link.Direction.BOTH:
            pairs.append((edge.target, edge.source))
        for source, target in pairs:
            if g.has_edge(source, target):
                g[source][target]["links"].append(edge)
            else:
                g.add_edge(source, target, links=[edge])
    return g


@dataclass
class Broker:
    id: int
    label: str
    sector: str
    betweenness: float
    constraint: float | None
    effective_size: float | None
    degree: int


def betweenness(u: nx.Graph) -> tuple[dict[int, float], bool]:
    """Betweenness, exact for maps of up to SAMPLE_ABOVE actors, else estimated from a seeded
    sample of sources. Returns (scores, estimated)."""
    if u.number_of_nodes() > SAMPLE_ABOVE:
        return nx.betweenness_centrality(u, k=SAMPLE_SOURCES, seed=SEED), True
    return nx.betweenness_centrality(u), False


def structural_holes(u: nx.Graph, nodes: list[int]) -> tuple[dict, dict]:
    """Burt's constraint and effective size for the chosen actors, on an unweighted undirected
    graph, from neighbour sets: each tie of actor i is worth 1/degree(i). networkx's own
    `constraint` recomputes every tie's weight from scratch for each pair, which made ten hubs
    of a ward's map take 12 s; this gives the same values (tests compare them) in milliseconds.
    Isolated actors get NaN, as in networkx."""
    neighbours = {n: set(u[n]) - {n} for n in u}
    constraint: dict[int, float] = {}
    size: dict[int, float] = {}
    for i in nodes:
        mine = neighbours[i]
        if not mine:
            constraint[i] = size[i] = float("nan")
            continue
        p_i = 1 / len(mine)
        total = 0.0
        ties_among = 0
        for j in mine:
            shared = mine & neighbours[j]
            ties_among += len(shared)
            indirect = sum(p_i / len(neighbours[q]) for q in shared)
            total += (p_i + indirect) ** 2
        constraint[i] = total
        # Each tie among the neighbours was counted from both ends.
        size[i] = len(mine) - ties_among / len(mine)
    return constraint, size


def brokers(system: SystemMap, g: nx.DiGraph | None = None, *, top: int = TOP) -> list[Broker]:
    u = undirected(g if g is not None else graph(system))
    scores, _ = betweenness(u)
    labels = system.labels()
    chosen = sorted(scores, key=lambda n: (-scores[n], labels.get(n, ""), n))[:top]
    chosen = [n for n in chosen if u.degree(n) > 0]
    constraint, size = structural_holes(u, chosen)
    return [
        Broker(
            n,
            u.nodes[n]["label"],
            u.nodes[n]["sector"],
            round(scores[n], 4),
            None if constraint[n] != constraint[n] else round(constraint[n], 3),  # NaN: isolated
            None if size[n] != size[n] else round(size[n], 2),
            u.degree(n),
        )
        for n in chosen
    ]


def failing_links(system: SystemMap, *, top: int | None = TOP) -> list[MapEdge]:
    """Broken and missing links, the ones the most people's journeys show first."""
    failing = [e for e in system.edges if e.failing]
    failing.sort(key=lambda e: (-e.people, -e.marks, e.id))
    return failing if top is None else failing[:top]


@dataclass
class SectorBridges:
    links: int  # links (not missing) between the community and statutory services
    by_pair: dict[tuple[str, str], int]
    services_without_community: list[tuple[int, str]]  # statutory actors with none


def sector_bridges(system: SystemMap) -> SectorBridges:
    sector = {n.id: n.sector for n in system.nodes}
    by_pair: Counter = Counter()
    touched: set[int] = set()
    for edge in system.edges:
        if edge.status == Link.Status.MISSING:
            continue
        a, b = sector[edge.source], sector[edge.target]
        if (a in COMMUNITY_SIDE) != (b in COMMUNITY_SIDE):
            community, statutory = (a, b) if a in COMMUNITY_SIDE else (b, a)
            by_pair[(community, statutory)] += 1
            touched.add(edge.target if a in COMMUNITY_SIDE else edge.source)
    lonely = [
        (n.id, n.label) for n in system.nodes if n.sector in STATUTORY_SIDE and n.id not in touched
    ]
    return SectorBridges(sum(by_pair.values()), dict(by_pair), lonely)


def bridges(system: SystemMap, g: nx.DiGraph | None = None) -> list[tuple[int, int]]:
    u = undirected(g if g is not None else graph(system))
    return sorted(tuple(sorted(pair)) for pair in nx.bridges(u))


@dataclass
class Parts:
    components: list[list[int]]  # largest first; actors with no links are their own part
    communities: list[list[int]]
    isolated: int = 0


def parts(system: SystemMap, g: nx.DiGraph | None = None) -> Parts:
    u = undirected(g if g is not None else graph(system))
    components = sorted((sorted(c) for c in nx.connected_components(u)), key=lambda c: (-len(c), c))
    linked = u.subgraph(n for n in u if u.degree(n) > 0)
    communities = (
        sorted(
            (sorted(c) for c in nx.community.louvain_communities(linked, seed=SEED)),
            key=lambda c: (-len(c), c),
        )
        if linked.number_of_edges()
        else []
    )
    return Parts(components, communities, sum(1 for n in u if u.degree(n) == 0))


@dataclass
class Paths:
    routes: list[list[int]]  # the shortest routes from one actor to the other (at most 5)
    directed: bool  # True if the routes follow the links' directions


def paths(system: SystemMap, source: int, target: int, g: nx.DiGraph | None = None) -> Paths:
    """Shortest routes along the links' directions; failing that, ignoring them."""
    g = g if g is not None else graph(system)
    for view, directed in ((g, True), (g.to_undirected(as_view=True), False)):
        try:
            routes = []
            for route in nx.all_shortest_paths(view, source, target):
                routes.append(route)
                if len(routes) == 5:
                    break
            return Paths(routes, directed)
        except (nx.NetworkXNoPath, nx.NodeNotFound):
            continue
    return Paths([], True)


@dataclass
class Reach:
    steps: dict[int, list[int]] = field(default_factory=dict)  # 1..3 -> actors that far
    upstream: list[int] = field(default_factory=list)  # actors with a route to this one
    downstream: list[int] = field(default_factory=list)  # actors this one has a route to


def reach(system: SystemMap, actor: int, *, depth: int = 3, g: nx.DiGraph | None = None) -> Reach:
    g = g if g is not None else graph(system)
    if actor not in g:
        return Reach()
    distances = nx.single_source_shortest_path_length(
        g.to_undirected(as_view=True), actor, cutoff=depth
    )
    steps: dict[int, list[int]] = {d: [] for d in range(1, depth + 1)}
    for node, distance in distances.items():
        if distance:
            steps[distance].append(node)
    return Reach(
        {d: sorted(nodes) for d, nodes in steps.items()},
        sorted(nx.ancestors(g, actor)),
        sorted(nx.descendants(g, actor)),
    )


@dataclass
class Loop:
    actors: list[int]
    polarities: list[str]

    @property
    def reinforcing(self) -> bool:
        return self.polarities.count(Link.Polarity.OPPOSITE) % 2 == 0


def loops(system: SystemMap, *, length: int = LOOP_LENGTH, limit: int = 50) -> list[Loop]:
    """Cycles of at most `length` links along links with a polarity."""
    signed = nx.DiGraph()
    for edge in system.edges:
        if not edge.polarity or edge.status == Link.Status.MISSING:
            continue
        pairs = [(edge.source, edge.target)]
        if edge.direction == Link.Direction.BOTH:
            pairs.append((edge.target, edge.source))
        for s, t in pairs:
            signed.add_edge(s, t, polarity=edge.polarity)
    found = []
    for cycle in nx.simple_cycles(signed, length_bound=length):
        if len(cycle) < 2 and not signed.has_edge(cycle[0], cycle[0]):
            continue
        polarities = [
            signed[a][b]["polarity"] for a, b in zip(cycle, [*cycle[1:], cycle[0]], strict=True)
        ]
        found.append(Loop(cycle, polarities))
        if len(found) >= limit:
            break
    return found


@dataclass
class Analysis:
    actors: int
    links: int
    missing: int
    brokers: list[Broker]
    failing: list[MapEdge]
    sectors: SectorBridges
    bridges: list[tuple[int, int]]
    parts: Parts
    loops: list[Loop]
    estimated: bool  # betweenness estimated from a sample


def analyse(system: SystemMap) -> Analysis:
    """The whole analysis the map's page shows."""
    g = graph(system)
    return Analysis(
        actors=len(system.nodes),
        links=len(system.edges),
        missing=sum(1 for e in system.edges if e.status == Link.Status.MISSING),
        brokers=brokers(system, g),
        failing=failing_links(system),
        sectors=sector_bridges(system),
        bridges=bridges(system, g),
        parts=parts(system, g),
        loops=loops(system),
        estimated=g.number_of_nodes() > SAMPLE_ABOVE,
    )
