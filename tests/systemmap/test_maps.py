"""The maps: a person's own system and a neighbourhood's, and who sees whose names."""

import pytest
from django.urls import reverse

from hct.people.selectors import people_in
from hct.places.models import Neighbourhood
from hct.systemmap import selectors
from hct.systemmap.models import Actor

pytestmark = pytest.mark.django_db


def _sams_neighbourhood(demo):
    return (
        Neighbourhood.objects.filter(lsoas=demo.sam.home_lsoa).order_by("pk").first()
        or demo.first_neighbourhood
    )


def test_sams_map_has_him_at_the_centre_and_his_family_by_name_only_for_those_who_may(demo):
    named = selectors.person_map(demo.sam, sees_private_names=True)
    others = selectors.person_map(demo.sam, sees_private_names=False)
    centre = named.node(named.centre)
    assert centre is not None and centre.kind == "person"
    private = set(
        Actor.objects.filter(person=demo.sam, private=True).values_list("name", flat=True)
    )
    assert private and private <= {n.label for n in named.nodes}
    assert not private & {n.label for n in others.nodes}
    assert named.edges and any(e.failing for e in named.edges)
    assert {e.people for e in named.edges} <= {0, 1}


def test_a_neighbourhood_map_shown_to_partners_counts_personal_actors_and_names_none(demo):
    neighbourhood = _sams_neighbourhood(demo)
    assert people_in(Neighbourhood.objects.filter(pk=neighbourhood.pk)).filter(pk=demo.sam.pk)
    full = selectors.neighbourhood_map(neighbourhood, with_personal=True)
    shared = selectors.neighbourhood_map(neighbourhood, with_personal=False)
    personal = [n for n in full.nodes if n.personal]
    assert personal and shared.hidden_personal == len(personal)
    assert not any(n.personal for n in shared.nodes)
    names = set(Actor.objects.filter(private=True).values_list("name", flat=True))
    assert not names & {n.label for n in full.nodes}
    ids = {n.id for n in shared.nodes}
    assert all(e.source in ids and e.target in ids for e in shared.edges)


def test_the_demo_map_has_a_route_from_the_gp_to_the_shed_and_a_loop(demo):
    from hct.demo.services import DemoSummary
    from hct.demo.systemmap import systemmap_demo_load
    from hct.systemmap import analysis

    again = DemoSummary()
    systemmap_demo_load(again)  # the demo is loaded already: nothing more is made
    assert again.created == []
    system = selectors.neighbourhood_map(demo.first_neighbourhood, with_personal=False)
    ids = {n.label: n.id for n in system.nodes}
    route = analysis.paths(system, ids["The GP practice"], ids["The Men's Shed"])
    assert route.routes == [[ids["The GP practice"], ids["The Men's Shed"]]]
    loops = analysis.loops(system)
    assert any(not loop.reinforcing for loop in loops)


def test_the_directorys_services_located_here_join_the_map_once(demo, client_for):
    from hct.systemmap import services

    here = demo.first_neighbourhood
    listed = list(selectors.directory_services_in(here))
    assert listed, "the demo directory has services in the first neighbourhood"
    first = services.directory_actors_sync(actor=demo.users["facilitator"], neighbourhood=here)
    assert first.created + first.matched == len(listed)
    again = services.directory_actors_sync(actor=demo.users["facilitator"], neighbourhood=here)
    assert (again.created, again.matched, again.already) == (0, 0, len(listed))
    on_map = set(selectors.neighbourhood_actors(here).values_list("directory_service", flat=True))
    assert {s.pk for s in listed} <= on_map
    response = client_for("facilitator").post(reverse("systemmap:directory-sync", args=[here.slug]))
    assert response.status_code == 302
