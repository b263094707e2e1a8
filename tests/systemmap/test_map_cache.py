"""What the map page keeps between readers: the map's version (counted once, dropped on every
write to what maps are drawn from) and the page's own part, rendered once per version, role and
query string, with each reader's own CSRF token."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hct.core.middleware import SIGNED_IN_AT
from hct.systemmap import selectors, services, version
from hct.systemmap.models import Actor, Link

pytestmark = pytest.mark.django_db


def test_the_version_is_counted_once_and_moves_on_every_kind_of_write(demo):
    first = selectors.map_version()
    with CaptureQueriesContext(connection) as queries:
        assert selectors.map_version() == first
    assert len(queries) == 0  # kept: no counting on a second read

    actor = Actor.objects.create(name="A new group", kind=Actor.Kind.COMMUNITY_GROUP)
    saved = selectors.map_version()
    assert saved != first

    Link.objects.filter(pk=demo.map_link.pk).update(status="broken")  # no signal: not seen…
    assert selectors.map_version() == saved
    version.changed()  # …until the bulk writer says so, as every one in src/ does
    updated = selectors.map_version()
    assert updated != saved

    actor.delete()
    assert selectors.map_version() != updated


def test_a_bulk_mark_moves_the_version(demo):
    before = selectors.map_version()
    link = demo.map_link
    mark = services.LinkMark(link.from_actor_id, link.to_actor_id, link.kind, "strained")
    services.links_mark_bulk(actor=demo.users["facilitator"], marks=[mark])
    assert selectors.map_version() != before


def _signed_in(user) -> Client:
    import time

    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    session = client.session
    session[SIGNED_IN_AT] = time.time()
    session.save()
    return client


def test_a_second_reader_gets_the_kept_page_with_their_own_csrf_token(demo):
    facilitator = demo.users["facilitator"]
    url = reverse("systemmap:map", args=[demo.first_neighbourhood.slug])
    first_client = _signed_in(facilitator)
    first = first_client.get(url)
    assert first.status_code == 200

    second_client = _signed_in(facilitator)
    with CaptureQueriesContext(connection) as queries:
        second = second_client.get(url)
    text = second.content.decode()
    assert "hctcsrfstandin" not in text
    # the kept body: no counting, no tables, no evidence queries for the second reader
    sql = " ".join(q["sql"] for q in queries)
    assert "systemmap_link" not in sql and "systemmap_linkevidence" not in sql

    link_id = int(re.search(r'data-testid="link-status-(\d+)"', text).group(1))
    form = text.split(f'data-testid="link-status-{link_id}"')[1].split("</form>")[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    status_url = reverse("systemmap:link-status", args=[demo.first_neighbourhood.slug, link_id])
    answer = second_client.post(status_url, {"status": "broken", "csrfmiddlewaretoken": token})
    assert answer.status_code in (200, 302)  # the token kept in the body would be refused (403)
    assert Link.objects.get(pk=link_id).status == "broken"

    # the change shows at once to the next reader of the same page, not the kept one
    again = first_client.get(url).content.decode()
    assert _row_status(text, link_id) != "broken"
    assert _row_status(again, link_id) == "broken"


def _row_status(text: str, link_id: int) -> str:
    row = text.split(f'data-testid="link-status-{link_id}"')[1].split("</form>")[0]
    return re.search(r'<option value="(\w+)" selected>', row).group(1)
