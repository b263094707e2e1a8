"""Issue 4: the system map of the synthetic city (about 20,000 actors and 100,000 links).

For the neighbourhood with the largest map, in the same run:
- the full analysis (`hct.systemmap.analysis.analyse`: brokers with betweenness, constraint and
  effective size; failing links; sector bridges; bridges; components and Louvain communities;
  loops) beside plain networkx computing the same measures exactly, for every actor;
- betweenness alone: our seeded sampled estimate beside the exact value, with its error (largest
  and mean absolute difference, and how many of the exact top ten brokers it also ranks top ten);
- the map's JSON for the page (query, measures, Cytoscape elements, serialised) beside the same
  JSON built with networkx's exact betweenness.

- issue 15: the map page's HTML (bytes, and time against a minimal signed-in page, the home
  page) and map.json's bytes as sent (gzipped), each after a first request has filled the caches
  for the map's version, as a second reader meets them.

Set BENCH_SYSTEM_MAP_PEOPLE to build a smaller city (default 8,700 people, which gives about
20,000 actors).
"""

import json
import os
import time

import networkx as nx

from bench.harness import Figure, ms, paired_medians

PEOPLE = int(os.environ.get("BENCH_SYSTEM_MAP_PEOPLE", "8700"))
SEED = 4
# The exact baselines take a minute or more each on the largest ward: one paired run by default.
REPEAT = int(os.environ.get("BENCH_SYSTEM_MAP_REPEAT", "1"))


def _largest():
    from hct.places.models import Neighbourhood
    from hct.systemmap.selectors import neighbourhood_actors

    wards = Neighbourhood.objects.filter(kind=Neighbourhood.Kind.WARD)
    return max(wards, key=lambda n: (neighbourhood_actors(n).count(), n.slug))


def _plain_graph(system) -> nx.DiGraph:
    """The same graph built the plain way: one edge per link that is not missing."""
    g = nx.DiGraph()
    g.add_nodes_from(n.id for n in system.nodes)
    for e in system.edges:
        if e.status == "missing":
            continue
        g.add_edge(e.source, e.target)
        if e.direction == "both":
            g.add_edge(e.target, e.source)
    return g


def _plain_analysis(system) -> dict:
    g = _plain_graph(system)
    u = nx.Graph(g.to_undirected())
    signed = nx.DiGraph(
        (e.source, e.target) for e in system.edges if e.polarity and e.status != "missing"
    )
    loops = []
    for cycle in nx.simple_cycles(signed, length_bound=6):
        loops.append(cycle)
        if len(loops) >= 50:
            break
    return {
        "betweenness": nx.betweenness_centrality(u),
        "constraint": nx.constraint(u),
        "effective_size": nx.effective_size(u),
        "bridges": list(nx.bridges(u)),
        "components": list(nx.connected_components(u)),
        "communities": nx.community.louvain_communities(
            u.subgraph(n for n in u if u.degree(n)), seed=20241127
        ),
        "loops": loops,
    }


def _plain_json(neighbourhood) -> str:
    from hct.systemmap import present, selectors

    system = selectors.neighbourhood_map(neighbourhood, with_personal=True)
    u = _plain_graph(system).to_undirected()
    exact = nx.betweenness_centrality(u)
    found = {n.id: {"degree": u.degree(n.id), "betweenness": exact[n.id]} for n in system.nodes}
    return json.dumps(
        {
            "nodes": [present._node(n, found[n.id]) for n in system.nodes],
            "edges": [present._edge(e, True) for e in system.edges],
        }
    )


def _our_json(neighbourhood) -> str:
    from django.core.cache import cache

    from hct.systemmap import present, selectors

    cache.clear()  # measure the first request for a map, not the cached measures

    system = selectors.neighbourhood_map(neighbourhood, with_personal=True)
    return json.dumps(present.elements(system, exact=True))


def _signed_in_client():
    import time as clock

    from django.conf import settings
    from django.test import Client

    from hct.core.middleware import SIGNED_IN_AT
    from hct.core.models import User

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(User.objects.get(username="facilitator"))
    session = client.session
    session[SIGNED_IN_AT] = clock.time()
    session.save()
    return client


