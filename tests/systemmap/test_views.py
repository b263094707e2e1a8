"""The map pages: what each role sees, the filters and sorts, and editing through services."""

import pytest
from django.urls import reverse

from hct.core.models import AuditEvent
from hct.systemmap.models import Actor, Link

pytestmark = pytest.mark.django_db


def _url(name, demo, *args):
    return reverse(name, args=[demo.first_neighbourhood.slug, *args])


def test_a_facilitator_sees_personal_actors_by_kind_and_partners_see_a_count(demo, client_for):
    private = set(Actor.objects.filter(private=True).values_list("name", flat=True))
    facilitator = client_for("facilitator").get(_url("systemmap:map-json", demo)).json()
    partner = client_for("partner").get(_url("systemmap:map-json", demo)).json()
    assert any(n["data"]["personal"] for n in facilitator["nodes"])
    assert not any(n["data"]["personal"] for n in partner["nodes"])
    for data in (facilitator, partner):
        assert not private & {n["data"]["label"] for n in data["nodes"]}
    page = client_for("partner").get(_url("systemmap:map", demo)).content.decode()
    assert "are left out" in page and 'data-testid="links-table"' in page


def test_the_tables_filter_by_status_and_sort_by_a_column(demo, client_for):
    client = client_for("facilitator")
    page = client.get(_url("systemmap:map", demo), {"status": "broken"}).context
    rows = page["shown"].link_rows
    assert rows and {r["status"] for r in rows} == {"broken"}
    by_people = client.get(
        _url("systemmap:map", demo), {"link_sort": "people", "order": "desc"}
    ).context["shown"]
    people = [r["people"] for r in by_people.link_rows]
    assert people == sorted(people)  # "people" sorts most first; desc reverses it
    focus = demo.map_link.from_actor_id
    shown = client.get(_url("systemmap:map", demo), {"focus": focus}).context["shown"]
    assert shown.link_rows and len(shown.link_rows) < len(by_people.link_rows)
    assert all(focus in (row["id"],) or row["degree"] for row in shown.actor_rows)


def test_adding_and_changing_a_link_goes_through_services_and_is_audited(demo, client_for):
    client = client_for("facilitator")
    shared = list(
        Actor.objects.filter(neighbourhood__isnull=True, person__isnull=True).order_by("pk")[:2]
    )
    shared = shared or list(Actor.objects.filter(person__isnull=True).order_by("pk")[:2])
    response = client.post(
        _url("systemmap:link-add", demo),
        {
            "from_actor": shared[0].pk,
            "to_actor": shared[0].pk,
            "kind": "funding",
            "status": "working",
            "direction": "forward",
        },
    )
    assert response.status_code == 200 and "two different actors" in response.content.decode()
    link = demo.map_link
    response = client.post(
        _url("systemmap:link-edit", demo, link.pk),
        {"status": "strained", "direction": "both", "strength": "4", "polarity": "+", "note": "x"},
    )
    assert response.status_code == 302
    link.refresh_from_db()
    assert (link.status, link.status_by_hand, link.polarity, link.strength) == (
        "strained",
        True,
        "+",
        4,
    )
    assert AuditEvent.objects.filter(verb="link.update", subject_id=str(link.pk)).exists()
    response = client.post(_url("systemmap:link-remove", demo, link.pk))
    assert response.status_code == 302 and not Link.objects.filter(pk=link.pk).exists()


def test_a_link_outside_the_neighbourhood_cannot_be_changed_from_it(demo, client_for):
    actor = demo.users["facilitator"]
    from hct.systemmap import services

    a = services.actor_create(actor=actor, name="Far A", kind="local_service")
    b = services.actor_create(actor=actor, name="Far B", kind="local_service")
    far = services.link_create(actor=actor, from_actor=a, to_actor=b, kind="funding")
    response = client_for("facilitator").get(_url("systemmap:link-edit", demo, far.pk))
    assert response.status_code == 404


def test_the_analysis_page_explains_and_finds_routes(demo, client_for):
    link = demo.map_link
    client = client_for("partner")
    page = client.get(
        _url("systemmap:analysis", demo),
        {"source": link.from_actor_id, "target": link.to_actor_id},
    )
    text = page.content.decode()
    assert "Brokers hold the system together" in text and "→" in text
    assert page.context["route"]["routes"]
    bad = client.get(_url("systemmap:analysis", demo), {"source": "nobody", "target": ""})
    assert "Choose an actor from the list" in bad.content.decode()


def test_a_persons_map_names_family_only_for_those_who_may(demo, client_for):
    private = set(
        Actor.objects.filter(person=demo.sam, private=True).values_list("name", flat=True)
    )
    url = reverse("systemmap:person-json", args=[demo.sam.pk])
    own = client_for(username="sam").get(url).json()
    partner = client_for("partner").get(url).json()
    assert private and not private & {n["data"]["label"] for n in partner["nodes"]}
    assert private & {n["data"]["label"] for n in own["nodes"]}
    assert partner["centre"]


def test_the_person_page_leads_to_their_map(demo, client_for):
    page = client_for("facilitator").get(reverse("people:detail", args=[demo.sam.pk]))
    assert reverse("systemmap:person", args=[demo.sam.pk]) in page.content.decode()


def test_a_links_status_changes_inline_with_htmx_and_without(demo, client_for):
    """From its row in the links table: htmx gets the tables back with the change announced;
    without JavaScript it is an ordinary post back to the map."""
    from hct.systemmap.models import Link

    here = demo.first_neighbourhood
    link = demo.map_link
    url = reverse("systemmap:link-status", args=[here.slug, link.pk])
    client = client_for("facilitator")
    # focused on one end, so the link is on the first page of the table
    map_url = reverse("systemmap:map", args=[here.slug])
    page = client.get(map_url, {"focus": link.from_actor_id}).content.decode()
    assert f'data-hx-post="{url}?' in page and 'id="map-tables"' in page

    answer = client.post(url + "?status=broken", {"status": "missing"}, HTTP_HX_REQUEST="true")
    assert answer.status_code == 200
    text = answer.content.decode()
    assert 'id="map-tables"' in text and "is now missing" in text
    link.refresh_from_db()
    assert (link.status, link.status_by_hand) == ("missing", True)

    plain = client.post(url, {"status": "strained"})
    assert plain.status_code == 302 and plain["Location"].endswith("#links")
    assert Link.objects.get(pk=link.pk).status == "strained"

    refused = client.post(url, {"status": "gone"})
    assert refused.status_code == 302 and Link.objects.get(pk=link.pk).status == "strained"
    assert client_for("partner").post(url, {"status": "broken"}).status_code == 403
