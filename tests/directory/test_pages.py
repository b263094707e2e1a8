"""Find help, a service's page, uploading an ORUK file through the background job, and adding a
community asset — for the roles that may, within their neighbourhoods."""

import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hct.core.models import Job
from hct.core.roles import Role
from hct.demo.directory import term_id
from hct.directory.models import ImportRun, Service
from hct.directory.services import oruk_import
from tests.directory.conftest import directory_counts, example, new_ids, source

pytestmark = pytest.mark.django_db

FIND = reverse("directory:find")


def names(response) -> list[str]:
    return [row.service.name for row in response.context["result"].rows]


def test_everyone_signed_in_finds_services_and_community_assets_side_by_side(client_for):
    response = client_for(Role.COMMUNITY).get(FIND)
    assert response.status_code == 200
    found = names(response)
    assert "Daily cup of tea at the community centre" in found
    assert "Talking therapies (IAPT)" in found
    page = response.content.decode()
    assert "Community asset" in page and "Illustrative" in page


def test_a_category_includes_the_terms_below_it(client_for):
    client = client_for(Role.FACILITATOR)
    company = names(client.get(FIND, {"category": term_id("company")}))
    assert set(company) == {
        "Daily cup of tea at the community centre",
        "The Men's Shed",
        "The Social Club",
        "The church hall",
    }
    assert names(client.get(FIND, {"category": term_id("shed")})) == ["The Men's Shed"]


def test_open_when_checks_the_schedules(client_for):
    client = client_for(Role.FACILITATOR)
    # Friday 27 March 2026 at 20:00: the Social Club (Fridays 19:00–23:00), nothing in the day.
    friday_night = names(client.get(FIND, {"open_on": "2026-03-27", "open_at": "20:00"}))
    assert "The Social Club" in friday_night
    assert "Daily cup of tea at the community centre" not in friday_night
    # Monday 9 March 2026 at 12:30, the second Monday: the church hall's community lunch.
    lunch = names(client.get(FIND, {"open_on": "2026-03-09", "open_at": "12:30"}))
    assert "The church hall" in lunch
    first_monday = names(client.get(FIND, {"open_on": "2026-03-02", "open_at": "12:30"}))
    assert "The church hall" not in first_monday
    # A date alone: anything open at some time that day.
    sunday = names(client.get(FIND, {"open_on": "2026-03-29"}))
    assert "The Social Club" not in sunday and "The charity shop" not in sunday


def test_nearest_first_from_an_lsoa_centroid(client_for, demo):
    asset = demo.community_asset
    lsoa = asset.service_at_locations.get().location.lsoa
    response = client_for(Role.FACILITATOR).get(FIND, {"near": lsoa.code})
    rows = response.context["result"].rows
    assert rows[0].service == asset and rows[0].distance_km == "0.0 km"
    distances = [r.distance_m for r in rows if r.distance_m is not None]
    assert distances == sorted(distances)
    # The official example sits at latitude 100: it comes last, with no distance.
    assert rows[-1].distance_m is None
    assert "nearest first from the centre of" in response.content.decode()


def test_by_neighbourhood(client_for, demo):
    client = client_for(Role.PARTNER)
    inside = names(client.get(FIND, {"neighbourhood": demo.first_neighbourhood.slug}))
    assert "The Men's Shed" in inside and "Community Counselling" not in inside
    assert names(client.get(FIND, {"neighbourhood": demo.other_neighbourhood.slug})) == []


def test_a_bad_date_is_an_error_in_the_form(client_for):
    response = client_for(Role.FACILITATOR).get(FIND, {"open_on": "27/13/2026"})
    assert response.context["result"] is None
    assert "Enter a real date" in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()


def test_find_help_makes_a_constant_number_of_queries(client_for):
    client = client_for(Role.FACILITATOR)
    query = {"open_on": "2026-03-27", "open_at": "11:00", "near": "E01009522", "q": ""}

    def count():
        with CaptureQueriesContext(connection) as captured:
            client.get(FIND, query)
        return len(captured)

    before = count()
    for _ in range(5):
        document = new_ids(example("service_full.json"))
        document["schedules"][0].update(valid_to="2030-01-01", byday="FR")
        oruk_import(actor=None, sources=[source("service_full.json", document)])
    assert count() == before


