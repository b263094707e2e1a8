"""The matching engine: plain data in, proposed pairs out. No database here, so that the same
code runs in a page, on the command line, in tests on hand-made instances and in the benchmark.

What it optimises, in this order (lexicographically, exactly):

1. the most needs met;
2. among those, the most urgent ones (urgent counts 2, soon 1, routine 0);
3. among those, the least total distance between LSOA centroids.

Under hard constraints: the offer gives that kind of help; their weekly windows overlap (no
windows means any time); the distance is within both the offer's reach and the person's
`max_km`; the offer's weekly capacity; a background check where the kind needs one
(`CHECK_NEEDED`); the person's preferences (dog-friendly, can carry shopping); nobody is matched
with themselves, and a pair once declined is not proposed again.

Two steps. First, **two-way companionship**: needs for company whose people would like it both
ways are paired with each other (a maximum-cardinality, then minimum-distance matching on a
general graph, networkx's blossom algorithm). Then every other need is matched with offers as a
**min-cost flow** (source → offer, capacity = places a week → need, capacity 1 → sink). Split
each offer into one slot per place and the flow is an assignment problem, which scipy's LAPJVsp
(shortest augmenting paths on a sparse graph) solves exactly: see `solve_flow`. (DESIGN.md names
OR-Tools' SimpleMinCostFlow; it is not installed here. The flow's linear programme under HiGHS
gives the same optimum, and the benchmark checks that it does, but its simplex took minutes on a
city where this takes seconds.)

The lexicographic order comes from integer weights big enough that no amount of the later goal
can buy one unit of an earlier one: any two solutions differ by alternating paths, each of which
changes the set of met needs by at most one in and one out, and changes distance by at most
(2n + 1) × the longest distance. So URGENCY_STEP exceeds that, and NEED_VALUE exceeds two urgency
steps plus it. All weights stay below 2**53, so doubles hold them exactly.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
from scipy.sparse import csr_array
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

URGENCY_RANK = {"routine": 0, "soon": 1, "urgent": 2}
SLOTS = 7 * 48  # half-hours in a week
WORDS = SLOTS // 64 + 1
ANY_TIME = (1 << SLOTS) - 1
EARTH_M = 6_371_000.0

MESSAGE_EMPTY = "There is nothing to match: no open needs or no offers with places this week."
MESSAGE_INFEASIBLE = (
    "No need can be met by any offer under the constraints (kind of help, times, distance, "
    "places, background checks, preferences)."
)


def window_bits(windows: Iterable[tuple[int, int, int]]) -> int:
    """Weekly windows (weekday, start minute, end minute) as a bit set of half-hours; a window
    covers every half-hour it touches. No windows: any time."""
    bits = 0
    for weekday, start, end in windows:
        first = weekday * 48 + start // 30
        last = weekday * 48 + max(start, (end - 1)) // 30
        for slot in range(first, last + 1):
            bits |= 1 << slot
    return bits or ANY_TIME


@dataclass(frozen=True)
class NeedIn:
    id: int
    person: int
    kind: str
    urgency: str
    lat: float
    lon: float
    max_m: float
    windows: int = ANY_TIME
    needs_dog_friendly: bool = False
    needs_carrying: bool = False
    two_way: bool = False


@dataclass(frozen=True)
class OfferIn:
    id: int
    person: int | None  # None for a group
    kinds: frozenset[str]
    lat: float
    lon: float
    reach_m: float
    capacity: int
    background_checked: bool = False
    can_carry_shopping: bool = False
    dog_friendly: bool = False
    windows: int = ANY_TIME


@dataclass
class Proposal:
    need: int
    distance_m: int
    offer: int | None = None
    partner_need: int | None = None


@dataclass
class Result:
    proposals: list[Proposal] = field(default_factory=list)
    candidate_pairs: int = 0
    message: str = ""

    @property
    def needs_met(self) -> int:
        return sum(2 if p.partner_need is not None else 1 for p in self.proposals)

    @property
    def total_distance_m(self) -> int:
        return sum(p.distance_m for p in self.proposals)


def _words(bits: list[int]) -> np.ndarray:
    out = np.zeros((len(bits), WORDS), dtype=np.uint64)
    mask = (1 << 64) - 1
    for row, value in enumerate(bits):
        for word in range(WORDS):
            out[row, word] = (value >> (64 * word)) & mask
    return out


def project(lat, lon, lat0: float) -> tuple[np.ndarray, np.ndarray]:
    """Points on a flat map in metres (equirectangular about latitude `lat0`). Across a city,
    distances on it are within 0.1% of the great circle (a metre in a kilometre), and far
    cheaper to take for the millions of pairs a city has."""
    lat, lon = np.asarray(lat, dtype=np.float64), np.asarray(lon, dtype=np.float64)
    return EARTH_M * np.radians(lon) * math.cos(math.radians(lat0)), EARTH_M * np.radians(lat)


def distances_m(x1, y1, x2, y2) -> np.ndarray:
    """Distances in whole metres between projected points, broadcasting."""
    return np.rint(np.hypot(x2 - x1, y2 - y1)).astype(np.int64)


@dataclass
class Candidates:
    """Every feasible need–offer pair, as parallel arrays (indexes into the input lists)."""

    need: np.ndarray
    offer: np.ndarray
    distance: np.ndarray

    def __len__(self) -> int:
        return len(self.need)


def candidates(
    needs: list[NeedIn],
    offers: list[OfferIn],
    *,
    check_needed: frozenset[str],
    declined: frozenset[tuple[int, int]] = frozenset(),
) -> Candidates:
    """Feasible pairs under every hard constraint, built kind by kind with numpy."""
    parts_n, parts_o, parts_d = [], [], []
    if not needs or not offers:
        empty = np.zeros(0, dtype=np.int64)
        return Candidates(empty, empty, empty)
    lat0 = float(np.mean([n.lat for n in needs]))
    n_x, n_y = project([n.lat for n in needs], [n.lon for n in needs], lat0)
    n_max = np.array([n.max_m for n in needs])
    n_person = np.array([n.person for n in needs], dtype=np.int64)
    n_dog = np.array([n.needs_dog_friendly for n in needs])
    n_carry = np.array([n.needs_carrying for n in needs])
    n_words = _words([n.windows for n in needs])
    o_x, o_y = project([o.lat for o in offers], [o.lon for o in offers], lat0)
    o_reach = np.array([o.reach_m for o in offers])
    o_person = np.array([-1 if o.person is None else o.person for o in offers], dtype=np.int64)
    o_checked = np.array([o.background_checked for o in offers])
    o_dog = np.array([o.dog_friendly for o in offers])
    o_carry = np.array([o.can_carry_shopping for o in offers])
    o_words = _words([o.windows for o in offers])
    o_open = np.array([o.capacity > 0 for o in offers])
    by_kind: dict[str, list[int]] = {}
    for index, need in enumerate(needs):
        by_kind.setdefault(need.kind, []).append(index)
    for kind, need_rows in sorted(by_kind.items()):
        offer_rows = [j for j, o in enumerate(offers) if kind in o.kinds and o_open[j]]
        if not offer_rows:
            continue
        ni, oj = np.array(need_rows), np.array(offer_rows)
        dist = distances_m(n_x[ni, None], n_y[ni, None], o_x[None, oj], o_y[None, oj])
        ok = (dist <= n_max[ni, None]) & (dist <= o_reach[None, oj])
        ok &= n_person[ni, None] != o_person[None, oj]
        ok &= ~n_dog[ni, None] | o_dog[None, oj]
        ok &= ~n_carry[ni, None] | o_carry[None, oj]
        if kind in check_needed:
            ok &= o_checked[None, oj]
        rows, cols = np.nonzero(ok)
        if not len(rows):
            continue
        pair_n, pair_o = ni[rows], oj[cols]
        overlap = np.any((n_words[pair_n] & o_words[pair_o]) != 0, axis=1)
        parts_n.append(pair_n[overlap])
        parts_o.append(pair_o[overlap])
        parts_d.append(dist[rows, cols][overlap])
    if not parts_n:
        empty = np.zeros(0, dtype=np.int64)
        return Candidates(empty, empty, empty)
    found = Candidates(np.concatenate(parts_n), np.concatenate(parts_o), np.concatenate(parts_d))
    if declined:
        keep = np.array(
            [
                (needs[i].id, offers[j].id) not in declined
                for i, j in zip(found.need, found.offer, strict=False)
            ],
            dtype=bool,
        )
        found = Candidates(found.need[keep], found.offer[keep], found.distance[keep])
    return found


def weights(n_needs: int, longest_m: int) -> tuple[int, int]:
    """(NEED_VALUE, URGENCY_STEP): see the module docstring for why these sizes."""
    urgency_step = (longest_m + 1) * (2 * n_needs + 1)
    need_value = 5 * urgency_step
    return need_value, urgency_step


def edge_costs(needs: list[NeedIn], pairs: Candidates) -> np.ndarray:
    """The cost of each candidate pair: minus its worth (a met need, its urgency), plus its
    distance. Integers, as floats (exact below 2**53)."""
    longest = int(pairs.distance.max()) if len(pairs) else 0
    need_value, urgency_step = weights(len(needs), longest)
    urgency = np.array([URGENCY_RANK[n.urgency] for n in needs], dtype=np.int64)
    return (
        -(need_value + urgency_step * urgency[pairs.need]) + pairs.distance.astype(np.int64)
    ).astype(np.float64)


def solve_flow(needs: list[NeedIn], offers: list[OfferIn], pairs: Candidates) -> np.ndarray:
    """The optimal flow, as a boolean per candidate pair (chosen or not).

    The flow has unit capacities once each offer is split into one slot per place a week, so
    it is an assignment problem: scipy's LAPJVsp (shortest augmenting paths, the min-cost-flow
    algorithm specialised to assignment) solves it exactly on the sparse graph. The slots are
    the rows, as places are scarcer than needs (fewer rows to augment from: about 40% faster
    on the city); each slot also gets a column of its own that costs nothing ("unused"), so a
    full assignment of the rows always exists."""
    m = len(pairs)
    if not m:
        return np.zeros(0, dtype=bool)
    capacity = np.array([o.capacity for o in offers], dtype=np.int64)
    # An offer can use no more places than it has candidate needs: fewer slots, same optimum.
    capacity = np.minimum(capacity, np.bincount(pairs.offer, minlength=len(offers)))
    first_slot = np.concatenate([[0], np.cumsum(capacity)])
    slots = int(first_slot[-1])
    cost = edge_costs(needs, pairs)
    rows, columns, values = [], [], []
    for place in range(int(capacity[pairs.offer].max())):
        here = capacity[pairs.offer] > place
        rows.append(first_slot[pairs.offer[here]] + place)
        columns.append(pairs.need[here])
        values.append(cost[here])
    n = len(needs)
    rows.append(np.arange(slots))
    columns.append(n + np.arange(slots))
    values.append(np.zeros(slots))
    value = np.concatenate(values)
    # Every row takes exactly one column, so adding a constant to every weight changes nothing
    # but keeps them all positive (an explicit zero would read as "no edge").
    value = value - value.min() + 1
    graph = csr_array(
        (value, (np.concatenate(rows), np.concatenate(columns))), shape=(slots, n + slots)
    )
    slot_rows, need_columns = min_weight_full_bipartite_matching(graph)
    used = need_columns < n
    owner = np.repeat(np.arange(len(offers)), capacity)  # slot -> offer
    chosen_keys = need_columns[used].astype(np.int64) * len(offers) + owner[slot_rows[used]]
    keys = pairs.need.astype(np.int64) * len(offers) + pairs.offer
    return np.isin(keys, chosen_keys)


def two_way_pairs(needs: list[NeedIn]) -> list[tuple[int, int, int]]:
    """Pairs (index, index, distance) of needs for company whose people would both like it two
    ways: as many pairs as possible, then the shortest total distance."""
    rows = [i for i, n in enumerate(needs) if n.two_way]
    if len(rows) < 2:
        return []
    x, y = project([needs[i].lat for i in rows], [needs[i].lon for i in rows],
                   float(np.mean([needs[i].lat for i in rows])))  # fmt: skip
    reach = np.array([needs[i].max_m for i in rows])
    person = np.array([needs[i].person for i in rows])
    words = _words([needs[i].windows for i in rows])
    dist = distances_m(x[:, None], y[:, None], x[None, :], y[None, :])
    ok = (dist <= np.minimum(reach[:, None], reach[None, :])) & (person[:, None] != person[None, :])
    ok = np.triu(ok, k=1)
    a, b = np.nonzero(ok)
    overlap = np.any((words[a] & words[b]) != 0, axis=1)
    a, b = a[overlap], b[overlap]
    if not len(a):
        return []
    longest = int(dist[a, b].max())
    graph = nx.Graph()
    for i, j in zip(a.tolist(), b.tolist(), strict=True):
        graph.add_edge(i, j, weight=longest + 1 - int(dist[i, j]))
    chosen = set()
    # People far apart never share a pair: solving each connected part alone gives the same
    # optimum, and the blossom algorithm is cubic in the size of what it is given.
    for part in nx.connected_components(graph):
        if len(part) > 1:
            chosen |= nx.max_weight_matching(graph.subgraph(part).copy(), maxcardinality=True)
    pairs = sorted(
        (min(rows[i], rows[j]), max(rows[i], rows[j]), int(dist[i, j])) for i, j in chosen
    )
    return pairs


def match(
    needs: list[NeedIn],
    offers: list[OfferIn],
    *,
    check_needed: frozenset[str],
    declined: frozenset[tuple[int, int]] = frozenset(),
    two_way_kinds: frozenset[str] = frozenset({"companionship"}),
) -> Result:
    """Propose pairs: two-way companionship first, then the min-cost flow over the rest."""
    if not needs or (not any(o.capacity > 0 for o in offers) and not any(n.two_way for n in needs)):
        return Result(message=MESSAGE_EMPTY)
    proposals: list[Proposal] = []
    paired: set[int] = set()
    mutual = [n for n in needs if n.two_way and n.kind in two_way_kinds]
    for i, j, distance in two_way_pairs(mutual):
        proposals.append(
            Proposal(need=mutual[i].id, partner_need=mutual[j].id, distance_m=distance)
        )
        paired.update((mutual[i].id, mutual[j].id))
    rest = [n for n in needs if n.id not in paired]
    pairs = candidates(rest, offers, check_needed=check_needed, declined=declined)
    chosen = solve_flow(rest, offers, pairs)
    for i, j, d in zip(
        pairs.need[chosen], pairs.offer[chosen], pairs.distance[chosen], strict=False
    ):
        proposals.append(Proposal(need=rest[i].id, offer=offers[j].id, distance_m=int(d)))
    message = "" if proposals else MESSAGE_INFEASIBLE
    return Result(proposals=proposals, candidate_pairs=len(pairs), message=message)
