"""The importer on the official examples (JSON and CSV), re-imports, all-or-nothing, skipping,
and the messages that name where a problem is."""

import io
import json
import uuid
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hct.core.models import AuditEvent
from hct.directory.importer.sources import SourceFile, read_path, read_upload
from hct.directory.models import (
    Attribute,
    Contact,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from hct.directory.oruk_schemas import EXAMPLES_DIR
from hct.directory.services import ImportRefused, oruk_import
from tests.directory.conftest import directory_counts, example, new_ids, source

pytestmark = pytest.mark.django_db

SERVICE = uuid.UUID("ac148810-d857-441c-9679-408f346de14b")


def refused(sources, **options):
    before = directory_counts()
    with pytest.raises(ImportRefused) as caught:
        oruk_import(actor=None, sources=sources, **options)
    assert directory_counts() == before, "a refused import must write nothing"
    return caught.value.result.plan.problems


def test_the_demo_imported_every_official_json_example_in_place():
    service = Service.objects.select_related("organization").get(id=SERVICE)
    assert service.name == "Community Counselling"
    assert service.organization.name == "Example Organization Inc."
    assert service.minimum_age == 12
    schedule = service.schedules.get()
    assert (schedule.freq, schedule.byday, str(schedule.opens_at)) == (
        "WEEKLY",
        "TH,FR",
        "10:00:00",
    )
    location = ServiceAtLocation.objects.get(service=service).location
    # The example's latitude is 100: kept as given, but no LSOA (it is not on Earth).
    assert (location.latitude, location.lsoa) == (100, None)
    assert Attribute.objects.filter(link_id=service.id, link_entity="service").count() == 1


def test_importing_the_examples_again_changes_nothing():
    result = oruk_import(actor=None, sources=read_path(EXAMPLES_DIR))
    assert result.counts["created"] == {}
    assert result.counts["updated"] == {}
    assert sum(result.counts["unchanged"].values()) == 16
    assert "0 created, 0 updated, 16 unchanged" in result.describe()


def test_the_official_csv_tables_import_and_name_what_they_leave_out():
    result = oruk_import(actor=None, sources=read_path(EXAMPLES_DIR / "csv"))
    phone = Phone.objects.get(id="1554f2e2-a373-45db-a3fa-9fc48a61c15e")
    assert phone.contact_id == uuid.UUID("1e7efce3-639b-4880-940c-b95cd30cdb50")
    assert phone.languages.count() == 1
    warnings = [str(w) for w in result.plan.warnings]
    assert any(w.startswith("schedules.csv: ignored: schedule.csv") for w in warnings)
    assert any(w.startswith("programs.csv: is not a table") for w in warnings)
    # The example's attribute names a record published nowhere: kept, and said so.
    assert any("attribute.csv, row 3, column 'link_id'" in w for w in warnings)
    again = oruk_import(actor=None, sources=read_path(EXAMPLES_DIR / "csv"))
    assert again.counts["created"] == {} and again.counts["updated"] == {}


def test_a_zip_of_tables_is_one_import():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted((EXAMPLES_DIR / "csv").glob("*.csv")):
            archive.write(path, f"feed/{path.name}")
    result = oruk_import(actor=None, sources=read_upload("feed.zip", buffer.getvalue()))
    assert result.imported
    assert len(result.plan.tops) == 17


def test_a_new_service_is_created_and_a_reimport_updates_it_in_place(counts):
    document = new_ids(example("service_full.json"))
    before = counts()
    oruk_import(actor=None, sources=[source("service_full.json", document)])
    after = counts()
    assert after["directory.Service"] == before["directory.Service"] + 1
    service_id = document["id"]
    document["name"] = "Community Counselling, renamed"
    document["schedules"][0]["byday"] = "MO"
    result = oruk_import(actor=None, sources=[source("service_full.json", document)])
    assert counts() == after
    assert result.counts["updated"] == {"service": 1, "schedule": 1}
    service = Service.objects.get(id=service_id)
    assert service.name == "Community Counselling, renamed"
    assert service.schedules.get().byday == "MO"


def test_children_no_longer_listed_are_removed_and_absent_lists_are_left_alone():
    document = new_ids(example("service_full.json"))
    oruk_import(actor=None, sources=[source("service_full.json", document)])
    service_id = document["id"]
    document["contacts"] = []
    del document["schedules"]
    result = oruk_import(actor=None, sources=[source("service_full.json", document)])
    assert result.counts["removed"] == {"contact": 1}
    assert not Contact.objects.filter(service_id=service_id).exists()
    assert Schedule.objects.filter(service_id=service_id).count() == 1


def test_a_page_of_services_names_each_problem_by_its_pointer():
    page = example("service_list.json")
    good = page["contents"][0]
    bad = new_ids(good)
    bad["status"] = "open"
    del bad["name"]
    page["contents"] = [good, bad, "not a record"]
    problems = refused([source("service_list.json", page)])
    found = {(p.where, p.message) for p in problems}
    assert (
        "/contents/1/status",
        "'open' is not one of: active, inactive, defunct, temporarily closed",
    ) in found
    assert ("/contents/1/name", "the required field 'name' is missing") in found
    assert ("/contents/2", "should be an ORUK record (a JSON object), not text") in found


def test_valid_only_imports_the_rest_and_says_what_was_skipped(counts):
    page = example("service_list.json")
    good, bad = new_ids(page["contents"][0]), new_ids(page["contents"][0])
    bad["minimum_age"] = "twelve"
    page["contents"] = [good, bad]
    before = counts()
    result = oruk_import(actor=None, sources=[source("service_list.json", page)], valid_only=True)
    assert counts()["directory.Service"] == before["directory.Service"] + 1
    assert Service.objects.filter(id=good["id"]).exists()
    assert not Service.objects.filter(id=bad["id"]).exists()
    [skipped] = result.plan.skipped
    assert skipped["where"] == "/contents/1"
    assert skipped["reasons"] == ["/contents/1/minimum_age: should be a number, not text (twelve)"]
    assert "1 skipped" in result.describe()


def test_an_unknown_taxonomy_term_is_refused_with_its_place():
    document = new_ids(example("service_full.json"))
    attribute = document["attributes"][0]
    del attribute["taxonomy_term"]
    attribute["taxonomy_term_id"] = str(uuid.uuid4())
    problems = refused([source("service_full.json", document)])
    [problem] = problems
    assert problem.where == "/attributes/0/taxonomy_term_id"
    assert "matches no taxonomy term in this import or in the directory" in problem.message


def test_a_known_taxonomy_term_may_be_named_by_id_alone():
    document = new_ids(example("service_full.json"))
    attribute = document["attributes"][0]
    del attribute["taxonomy_term"]
    attribute["taxonomy_term_id"] = "3f7b145d-84af-42d7-8fae-eaca714b02b2"
    oruk_import(actor=None, sources=[source("service_full.json", document)])
    assert Attribute.objects.get(link_id=document["id"]).taxonomy_term.name == "name"


def test_one_id_with_two_different_contents_is_refused():
    first = new_ids(example("service_full.json"))
    second = json.loads(json.dumps(first))
    second["name"] = "Something else"
    problems = refused([source("a_service.json", first), source("b_service.json", second)])
    [problem] = problems
    assert (problem.file, problem.where) == ("b_service.json", "/name")
    assert "appears again, with a different name" in problem.message
    assert "a_service.json /name" in problem.message


def test_the_same_record_repeated_unchanged_is_one_record():
    first = new_ids(example("service_full.json"))
    result = oruk_import(
        actor=None, sources=[source("a_service.json", first), source("b_service.json", first)]
    )
    assert result.counts["created"]["service"] == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{not json", "is not valid JSON: Expecting property name enclosed in double quotes"),
        (b"", "is empty"),
        ('{"name": "caf\u00e9"}'.encode("latin-1"), "is not UTF-8 text (byte 0xe9"),
        ('{"name": "x"}'.encode("utf-16"), "is UTF-16 text: save it as UTF-8"),
        (b'{"id": NaN}', "uses NaN, which is not a number JSON allows"),
        (b'{"id": "a", "id": "b"}', "has an object with the key 'id' twice"),
        (b"[" * 100 + b"]" * 100, "is nested too deeply"),
        (b"42", "should hold an ORUK record, a list of records or a page"),
    ],
)
def test_files_that_are_not_oruk_json_are_refused(data, message):
    [problem] = refused([SourceFile("service.json", data)])
    assert problem.file == "service.json"
    assert message in problem.message


