"""The ORUK API: every response validates against the standard's schemas through the API's own
openapi.json, the paging fields are right, proximity works from a point or an LSOA, and lists
make a constant number of queries."""

import json
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft202012Validator
from referencing import Resource
from referencing.jsonschema import DRAFT202012

from hct.directory.models import Service, ServiceAtLocation, Taxonomy, TaxonomyTerm
from hct.directory.oruk_schemas import FORMATS, registry
from hct.directory.selectors import great_circle_m
from hct.directory.services import oruk_import
from tests.directory.conftest import example, new_ids, source

pytestmark = pytest.mark.django_db

API = "/api/oruk"
PAGE_FIELDS = {
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
    "contents",
}


@pytest.fixture
def described(client):
    """A validator for each path, built from the openapi.json the API serves."""
    document = client.get(f"{API}/openapi.json").json()
    uri = "urn:hct:oruk-openapi"
    schemas = registry().with_resource(
        uri, Resource.from_contents(document, default_specification=DRAFT202012)
    )

    def validator(path: str) -> Draft202012Validator:
        pointer = "/paths/" + path.replace("~", "~0").replace("/", "~1")
        pointer += "/get/responses/200/content/application~1json/schema"
        assert path in document["paths"], path
        return Draft202012Validator(
            {"$ref": f"{uri}#{pointer}"}, registry=schemas, format_checker=FORMATS
        )

    return validator


def check(client, described, url: str, path: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in described(path).iter_errors(data)
    ]
    assert not errors, (url, errors[:5])
    if "{id}" not in path and path != "/":
        assert set(data) >= PAGE_FIELDS, url
    return data


def test_the_root_says_version_profile_and_where_the_description_is(client, described):
    data = check(client, described, f"{API}/", "/")
    assert data["version"] == "HSDS-UK-3.0"
    assert data["profile"].startswith("https://")
    assert data["openapi_url"] == "http://testserver/api/oruk/openapi.json"
    description = client.get(data["openapi_url"]).json()
    assert description["servers"] == [{"url": "http://testserver/api/oruk/"}]
    assert "no postcode lookup" in description["info"]["description"]


def test_every_service_validates_in_full_and_in_lists(client, described):
    services = check(client, described, f"{API}/services?per_page=500", "/services")
    assert services["total_items"] == Service.objects.count() >= 8
    for item in services["contents"]:
        full = check(client, described, f"{API}/services/{item['id']}", "/services/{id}")
        assert full["id"] == item["id"]


def test_the_official_example_is_served_back_as_it_was_imported(client):
    served = client.get(f"{API}/services/ac148810-d857-441c-9679-408f346de14b").json()
    original = example("service_full.json")
    for key in ("name", "description", "status", "minimum_age", "last_modified", "email"):
        assert served[key] == original[key], key
    assert served["schedules"] == [{**original["schedules"][0], "service_id": original["id"]}]
    assert served["attributes"][0]["taxonomy_term"]["id"] == "3f7b145d-84af-42d7-8fae-eaca714b02b2"
    location = served["service_at_locations"][0]["location"]
    assert location["addresses"][0]["postal_code"] == "ABC 1234"


def test_every_service_at_location_and_taxonomy_validates(client, described):
    links = check(
        client, described, f"{API}/service_at_locations?per_page=500", "/service_at_locations"
    )
    assert links["total_items"] == ServiceAtLocation.objects.count()
    for item in links["contents"]:
        check(
            client,
            described,
            f"{API}/service_at_locations/{item['id']}",
            "/service_at_locations/{id}",
        )
    taxonomies = check(client, described, f"{API}/taxonomies", "/taxonomies")
    assert taxonomies["total_items"] == Taxonomy.objects.count()
    for item in taxonomies["contents"]:
        full = check(client, described, f"{API}/taxonomies/{item['id']}", "/taxonomies/{id}")
        assert "taxonomy_terms" in full
    terms = check(client, described, f"{API}/taxonomy_terms?per_page=500", "/taxonomy_terms")
    assert terms["total_items"] == TaxonomyTerm.objects.count()
    for item in terms["contents"]:
        check(client, described, f"{API}/taxonomy_terms/{item['id']}", "/taxonomy_terms/{id}")


