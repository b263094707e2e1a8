"""The public accountability pages: what they show, that they leak no person and no story, that
the feed is valid Atom, and that the neighbourhood page's queries do not grow with commitments."""

import csv
import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from hct.commitments import selectors
from hct.commitments.models import Campaign, Commitment, Milestone
from hct.journeys.models import Quote, Story
from hct.people.models import Person
from tests.commitments.helpers import NHS, make

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def _public_urls(demo) -> list[str]:
    urls = [
        reverse("commitments:public-index"),
        reverse("commitments:public-neighbourhood", args=[demo.first_neighbourhood.slug]),
        reverse("commitments:feed"),
        reverse("commitments:neighbourhood-feed", args=[demo.first_neighbourhood.slug]),
        reverse("commitments:open-data", args=["csv"]),
        reverse("commitments:open-data", args=["json"]),
    ]
    for show in selectors.SHOW_CHOICES:
        urls.append(
            reverse("commitments:public-neighbourhood", args=[demo.first_neighbourhood.slug])
            + f"?show={show}"
        )
    for campaign in Campaign.objects.all():
        urls.append(reverse("commitments:campaign", args=[campaign.slug]))
    for partner in selectors.public_organisations():
        urls.append(reverse("commitments:public-organisation", args=[partner.pk]))
    for commitment in Commitment.objects.all():
        urls.append(reverse("commitments:public-commitment", args=[commitment.pk]))
    return urls


def _body(response) -> str:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def _private_texts() -> list[str]:
    """Everything about people the demo holds: aliases, account names, story sentences and
    quotes (no quote has consent to public use, so none may appear)."""
    texts = set(Person.objects.values_list("alias", flat=True))
    for user in get_user_model().objects.all():
        # Full names; the demo's usernames are role words ("facilitator") the layout uses anyway.
        texts |= {user.get_full_name()} - {""}
    for story in Story.objects.all():
        texts |= {s.strip() for s in re.split(r"(?<=[.!?])\s+", story.text) if len(s.strip()) > 20}
    texts |= {q.text for q in Quote.objects.all()}
    return sorted(texts)


def test_the_public_pages_leak_no_person_and_no_story(demo):
    private = _private_texts()
    assert "Sam" in private and len(private) > 20  # the check has something to check
    client = Client()
    for url in _public_urls(demo):
        response = client.get(url)
        assert response.status_code == 200, url
        body = _body(response)
        for text in private:
            for form in {text, escape(text)}:
                assert not re.search(rf"(?<![\w]){re.escape(form)}(?![\w])", body), (url, text)


def test_the_neighbourhood_page_shows_promise_owner_role_due_progress_and_overdue(demo):
    body = Client().get(
        reverse("commitments:public-neighbourhood", args=[demo.first_neighbourhood.slug])
    )
    html = body.content.decode()
    assert "A talking therapies drop-in at the community centre every Tuesday" in html
    assert "Head of IAPT" in html and NHS in html
    assert "due 30 September 2026" in html
    # The fly-tipping promise was due on 31 October 2026 and is at risk: overdue from then on.
    overdue = Client().get(
        reverse("commitments:public-neighbourhood", args=[demo.first_neighbourhood.slug])
        + "?show=overdue"
    )
    assert "Clear fly-tipping from the river path" in overdue.content.decode()
    assert "A talking therapies drop-in" not in overdue.content.decode()


def test_the_public_commitment_page_tells_its_history_with_titled_milestones(demo):
    response = Client().get(reverse("commitments:public-commitment", args=[demo.commitment.pk]))
    page = response.content.decode()
    assert "(on time)" in page
    html = page[page.index('id="history"') :]
    order = [
        "Big Conversation 1: A humanising encounter",
        "Big Conversation 2: Making sense",
        "Big Conversation 3: The plan",
        "Commitment made",
        "Not started → In progress",
        "Room booked at the community centre",
        "First Tuesday drop-in held",
        "In progress → Done",
    ]
    positions = [html.index(text) for text in order]
    assert positions == sorted(positions)


def test_the_feed_is_valid_atom(demo):
    for url in (
        reverse("commitments:feed"),
        reverse("commitments:neighbourhood-feed", args=[demo.first_neighbourhood.slug]),
    ):
        response = Client().get(url)
        assert response["Content-Type"].startswith("application/atom+xml")
        _assert_valid_atom(response.content)


RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def _one(element, name):
    found = element.findall(ATOM + name)
    assert len(found) == 1, f"{element.tag} needs exactly one {name}, has {len(found)}"
    return found[0]


