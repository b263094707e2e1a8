from hct.core.roles import Role
from tests.access_rules import only

F, P, B, C = Role.FACILITATOR, Role.PARTNER, Role.BOARD, Role.COMMUNITY


def _first(demo):
    return {"slug": demo.first_neighbourhood.slug}


def _person(demo):
    return {"person_pk": demo.sam.pk}


def _link(demo):
    return {"slug": demo.first_neighbourhood.slug, "pk": demo.map_link.pk}


def _snapshot(demo):
    return {"slug": demo.first_neighbourhood.slug, "pk": demo.map_snapshot.pk}


ACCESS = {
    # Neighbourhood maps: facilitators, partners and the board in scope (partners and the board
    # without the actors about one person, and counts through disclosure control).
    "systemmap:home": only([F, P, B]),
    "systemmap:map": only([F, P, B], _first),
    "systemmap:map-json": only([F, P, B], _first),
    "systemmap:analysis": only([F, P, B], _first),
    # A person's map: whoever may see the person (private names only for those who may).
    "systemmap:person": only([F, P, C], _person),
    "systemmap:person-json": only([F, P, C], _person),
    # Editing: facilitators in scope.
    "systemmap:actor-add": only([F], _first),
    "systemmap:link-add": only([F], _first),
    "systemmap:link-edit": only([F], _link),
    "systemmap:link-status": only([F], _link, ok=405),  # POSTs
    "systemmap:link-remove": only([F], _link, ok=405),  # POSTs
    "systemmap:export": only([F, P], lambda demo: {**_first(demo), "format": "graphml"}),
    "systemmap:import": only([F], _first),
    "systemmap:snapshots": only([F, P, B], _first),
    "systemmap:snapshot": only([F, P, B], _snapshot),
    "systemmap:history": only([F], _first),
    "systemmap:directory-sync": only([F], _first, ok=405),  # POSTs
}
PUBLIC_VIEWS: set[str] = set()