def test_a_service_page_shows_what_people_need_and_no_unsafe_link(client_for):
    document = new_ids(example("service_full.json"))
    document["url"] = "javascript:alert(1)"
    document["name"] = "<b>Bold</b> service"
    oruk_import(actor=None, sources=[source("service_full.json", document)])
    page = (
        client_for(Role.COMMUNITY)
        .get(reverse("directory:service", args=[document["id"]]))
        .content.decode()
    )
    assert "javascript:alert" not in page
    assert "&lt;b&gt;Bold&lt;/b&gt; service" in page
    assert "Thursdays and Fridays, 10:00 to 18:00" in page
    assert "Under 18s and Over 60s" in page


def test_an_unknown_service_is_not_found(client_for):
    response = client_for(Role.FACILITATOR).get(reverse("directory:service", args=[uuid.uuid4()]))
    assert response.status_code == 404


def _upload(client, name: str, document, **fields):
    data = document if isinstance(document, bytes) else json.dumps(document).encode()
    return client.post(
        reverse("directory:import"),
        {"file": SimpleUploadedFile(name, data), **fields},
        follow=True,
    )


def test_an_upload_is_imported_by_a_job_and_reported(settings, client_for, demo):
    settings.HCT_JOBS_INLINE = True
    client = client_for(Role.FACILITATOR)
    document = new_ids(example("service_full.json"))
    response = _upload(client, "service_full.json", document)
    job = Job.objects.filter(kind="directory.import").first()
    assert response.redirect_chain[-1][0] == reverse("core:job", args=[job.pk])
    assert job.status == Job.Status.DONE and job.progress == job.total == 1
    assert "Imported: 15 created" in response.content.decode()
    run = ImportRun.objects.get(pk=job.result["url"].rstrip("/").rsplit("/", 1)[-1])
    assert run.status == ImportRun.Status.IMPORTED and run.content == b""
    report = client.get(job.result["url"]).content.decode()
    assert "What was written" in report and "service at location" in report
    assert Service.objects.filter(id=document["id"]).exists()
    # Someone else's import report is theirs; an admin may read it.
    assert client_for(Role.ADMIN).get(job.result["url"]).status_code == 200


def test_a_refused_upload_lists_every_problem_and_writes_nothing(settings, client_for):
    settings.HCT_JOBS_INLINE = True
    client = client_for(Role.FACILITATOR)
    document = new_ids(example("service_full.json"))
    document["status"] = "shut"
    document["schedules"][0]["opens_at"] = "noon"
    before = directory_counts()
    response = _upload(client, "service_full.json", document)
    assert directory_counts() == before
    page = response.content.decode()
    assert "Nothing was imported: 2 problems found." in page
    run = ImportRun.objects.order_by("-id").first()
    report = client.get(reverse("directory:import-run", args=[run.pk])).content.decode()
    assert "/schedules/0/opens_at" in report and "&#x27;noon&#x27; is not a time" in report


def test_valid_only_upload_skips_and_names(settings, client_for):
    settings.HCT_JOBS_INLINE = True
    client = client_for(Role.ADMIN)
    page = example("service_list.json")
    good, bad = new_ids(page["contents"][0]), new_ids(page["contents"][0])
    bad["status"] = "shut"
    page["contents"] = [good, bad]
    _upload(client, "service_list.json", page, valid_only="on")
    run = ImportRun.objects.order_by("-id").first()
    assert run.status == ImportRun.Status.IMPORTED
    assert [s["where"] for s in run.skipped] == ["/contents/1"]
    assert (
        "1 record skipped"
        in client.get(reverse("directory:import-run", args=[run.pk])).content.decode()
    )