def _assert_valid_atom(content: bytes) -> None:
    """RFC 4287's rules for a feed and its entries (what the W3C validator checks first)."""
    feed = ET.fromstring(content)  # noqa: S314 (our own feed, made by Django in this test)
    assert feed.tag == ATOM + "feed"
    for name in ("id", "title", "updated"):
        assert _one(feed, name).text
    assert RFC3339.match(_one(feed, "updated").text)
    assert any(link.get("rel") == "self" for link in feed.findall(ATOM + "link"))
    feed_has_author = bool(feed.findall(ATOM + "author"))
    entries = feed.findall(ATOM + "entry")
    assert entries
    ids = []
    for entry in entries:
        ids.append(_one(entry, "id").text)
        assert re.match(r"^[a-z][a-z0-9+.-]*:", ids[-1]), "an entry id must be an IRI"
        assert _one(entry, "title").text
        assert RFC3339.match(_one(entry, "updated").text)
        assert feed_has_author or entry.findall(ATOM + "author")
        for author in entry.findall(ATOM + "author"):
            assert _one(author, "name").text
        links = [link for link in entry.findall(ATOM + "link") if link.get("rel") == "alternate"]
        assert links or entry.findall(ATOM + "content"), "an entry needs content or a link"
    assert len(ids) == len(set(ids)), "entry ids must be unique"


def test_open_data_lists_every_commitment_in_csv_and_json(demo):
    client = Client()
    rows = list(
        csv.DictReader(
            io.StringIO(_body(client.get(reverse("commitments:open-data", args=["csv"]))))
        )
    )
    data = json.loads(client.get(reverse("commitments:open-data", args=["json"])).content)
    assert len(rows) == len(data["commitments"]) == Commitment.objects.count()
    assert tuple(rows[0]) == selectors.OPEN_DATA_FIELDS
    drop_in = next(r for r in data["commitments"] if r["id"] == demo.commitment.pk)
    assert drop_in["kept_on_time"] is True and drop_in["milestones"] == 2
    assert client.get("/commitments/public/commitments.xml").status_code == 404


def test_a_neighbourhood_with_no_commitments_has_no_public_page(demo):
    url = reverse("commitments:public-neighbourhood", args=[demo.other_neighbourhood.slug])
    assert Client().get(url).status_code == 404


def _neighbourhood_queries(demo) -> int:
    url = reverse("commitments:public-neighbourhood", args=[demo.first_neighbourhood.slug])
    client = Client()
    client.get(url)  # warm anything cached once per process
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_neighbourhood_page_queries_do_not_grow_with_commitments(demo):
    before = _neighbourhood_queries(demo)
    for n in range(30):
        parent = make(demo, title=f"Bulk {n}")
        make(demo, title=f"Bulk part {n}", parent=parent)
        Milestone.objects.create(commitment=parent, on=dt.date(2026, 2, 1), title=f"Step {n}")
    assert _neighbourhood_queries(demo) == before


def test_the_cached_public_page_shows_a_change_at_once(demo):
    from hct.commitments import services
    from hct.commitments.models import Status

    client = Client()
    url = reverse("commitments:public-neighbourhood", args=[demo.first_neighbourhood.slug])
    assert "Evening sessions begin" not in client.get(url).content.decode()
    parent = Commitment.objects.get(title__startswith="No one leaves acute")
    part = parent.children.get(owner__name=NHS)
    services.milestone_add(
        actor=demo.users["partner"],
        commitment=demo.commitment,
        on=dt.date(2026, 11, 1),
        title="Evening sessions begin",
    )
    assert "Evening sessions begin" in client.get(url).content.decode()
    # A part's status shows under its parent: changing it alone must refresh the page too.
    services.commitment_report(
        actor=demo.users["partner"], commitment=part, status=Status.AT_RISK, note="Ward closure"
    )
    html = client.get(url).content.decode()
    assert f"{part.title}</a> ({NHS}): At risk" in html


def test_a_commitment_from_the_plan_tells_its_history_from_the_story_to_the_promise(demo):
    from hct.commitments.models import Commitment as C

    rebook = C.objects.get(plan_action__title="Rebook without losing your place")
    html = Client().get(reverse("commitments:public-commitment", args=[rebook.pk])).content.decode()
    html = html[html.index('id="history"') :]
    order = [
        "Big Conversation 1: A humanising encounter",
        "A person&#x27;s story of the system was at the centre.",
        "The gaps behind it",
        "Big Conversation 2: Making sense",
        "On the iceberg: Patterns",
        "Big Conversation 3: The plan",
        "In the plan: Rebook without losing your place",
        "Commitment made",
        "Not started → In progress",
    ]
    positions = [html.index(text) for text in order]
    assert positions == sorted(positions)
    # What was written in the room stays on the partnership's own pages.
    assert "Waiting-list rules that punish changing a time" not in html
