"""The analysis on small hand-made maps whose answers are known."""

import itertools

from hct.systemmap import analysis
from hct.systemmap.selectors import MapEdge, MapNode, SystemMap

COMMUNITY, LOCAL, ACUTE = "community", "local_services", "acute_services"


def _map(edges, sectors=None, **options):
    ids = sorted({n for e in edges for n in e[:2]} | set(sectors or {}))
    sectors = sectors or {}
    nodes = [MapNode(n, f"A{n}", "community_group", sectors.get(n, COMMUNITY), False) for n in ids]
    made = []
    for i, e in enumerate(edges, start=1):
        source, target, *rest = e
        extra = rest[0] if rest else {}
        made.append(
            MapEdge(
                i,
                source,
                target,
                extra.get("kind", "support"),
                extra.get("status", "working"),
                extra.get("direction", "forward"),
                None,
                extra.get("polarity", ""),
                "",
                "hand",
                extra.get("people", 0),
                0,
            )
        )
    return SystemMap("test", nodes, made, **options)


def test_a_stars_centre_is_the_broker_with_no_constraint_from_its_contacts():
    star = _map([(0, n) for n in range(1, 6)])
    top = analysis.brokers(star)[0]
    assert top.id == 0 and top.betweenness == 1.0
    assert top.effective_size == 5.0 and top.constraint == 0.2


def test_two_cliques_joined_by_one_edge_have_one_bridge_and_two_communities():
    left = list(itertools.combinations(range(4), 2))
    right = list(itertools.combinations(range(4, 8), 2))
    two = _map([*left, *right, (3, 4)])
    assert analysis.bridges(two) == [(3, 4)]
    parts = analysis.parts(two)
    assert len(parts.components) == 1
    assert parts.communities == [[0, 1, 2, 3], [4, 5, 6, 7]]
    assert {b.id for b in analysis.brokers(two)[:2]} == {3, 4}


def test_missing_links_do_not_connect_and_failing_links_rank_by_people():
    system = _map(
        [
            (1, 2),
            (3, 4, {"status": "missing", "people": 1}),
            (2, 3, {"status": "broken", "people": 3}),
        ]
    )
    assert [len(c) for c in analysis.parts(system).components] == [3, 1]
    assert [e.status for e in analysis.failing_links(system)] == ["broken", "missing"]


def test_bridges_between_sectors_and_services_with_no_community_link():
    system = _map(
        [(1, 2), (2, 3, {"status": "missing"}), (3, 4)],
        sectors={1: COMMUNITY, 2: LOCAL, 3: ACUTE, 4: LOCAL},
    )
    found = analysis.sector_bridges(system)
    assert found.links == 1 and found.by_pair == {(COMMUNITY, LOCAL): 1}
    assert [pk for pk, _ in found.services_without_community] == [3, 4]


def test_paths_follow_directions_or_say_they_could_not_and_reach_counts_steps():
    system = _map([(1, 2), (2, 3), (4, 3), (3, 5, {"direction": "both"})])
    assert analysis.paths(system, 1, 5).routes == [[1, 2, 3, 5]]
    back = analysis.paths(system, 5, 1)
    assert back.routes == [[5, 3, 2, 1]] and not back.directed
    reach = analysis.reach(system, 3)
    assert reach.steps == {1: [2, 4, 5], 2: [1], 3: []}
    assert reach.upstream == [1, 2, 4, 5] and reach.downstream == [5]


def test_loops_are_reinforcing_with_an_even_number_of_opposite_links():
    system = _map(
        [
            (1, 2, {"polarity": "+"}),
            (2, 1, {"polarity": "+"}),
            (2, 3, {"polarity": "-"}),
            (3, 1, {"polarity": "+"}),
            (3, 4),  # no polarity: not in any loop
            (4, 3),
        ]
    )
    loops = {tuple(sorted(loop.actors)): loop.reinforcing for loop in analysis.loops(system)}
    assert loops == {(1, 2): True, (1, 2, 3): False}


def test_the_whole_analysis_of_an_empty_map_says_nothing_is_there():
    found = analysis.analyse(SystemMap("empty", [], []))
    assert (found.actors, found.brokers, found.parts.communities) == (0, [], [])


def test_constraint_and_effective_size_agree_with_networkx():
    import networkx as nx

    for seed in range(5):
        g = nx.gnm_random_graph(40, 120, seed=seed)
        g.add_node(99)  # an isolated actor
        nodes = list(g)
        ours_c, ours_e = analysis.structural_holes(g, nodes)
        theirs_c, theirs_e = nx.constraint(g), nx.effective_size(g)
        for n in nodes:
            if g.degree(n) == 0:
                assert ours_c[n] != ours_c[n] and theirs_c[n] != theirs_c[n]
                continue
            assert abs(ours_c[n] - theirs_c[n]) < 1e-9
            assert abs(ours_e[n] - theirs_e[n]) < 1e-9