def test_a_queued_upload_waits_for_the_worker(settings, client_for):
    from hct.core.jobs import work

    settings.HCT_JOBS_INLINE = False
    client = client_for(Role.FACILITATOR)
    response = _upload(client, "taxonomy.json", new_ids(example("taxonomy.json")))
    assert "Waiting to start" in response.content.decode()
    assert work(once=True) == 1
    job = Job.objects.filter(kind="directory.import").first()
    assert job.status == Job.Status.DONE


def test_an_upload_must_be_a_file(client_for):
    response = client_for(Role.FACILITATOR).post(reverse("directory:import"), {})
    assert "Choose a file to upload" in response.content.decode()


def test_a_facilitator_adds_a_community_asset_in_their_neighbourhood(client_for, demo):
    client = client_for(Role.FACILITATOR)
    lsoa = demo.first_neighbourhood.lsoas.order_by("code").last()
    response = client.post(
        reverse("directory:asset-create"),
        {
            "name": "Dog walking group",
            "description": "Walks on the common, dogs welcome.",
            "run_by": "Friends of the common",
            "place_name": "The common",
            "lsoa": lsoa.code,
            "categories": [str(term_id("pets"))],
            "days": ["SA", "SU"],
            "opens_at": "09:00",
            "closes_at": "10:30",
        },
        follow=True,
    )
    assert response.status_code == 200
    asset = Service.objects.get(name="Dog walking group")
    assert asset.community_asset and not asset.illustrative
    location = asset.service_at_locations.get().location
    assert (location.lsoa, location.latitude) == (lsoa, lsoa.latitude)
    assert "Saturdays and Sundays, 09:00 to 10:30" in response.content.decode()
    shown = names(client.get(FIND, {"category": term_id("practical")}))
    assert "Dog walking group" in shown


def test_an_asset_outside_the_facilitators_neighbourhoods_is_refused(client_for, demo):
    outside = demo.other_neighbourhood.lsoas.first()
    response = client_for(Role.FACILITATOR).post(
        reverse("directory:asset-create"), {"name": "Elsewhere", "lsoa": outside.code}
    )
    assert "Select a valid choice" in response.content.decode()
    assert not Service.objects.filter(name="Elsewhere").exists()


def test_asset_times_must_make_sense(client_for, demo):
    lsoa = demo.first_neighbourhood.lsoas.first()
    response = client_for(Role.ADMIN).post(
        reverse("directory:asset-create"),
        {
            "name": "Backwards",
            "lsoa": lsoa.code,
            "days": ["MO"],
            "opens_at": "12:00",
            "closes_at": "11:00",
        },
    )
    assert "The closing time must be after the opening time" in response.content.decode()


def test_another_facilitators_import_report_is_refused(client_for, demo):
    from hct.core.services import user_create

    user_create(
        actor=None,
        username="facilitator-two",
        password="another-long-password-42",
        role=Role.FACILITATOR,
    )
    url = reverse("directory:import-run", args=[demo.import_run.pk])
    assert client_for(username="facilitator-two").get(url).status_code == 403
    assert client_for(Role.FACILITATOR).get(url).status_code == 200
    # The history lists only one's own uploads.
    page = client_for(username="facilitator-two").get(reverse("directory:import"))
    assert "test_service.json" not in page.content.decode()


def test_a_facilitator_with_no_neighbourhoods_can_choose_no_lsoa(client_for):
    from hct.core.services import user_create

    user_create(
        actor=None,
        username="new-facilitator",
        password="another-long-password-42",
        role=Role.FACILITATOR,
    )
    response = client_for(username="new-facilitator").get(reverse("directory:asset-create"))
    assert list(response.context["form"].fields["lsoa"].queryset) == []


def test_an_unreadable_zip_upload_is_reported(settings, client_for):
    settings.HCT_JOBS_INLINE = True
    client = client_for(Role.FACILITATOR)
    response = _upload(client, "feed.zip", b"PK\x03\x04 not really a zip")
    assert "Nothing was imported: 1 problem found." in response.content.decode()
    run = ImportRun.objects.order_by("-id").first()
    assert run.problems == [
        {"file": "feed.zip", "where": "", "record": "", "message": "is not a readable zip file"}
    ]