def _page_figures(neighbourhood) -> list[Figure]:
    from django.urls import reverse

    client = _signed_in_client()
    page = reverse("systemmap:map", args=[neighbourhood.slug])
    data = reverse("systemmap:map-json", args=[neighbourhood.slug])
    home = reverse("core:home")

    def get(url):
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200, (url, response.status_code)
        return response

    html = len(get(page).content)
    sent = len(get(data).content)
    every = len(get(data + "?view=all").content)
    ours, plain, ratio = paired_medians(lambda: get(page), lambda: get(home), repeat=max(REPEAT, 9))
    return [
        Figure(
            f"map page of {neighbourhood.name} ({html // 1024} KiB of HTML, target < 200 KiB) vs "
            "the signed-in home page",
            ms(ours),
            ms(plain),
            ratio,
            "≤ 3 and the page under 300 ms",
        ),
        Figure(
            f"map.json as sent, gzipped: the summary {sent / 1024:.1f} KiB, every actor "
            f"{every / 1024:.0f} KiB (target < 2 MiB)",
            f"{sent} bytes",
            f"{every} bytes",
            sent / every,
            "< 1",
        ),
    ]


def run() -> list[Figure]:
    from django.db.models import Count

    from hct.demo import synthetic
    from hct.demo.services import demo_load
    from hct.systemmap import analysis, selectors
    from hct.systemmap.models import Actor, Link

    demo_load(password="benchmark-demo-password")
    start = time.perf_counter()
    synthetic.generate(people=PEOPLE, seed=SEED)
    built = time.perf_counter() - start
    actors = Actor.objects.filter(synthetic_batch="city").count()
    links = Link.objects.filter(from_actor__synthetic_batch="city").count()
    by_status = dict(
        Link.objects.filter(from_actor__synthetic_batch="city")
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    neighbourhood = _largest()
    system = selectors.neighbourhood_map(neighbourhood, with_personal=True)
    print(
        f"synthetic city: {PEOPLE} people, {actors} actors, {links} links {by_status}, built in "
        f"{built:.0f} s; largest map: {neighbourhood.name}, {len(system.nodes)} actors, "
        f"{len(system.edges)} links",
        flush=True,
    )
    figures = _page_figures(neighbourhood)
    for figure in figures:
        print(figure.line(), flush=True)

    ours, plain, ratio = paired_medians(
        lambda: analysis.analyse(system), lambda: _plain_analysis(system), repeat=REPEAT, warmup=0
    )
    figures.append(
        Figure(
            f"full analysis of the largest map ({len(system.nodes)} actors, "
            f"{len(system.edges)} links): analyse() vs plain networkx, exact, every actor",
            ms(ours),
            ms(plain),
            ratio,
            "< 1 (sampled betweenness; constraint and effective size for the brokers only)",
        )
    )

    u = analysis.undirected(analysis.graph(system))
    exact = nx.betweenness_centrality(u)
    estimate, estimated = analysis.betweenness(u)
    errors = [abs(exact[n] - estimate[n]) for n in exact]
    top_exact = set(sorted(exact, key=lambda n: -exact[n])[:10])
    top_estimate = set(sorted(estimate, key=lambda n: -estimate[n])[:10])
    sampled, full, ratio = paired_medians(
        lambda: analysis.betweenness(u),
        lambda: nx.betweenness_centrality(u),
        repeat=REPEAT,
        warmup=0,
    )
    figures.append(
        Figure(
            f"betweenness, {'sampled from ' + str(analysis.SAMPLE_SOURCES) + ' sources' if estimated else 'exact'}"
            f" vs exact: speed-up {full / sampled:.1f}×; error max {max(errors):.4f}, "
            f"mean {sum(errors) / len(errors):.5f}; top ten shared {len(top_exact & top_estimate)}/10",
            ms(sampled),
            ms(full),
            ratio,
            "< 0.5 with max error < 0.02 and at least 8 of the top ten",
        )
    )

    ours, plain, ratio = paired_medians(
        lambda: _our_json(neighbourhood),
        lambda: _plain_json(neighbourhood),
        repeat=REPEAT,
        warmup=0,
    )
    figures.append(
        Figure(
            f"map JSON for the page ({len(_our_json(neighbourhood)) // 1024} KiB): ours vs with "
            "networkx's exact betweenness",
            ms(ours),
            ms(plain),
            ratio,
            "< 1",
        )
    )
    return figures


if __name__ == "__main__":
    from bench.harness import setup_django

    setup_django()
    for figure in run():
        print(figure.line(), flush=True)
