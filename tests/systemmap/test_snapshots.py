"""Snapshots compare the map before and after; the history says who changed what."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hct.core.models import AuditEvent
from hct.systemmap import selectors, services

pytestmark = pytest.mark.django_db


def test_a_snapshot_then_a_mended_link_shows_as_a_change(demo, client_for):
    actor = demo.users["facilitator"]
    here = demo.first_neighbourhood
    before = services.snapshot_create(actor=actor, neighbourhood=here, name="Before cycle 1")
    with pytest.raises(ValidationError):
        services.snapshot_create(actor=actor, neighbourhood=here, name="before CYCLE 1")
    link = demo.map_link
    old = link.status
    new = "strained" if old != "strained" else "working"
    services.link_update(actor=actor, link=link, status=new)
    comparison = selectors.snapshots_compare(before.data, selectors.snapshot_data(here))
    assert [(c.what, c.before, c.after) for c in comparison.links] == [("changed", old, new)]
    private = {n["label"] for n in before.data["actors"]}
    assert "Sam's family" not in private

    client = client_for("partner")
    page = client.get(reverse("systemmap:snapshot", args=[here.slug, before.pk]))
    assert page.status_code == 200 and "Links whose status changed" in page.content.decode()
    refused = client.post(reverse("systemmap:snapshots", args=[here.slug]), {"name": "Mine"})
    assert refused.status_code == 403

    history = client_for("facilitator").get(reverse("systemmap:history", args=[here.slug]))
    text = history.content.decode()
    assert "Changed a link" in text and "Kept a snapshot" in text


def test_the_snapshot_form_says_what_is_wrong(demo, client_for):
    url = reverse("systemmap:snapshots", args=[demo.first_neighbourhood.slug])
    response = client_for("facilitator").post(url, {"name": ""})
    assert "Enter a name for the snapshot" in response.content.decode()
    assert client_for("facilitator").post(url, {"name": "After"}).status_code == 302


def test_the_history_shows_a_removed_link_by_its_ends(demo, client_for):
    """A removed link's event names its ends and the map it was removed from, so the map's
    history still finds it although the link is gone."""
    here = demo.first_neighbourhood
    link = demo.map_link
    link_id = link.pk
    label = f"{link.from_actor.label_for(False)} → {link.to_actor.label_for(False)}"
    client = client_for("facilitator")
    response = client.post(reverse("systemmap:link-remove", args=[here.slug, link_id]))
    assert response.status_code == 302
    event = AuditEvent.objects.filter(verb="link.remove", subject_id=str(link_id)).get()
    assert event.details["neighbourhood"] == here.pk
    assert (event.details["from_actor"], event.details["to_actor"]) == (
        link.from_actor_id,
        link.to_actor_id,
    )
    assert event in list(selectors.map_history(here))
    text = client.get(reverse("systemmap:history", args=[here.slug])).content.decode()
    assert "Removed a link" in text and label in text


def test_a_link_removed_without_a_map_is_found_by_its_ends(demo):
    here = demo.first_neighbourhood
    link = demo.map_link
    link_id = link.pk
    services.link_remove(actor=demo.users["facilitator"], link=link)
    removed = [e for e in selectors.map_history(here) if e.verb == "link.remove"]
    assert [e.subject_id for e in removed] == [str(link_id)]