def test_a_record_of_no_recognisable_kind_asks_for_the_kind():
    record = {"id": str(uuid.uuid4()), "name": "A", "description": "B"}
    [problem] = refused([source("upload.json", record)])
    assert "cannot tell which kind of ORUK record this is" in problem.message
    result = oruk_import(actor=None, sources=[source("upload.json", record)], kind="taxonomy_term")
    assert TaxonomyTerm.objects.filter(id=record["id"]).exists()
    assert result.imported


def test_csv_problems_name_the_file_row_and_column(tmp_path):
    (tmp_path / "organizations.csv").write_text(
        f"id,name,description\n{uuid.uuid4()},Good Org,Fine\nnot-a-uuid,Bad Org,Broken\n",
        encoding="utf-8",
    )
    (tmp_path / "services.csv").write_text(
        "id,organization_id,name,status,minimum_age\n"
        f"{uuid.uuid4()},{uuid.uuid4()},Svc,active,ten\n"
        f"{uuid.uuid4()},,Svc,closed,\n",
        encoding="utf-8",
    )
    problems = refused(read_path(tmp_path))
    found = {(p.file, p.where, p.message) for p in problems}
    assert ("organizations.csv", "row 3, column 'id'", "'not-a-uuid' is not a UUID") in found
    assert ("services.csv", "row 2, column 'minimum_age'", "'ten' is not a number") in found
    assert (
        "services.csv",
        "row 3, column 'status'",
        "'closed' is not one of: active, inactive, defunct, temporarily closed",
    ) in found
    assert (
        "services.csv",
        "row 3, column 'organization_id'",
        "the required field 'organization_id' is missing",
    ) in found


