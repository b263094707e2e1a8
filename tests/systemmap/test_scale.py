"""The map page stays small as the map grows: one page of each table and the counts, the
drawing's data apart in map.json (gzipped, cached by the map's version, with an ETag)."""

import gzip
import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hct.systemmap import version
from hct.systemmap.models import Actor, Link

pytestmark = pytest.mark.django_db

PAGE_LIMIT = 200 * 1024
JSON_LIMIT = 2 * 1024 * 1024


def _grow(neighbourhood, actors: int) -> None:
    """Add shared actors placed in the neighbourhood, each linked to the next few."""
    start = Actor.objects.count()
    before = Actor.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    Actor.objects.bulk_create(
        Actor(
            name=f"Scale group {start + i}",
            kind=Actor.Kind.COMMUNITY_GROUP,
            sector="community",
            neighbourhood=neighbourhood,
        )
        for i in range(actors)
    )
    made = list(Actor.objects.filter(pk__gt=before).order_by("pk").values_list("pk", flat=True))
    statuses = Link.Status.values
    Link.objects.bulk_create(
        Link(
            from_actor_id=a,
            to_actor_id=made[(i + step) % len(made)],
            kind="support",
            status=statuses[(i + step) % len(statuses)],
        )
        for i, a in enumerate(made)
        for step in (1, 7)
    )
    version.changed()  # bulk writes send no signal


def _page(client, url):
    client.get(url)  # the first request after a change fills the caches
    # the version counted again in both, as after VERSION_SECONDS: the figures do not depend
    # on how long the first request took
    cache.delete(version.KEY)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


def test_the_map_page_keeps_its_size_and_queries_from_100_to_2000_actors(demo, client_for):
    here = demo.first_neighbourhood
    url = reverse("systemmap:map", args=[here.slug])
    client = client_for("facilitator")
    _grow(here, 100)
    _small, small_queries = _page(client, url)
    _grow(here, 1900)
    large, large_queries = _page(client, url)
    assert large_queries == small_queries
    assert len(large.content) < PAGE_LIMIT
    text = large.content.decode()
    # the summary first, the tables paged, and nothing of the drawing inline
    assert 'data-testid="map-counts"' in text and "Page 1 of" in text
    assert "Scale group" in text and text.count("Scale group") < 400
    assert 'data-hx-post="' in text and ' hx-post="' not in text
    second = client.get(url, {"actors_page": "2"}).content.decode()
    assert "Page 2 of" in second


def _json(client, url, **headers):
    return client.get(url, HTTP_ACCEPT_ENCODING="gzip", **headers)


def test_map_json_is_gzipped_small_and_answers_304_until_the_map_changes(demo, client_for):
    here = demo.first_neighbourhood
    _grow(here, 2000)
    url = reverse("systemmap:map-json", args=[here.slug])
    client = client_for("facilitator")
    first = _json(client, url)
    assert first["Content-Encoding"] == "gzip" and len(first.content) < JSON_LIMIT
    data = json.loads(gzip.decompress(first.content))
    assert data["view"] == "groups" and any(n["data"].get("group") for n in data["nodes"])
    assert any(n["data"].get("broker") for n in data["nodes"])
    etag = first["ETag"]
    assert _json(client, url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    plain = client.get(url)  # no gzip asked for: plain JSON
    assert "Content-Encoding" not in plain and plain.json()["view"] == "groups"

    every = _json(client, url, data={"view": "all"})
    assert len(every.content) < JSON_LIMIT
    actors = json.loads(gzip.decompress(every.content))["nodes"]
    assert len(actors) > 2000 and every["ETag"] != etag

    pk = Actor.objects.filter(name__startswith="Scale group").order_by("pk").first().pk
    near = json.loads(gzip.decompress(_json(client, f"{url}?focus={pk}").content))
    assert near["view"] == "focus" and near["centre"] == f"a{pk}"
    assert 2 <= len(near["nodes"]) < 20

    link = Link.objects.filter(from_actor_id=pk).first()
    from hct.systemmap import services

    services.link_update(actor=demo.users["facilitator"], link=link, status="broken")
    changed = _json(client, url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_map_json_keeps_to_the_readers_scope(demo, client_for):
    url = reverse("systemmap:map-json", args=[demo.first_neighbourhood.slug])
    facilitator = client_for("facilitator").get(url).json()
    partner = client_for("partner").get(url)
    assert client_for("facilitator").get(url)["ETag"] != partner["ETag"]
    assert any(n["data"]["personal"] for n in facilitator["nodes"])
    assert not any(n["data"]["personal"] for n in partner.json()["nodes"])
    assert client_for("community").get(url).status_code == 403
    assert client_for().get(url).status_code == 302
