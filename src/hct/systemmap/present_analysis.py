"""What the analysis page shows of a map's analysis: actors by their labels, kinds and statuses
in words, counts of people through `present.people_shown`. Plain data for the template."""

from hct.systemmap import analysis, present
from hct.systemmap.analysis import Analysis
from hct.systemmap.selectors import SystemMap


def analysis_shown(system: SystemMap, found: Analysis, *, exact: bool) -> dict:
    """The analysis in words: failing links, sectors met, bridges, parts and loops."""
    labels = system.labels()
    return {
        "found": found,
        "explain": analysis.EXPLAIN,
        "labels": labels,
        "failing": [
            {
                "from": labels[e.source],
                "to": labels[e.target],
                "kind": present.LINK_KIND_LABELS[e.kind],
                "status": present.STATUS_LABELS[e.status],
                "people": present.people_shown(e.people, exact),
            }
            for e in found.failing
        ],
        "sector_pairs": [
            (present.SECTOR_LABELS[a], present.SECTOR_LABELS[b], n)
            for (a, b), n in sorted(found.sectors.by_pair.items())
        ],
        "bridges": [(labels[a], labels[b]) for a, b in found.bridges],
        "components": present.components_labelled(system, found.parts.components),
        "communities": present.components_labelled(system, found.parts.communities),
        "loops": [
            {"actors": present.route_labels(system, loop.actors), "reinforcing": loop.reinforcing}
            for loop in found.loops
        ],
    }


def path_shown(system: SystemMap, source: int, target: int) -> dict:
    """The routes from one actor to another, and how far the first reaches, in labels."""
    labels = system.labels()
    found_paths = analysis.paths(system, source, target)
    near = analysis.reach(system, source)
    return {
        "route": {
            "routes": [present.route_labels(system, r) for r in found_paths.routes],
            "directed": found_paths.directed,
            "source": labels[source],
            "target": labels[target],
        },
        "reach": {
            "actor": labels[source],
            "steps": [(d, [labels[n] for n in ns]) for d, ns in near.steps.items()],
            "upstream": [labels[n] for n in near.upstream],
            "downstream": [labels[n] for n in near.downstream],
        },
    }