def test_a_csv_service_for_an_unknown_organisation_is_refused_and_skipped_with_its_schedule(
    tmp_path,
):
    service_ok, service_bad, schedule = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    (tmp_path / "services.csv").write_text(
        "id,organization_id,name,status\n"
        f"{service_ok},d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610,Fine,active\n"
        f"{service_bad},{uuid.uuid4()},Orphan,active\n",
        encoding="utf-8",
    )
    (tmp_path / "schedule.csv").write_text(
        f"id,service_id,freq,byday,opens_at,closes_at\n{schedule},{service_bad},WEEKLY,MO,09:00,10:00\n",
        encoding="utf-8",
    )
    [problem] = refused(read_path(tmp_path))
    assert problem.where == "row 3, column 'organization_id'"
    result = oruk_import(actor=None, sources=read_path(tmp_path), valid_only=True)
    assert Service.objects.filter(id=service_ok).exists()
    assert not Service.objects.filter(id=service_bad).exists()
    assert not Schedule.objects.filter(id=schedule).exists()
    reasons = {item["file"]: item["reasons"] for item in result.plan.skipped}
    assert reasons["schedule.csv"] == [
        f"row 2, column 'service_id': service_id {service_bad} names a service that is skipped"
    ]


@pytest.mark.parametrize(
    ("schedule", "where", "message"),
    [
        ({"byday": "MO,XX"}, "byday", "'XX' is not a day of the week"),
        ({"byday": "9MO", "freq": "MONTHLY"}, "byday", "must be 1 to 5"),
        ({"bymonthday": "32", "freq": "MONTHLY"}, "bymonthday", "'32' is not a day of the month"),
        ({"opens_at": "9am"}, "opens_at", "'9am' is not a time"),
        ({"closes_at": "25:00"}, "closes_at", "'25:00' is not a time"),
        ({"valid_from": "2025-02-30"}, "valid_from", "'2025-02-30' is not a date"),
        ({"interval": 2}, "interval", "an interval above 1 needs dtstart"),
        ({"interval": 1.5}, "interval", "whole number from 1 to 1000"),
        (
            {"valid_from": "2025-02-01", "valid_to": "2025-01-01"},
            "valid_to",
            "valid_to 2025-01-01 is before valid_from 2025-02-01",
        ),
    ],
)
def test_schedules_that_cannot_be_read_are_refused(schedule, where, message):
    document = new_ids(example("service_full.json"))
    base = {"id": document["schedules"][0]["id"], "freq": "WEEKLY", "byday": "MO"}
    document["schedules"] = [{**base, **schedule}]
    problems = refused([source("service_full.json", document)])
    assert [(p.where, message in p.message) for p in problems] == [(f"/schedules/0/{where}", True)]