def test_paging_fields_follow_the_standard(client, described):
    total = Service.objects.count()
    first = check(client, described, f"{API}/services?per_page=3", "/services")
    assert (first["page_number"], first["size"], first["first_page"]) == (1, 3, True)
    assert first["total_pages"] == -(-total // 3)
    last = check(
        client, described, f"{API}/services?per_page=3&page={first['total_pages']}", "/services"
    )
    assert last["last_page"] and not last["first_page"]
    beyond = check(client, described, f"{API}/services?per_page=3&page=999", "/services")
    assert beyond["empty"] and beyond["contents"] == [] and beyond["size"] == 0
    nothing = check(client, described, f"{API}/services?search=no-such-words-here", "/services")
    assert (nothing["total_items"], nothing["total_pages"], nothing["empty"]) == (0, 0, True)


def test_services_filter_by_search_category_taxonomy_age_time_and_date(client, described, demo):
    from hct.demo.directory import TAXONOMY, term_id

    def ids(query):
        return {
            s["id"]
            for s in check(client, described, f"{API}/services?{query}", "/services")["contents"]
        }

    iapt = str(demo.directory_service.id)
    assert iapt in ids("search=talking")
    assert ids(f"taxonomy_term_id={term_id('talking')}") == {iapt}
    assert iapt in ids(f"taxonomy_id={TAXONOMY}")
    assert iapt in ids("minimum_age=16") and iapt not in ids("minimum_age=17")
    assert ids("maximum_age=100") == {"ac148810-d857-441c-9679-408f346de14b"}
    tea = str(demo.community_asset.id)
    assert tea in ids("day=MO&start_time=10:00&end_time=12:00")
    assert tea not in ids("day=SU")
    assert tea in ids("day=monday")
    assert ids("modified_after=2100-01-01T00:00:00Z") == set()
    assert "ac148810-d857-441c-9679-408f346de14b" not in ids("modified_after=2024-01-01")


def test_service_at_locations_nearest_first_from_a_point_or_an_lsoa(client, described, demo):
    asset_location = demo.community_asset.service_at_locations.get().location
    lsoa = asset_location.lsoa
    by_lsoa = check(
        client,
        described,
        f"{API}/service_at_locations?lsoa={lsoa.code}&proximity=3000",
        "/service_at_locations",
    )
    located = by_lsoa["contents"]
    assert located[0]["location"]["id"] == str(asset_location.id)
    distances = [
        great_circle_m(
            lsoa.latitude,
            lsoa.longitude,
            item["location"]["latitude"],
            item["location"]["longitude"],
        )
        for item in located
    ]
    assert distances == sorted(distances) and distances[-1] <= 3000
    # The official example's location is at latitude 100: never in a distance search.
    assert all(item["location"]["latitude"] <= 90 for item in located)
    by_point = check(
        client,
        described,
        f"{API}/service_at_locations?lat={lsoa.latitude}&lon={lsoa.longitude}&proximity=3000",
        "/service_at_locations",
    )
    assert [i["id"] for i in by_point["contents"]] == [i["id"] for i in located]
    near = check(
        client,
        described,
        f"{API}/service_at_locations?lsoa={lsoa.code}&proximity=1",
        "/service_at_locations",
    )
    assert {i["location"]["id"] for i in near["contents"]} >= {str(asset_location.id)}


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/services?page=0", 400, "page must be a whole number"),
        ("/services?per_page=100000", 400, "per_page must be from 1 to 500"),
        ("/services?minimum_age=old", 400, "minimum_age must be a number"),
        ("/services?taxonomy_term_id=tea", 400, "taxonomy_term_id must be a UUID"),
        ("/services?modified_after=yesterday", 400, "modified_after must be an ISO 8601"),
        ("/services?day=Funday", 400, "day must be one of"),
        (
            "/service_at_locations?postcode=CV1%201AA",
            400,
            "this directory holds no postcode lookup",
        ),
        ("/service_at_locations?lat=52.4", 400, "give both lat and lon"),
        ("/service_at_locations?lat=100&lon=1", 400, "lat must be from -90 to 90"),
        ("/service_at_locations?lsoa=E0100000X", 400, "no LSOA with the code"),
        ("/service_at_locations?proximity=100", 400, "proximity is a distance in metres"),
        ("/services/not-a-uuid", 404, "No service has this id"),
        (f"/services/{uuid.uuid4()}", 404, "No service has this id"),
        (f"/taxonomies/{uuid.uuid4()}", 404, "No taxonomy has this id"),
        (f"/taxonomy_terms/{uuid.uuid4()}", 404, "No taxonomy term has this id"),
        (f"/service_at_locations/{uuid.uuid4()}", 404, "No service at location has this id"),
    ],
)
def test_bad_requests_are_answered_in_json(client, url, status, message):
    response = client.get(API + url)
    assert response.status_code == status
    assert message in response.json()["error"]
    assert response["Access-Control-Allow-Origin"] == "*"


def test_the_api_is_read_only(client):
    response = client.post(f"{API}/services", data="{}", content_type="application/json")
    assert response.status_code == 405
    assert client.head(f"{API}/services").status_code == 200


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "path",
    [
        "/services",
        "/service_at_locations",
        "/taxonomies",
        "/taxonomy_terms",
        "/service_at_locations?lsoa=E01009522",
        "/services?taxonomy_id=5c4d79d7-cc55-470e-9f1f-8cad074e4892&day=TH",
    ],
)
def test_list_endpoints_make_a_constant_number_of_queries(client, path):
    joiner = "&" if "?" in path else "?"
    few = _queries(client, f"{API}{path}{joiner}per_page=1")
    for _ in range(6):
        oruk_import(
            actor=None, sources=[source("service_full.json", new_ids(example("service_full.json")))]
        )
    many = _queries(client, f"{API}{path}{joiner}per_page=100")
    assert many == few


def test_the_full_service_makes_a_constant_number_of_queries(client):
    small = new_ids(example("service_full.json"))
    big = new_ids(example("service_full.json"))
    for key in ("schedules", "contacts", "funding", "cost_options", "service_areas", "languages"):
        big[key] = [dict(item, id=str(uuid.uuid4())) for item in big[key] * 5]
    oruk_import(
        actor=None, sources=[source("small_service.json", small), source("big_service.json", big)]
    )
    assert _queries(client, f"{API}/services/{small['id']}") == _queries(
        client, f"{API}/services/{big['id']}"
    )


def test_nothing_personal_or_internal_is_served(client, demo):
    data = client.get(f"{API}/services/{demo.community_asset.id}").json()
    keys = set()

    def collect(value):
        if isinstance(value, dict):
            keys.update(value)
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    collect(data)
    assert not keys & {"community_asset", "illustrative", "lsoa", "lsoa_id", "updated_at"}
    text = json.dumps(data)
    assert "Jo Bennett" not in text and "facilitator" not in text
    # No street address: the asset stands at its LSOA's population-weighted centroid.
    location = data["service_at_locations"][0]["location"]
    lsoa = demo.community_asset.service_at_locations.get().location.lsoa
    assert (location["latitude"], location["longitude"]) == (lsoa.latitude, lsoa.longitude)
    assert location["addresses"] == []
