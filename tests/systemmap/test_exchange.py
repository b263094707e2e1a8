"""Maps in and out: every format round-trips, imports merge by name and say so, and bad files
are refused whole, naming the element at fault."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hct.places.models import Neighbourhood
from hct.systemmap import exchange, services
from hct.systemmap.exchange.formats import WRITERS
from hct.systemmap.models import Actor, Link

EXTENSIONS = {"graphml": "graphml", "gexf": "gexf", "kumu": "json", "xlsx": "xlsx"}


def _signature(neighbourhood):
    plan = exchange.map_file_for(neighbourhood)
    names = {a.ref: a.name for a in plan.actors}
    return (
        sorted((a.name, a.kind, a.sector, a.description) for a in plan.actors),
        sorted(
            (
                names[k.source],
                names[k.target],
                k.kind,
                k.status,
                k.direction,
                k.strength,
                k.polarity,
                k.note,
            )
            for k in plan.links
        ),
    )


@pytest.fixture
def drawn(demo):
    """A small map drawn by hand in a neighbourhood no journey touches, and an empty one."""
    actor = demo.users["facilitator"]
    empty = list(Neighbourhood.objects.filter(cycles__isnull=True).order_by("pk")[:2])
    here, there = empty
    gp = services.actor_create(
        actor=actor, name="Round GP", kind="local_service", neighbourhood=here, description="d"
    )
    shed = services.actor_create(
        actor=actor, name="Round Shed", kind="community_group", neighbourhood=here
    )
    ward = services.actor_create(
        actor=actor, name="Round Ward", kind="acute_service", neighbourhood=here
    )
    services.link_create(
        actor=actor,
        from_actor=gp,
        to_actor=shed,
        kind="referral",
        status="broken",
        direction="both",
        strength=3,
        polarity="+",
        note="n",
    )
    services.link_create(actor=actor, from_actor=gp, to_actor=shed, kind="information")
    services.link_create(
        actor=actor, from_actor=ward, to_actor=gp, kind="support", status="missing", polarity="-"
    )
    return actor, here, there


@pytest.mark.django_db
@pytest.mark.parametrize("format", list(WRITERS))
def test_export_then_import_reproduces_the_same_map(drawn, format):
    actor, here, there = drawn
    data = exchange.map_export(actor=actor, neighbourhood=here, format=format)
    # Into another neighbourhood: its actors are its own, so nothing merges the first time.
    plan = exchange.read(data, f"map.{EXTENSIONS[format]}")
    report = exchange.map_import(actor=actor, neighbourhood=there, plan=plan)
    assert (report.actors_created, report.links_created, report.merged) == (3, 3, [])
    first = _signature(there)
    # And back again into the same place: everything merges, nothing changes.
    again = exchange.map_import(
        actor=actor, neighbourhood=there, plan=exchange.read(data, f"m.{EXTENSIONS[format]}")
    )
    assert (again.actors_created, again.links_created, again.links_updated) == (0, 0, 0)
    assert sorted(again.merged) == ["Round GP", "Round Shed", "Round Ward"]
    assert "Merged by name" in again.text
    assert _signature(there) == first
    assert len(first[0]) == 3 and len(first[1]) == 3


@pytest.mark.django_db
def test_an_import_matches_actors_by_name_in_any_case_and_says_so(drawn):
    actor, here, _there = drawn
    blueprint = {
        "elements": [
            {"label": "round gp", "type": "Local service"},
            {"label": "New Cafe", "type": "business"},
        ],
        "connections": [{"from": "round gp", "to": "New Cafe", "type": "Information"}],
    }
    plan = exchange.read(json.dumps(blueprint).encode(), "kumu.json")
    report = exchange.map_import(actor=actor, neighbourhood=here, plan=plan)
    assert report.merged == ["Round GP"] and report.actors_created == 1
    cafe = Actor.objects.get(name="New Cafe")
    assert cafe.neighbourhood == here and cafe.sector == "community"
    assert Link.objects.get(to_actor=cafe).origin == "import"


BAD = [
    (
        {
            "elements": [{"label": "A", "type": "business"}],
            "connections": [{"from": "A", "to": "B", "type": "support"}],
        },
        "no actor has the id “B”",
    ),
    (
        {"elements": [{"label": "A", "type": "business"}, {"label": "A", "type": "business"}]},
        "the id is used twice",
    ),
    ({"elements": [{"label": "A", "type": "spaceship"}]}, "unknown kind “spaceship”"),
    ({"elements": [{"label": "A\u0000", "type": "business"}]}, "NUL character"),
    ({"elements": [{"label": "A", "type": "family"}]}, "belong to a person's record"),
    (
        {
            "elements": [{"label": "A", "type": "business"}, {"label": "B", "type": "business"}],
            "connections": [{"from": "A", "to": "B", "type": "support", "status": "fine"}],
        },
        "unknown status “fine”",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("blueprint", "message"), BAD)
def test_bad_imports_name_the_element_and_write_nothing(drawn, blueprint, message):
    before = (Actor.objects.count(), Link.objects.count())
    with pytest.raises(exchange.ImportRefused) as refused:
        exchange.read(json.dumps(blueprint).encode(), "map.json")
    assert any(message in error and "Kumu" in error for error in refused.value.errors)
    assert (Actor.objects.count(), Link.objects.count()) == before


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"not a zip", "map.xlsx"),
        (b"{}", "map.graphml"),
        (b"<gexf/>", "map.json"),
        (b"PK\x03\x04garbage", "map.xlsx"),
        (b"<html><body>hello</body></html>", "map.gexf"),
        (b"anything", "map.txt"),
    ],
)
def test_a_file_that_is_not_what_its_extension_says_is_refused(data, name):
    with pytest.raises(exchange.ImportRefused):
        exchange.read(data, name)


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE graphml [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="directed">
<node id="&secret;"/></graph></graphml>"""
LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<gexf xmlns="http://gexf.net/1.2"><graph><nodes><node id="&lol3;"/></nodes></graph></gexf>"""


@pytest.mark.parametrize(
    ("data", "name"), [(XXE, "x.graphml"), (LAUGHS, "x.gexf"), (XXE, "x.gexf")]
)
def test_external_entities_and_billion_laughs_are_refused_before_parsing(data, name):
    with pytest.raises(exchange.ImportRefused) as refused:
        exchange.read(data, name)
    assert "document type" in refused.value.errors[0]


def test_a_workbook_part_with_entities_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("xl/workbook.xml", LAUGHS)
        z.writestr("xl/_rels/workbook.xml.rels", "<Relationships/>")
    with pytest.raises(exchange.ImportRefused):
        exchange.read(out.getvalue(), "x.xlsx")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400), st.sampled_from(["graphml", "gexf", "json", "xlsx"]))
def test_any_bytes_are_read_or_refused_never_crash(data, extension):
    try:
        exchange.read(data, f"f.{extension}")
    except exchange.ImportRefused as refused:
        assert refused.errors


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "label": st.text(max_size=30),
                "type": st.sampled_from(["business", "local_service", "x", "", "Family"]),
            }
        ),
        max_size=6,
    ),
    st.lists(
        st.fixed_dictionaries(
            {"from": st.text(max_size=5), "to": st.text(max_size=5), "type": st.text(max_size=12)}
        ),
        max_size=6,
    ),
)
def test_hostile_blueprints_are_read_or_refused_with_named_errors(elements, connections):
    data = json.dumps({"elements": elements, "connections": connections}).encode()
    try:
        plan = exchange.read(data, "f.json")
    except exchange.ImportRefused as refused:
        assert all(error.startswith("Kumu") for error in refused.errors)
    else:
        refs = {a.ref for a in plan.actors}
        assert all(link.source in refs and link.target in refs for link in plan.links)


@pytest.mark.django_db
def test_the_import_page_lists_every_problem_against_the_file(demo, client_for):
    url = reverse("systemmap:import", args=[demo.first_neighbourhood.slug])
    upload = SimpleUploadedFile("bad.json", json.dumps(BAD[0][0]).encode())
    response = client_for("facilitator").post(url, {"file": upload})
    text = response.content.decode()
    assert response.status_code == 200 and "bad.json: Kumu link 1" in text
    assert 'href="#id_file"' in text or "#file" in text