def test_a_location_in_coventry_is_placed_in_its_lsoa(demo):
    document = new_ids(example("service_full.json"))
    lsoa = demo.first_neighbourhood.lsoas.order_by("code").first()
    location = document["service_at_locations"][0]["location"]
    location["latitude"], location["longitude"] = lsoa.latitude, lsoa.longitude
    oruk_import(actor=None, sources=[source("service_full.json", document)])
    assert Location.objects.get(id=location["id"]).lsoa == lsoa


def test_an_import_is_audited_with_counts_only():
    document = new_ids(example("service_full.json"))
    oruk_import(actor=None, sources=[source("service_full.json", document)])
    event = AuditEvent.objects.filter(verb="directory.import").first()
    assert event.details["created"] == 15
    assert "Community Counselling" not in json.dumps(event.details)


def test_the_command_prints_every_problem_and_writes_nothing(tmp_path, capsys):
    bad = new_ids(example("service_full.json"))
    bad["status"] = "shut"
    bad["schedules"][0]["byday"] = "FUNDAY"
    path = tmp_path / "service_full.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    before = directory_counts()
    with pytest.raises(CommandError, match="Nothing was imported: 2 problems found"):
        call_command("import_oruk", str(path))
    err = capsys.readouterr().err
    assert "service_full.json, /status: 'shut' is not one of" in err
    assert "service_full.json, /schedules/0/byday: 'FUNDAY' is not a day of the week" in err
    assert directory_counts() == before
    bad["status"] = "active"
    bad["schedules"][0]["byday"] = "FR"
    path.write_text(json.dumps(bad), encoding="utf-8")
    call_command("import_oruk", str(path), "--quiet")
    assert "Imported: 15 created" in capsys.readouterr().out
    assert Organization.objects.filter(id=bad["organization"]["id"]).exists()


def test_hct_import_oruk_runs_from_the_command_line(tmp_path):
    from hct.cli import main

    path = tmp_path / "service_full.json"
    path.write_text(json.dumps({"id": "x"}), encoding="utf-8")
    assert main(["import-oruk", str(path)]) == 1
    assert main(["import-oruk", str(EXAMPLES_DIR / "taxonomy.json"), "--quiet"]) == 0


def test_a_table_of_some_services_removes_none_of_the_organisations_others(tmp_path):
    organization = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
    (tmp_path / "organizations.csv").write_text(
        f"id,name,description\n{organization},Example Organization Inc.,Renamed\n", encoding="utf-8"
    )
    (tmp_path / "services.csv").write_text(
        f"id,organization_id,name,status\n{uuid.uuid4()},{organization},Another,active\n",
        encoding="utf-8",
    )
    result = oruk_import(actor=None, sources=read_path(tmp_path))
    assert result.counts["removed"] == {}
    assert Service.objects.filter(id=SERVICE, organization_id=organization).exists()


def test_a_table_of_schedules_is_all_the_schedules_of_its_services(tmp_path):
    (tmp_path / "services.csv").write_text(
        "id,organization_id,name,status\n"
        f"{SERVICE},d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610,Community Counselling,active\n",
        encoding="utf-8",
    )
    new_schedule = uuid.uuid4()
    (tmp_path / "schedule.csv").write_text(
        f"id,service_id,freq,byday\n{new_schedule},{SERVICE},WEEKLY,SA\n", encoding="utf-8"
    )
    result = oruk_import(actor=None, sources=read_path(tmp_path))
    assert result.counts["removed"] == {"schedule": 1}
    assert list(Schedule.objects.filter(service_id=SERVICE).values_list("id", flat=True)) == [
        new_schedule
    ]
