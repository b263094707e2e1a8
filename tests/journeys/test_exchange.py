"""Journeys out and back in, in both formats; broken files refused with file, row and field
named and nothing written (Hypothesis throws big and hostile input at both importers)."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from hct.core.models import Job
from hct.core.roles import Role
from hct.journeys import exchange
from hct.journeys.dates import WhenError, parse_when
from hct.journeys.models import Gap, Journey, Touchpoint
from hct.people.models import Person
from hct.places.models import Neighbourhood
from tests.people.helpers import facilitator

pytestmark = pytest.mark.django_db
HYPOTHESIS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _snapshot():
    return (
        Journey.objects.count(),
        Touchpoint.objects.count(),
        Gap.objects.count(),
        Person.objects.count(),
    )


def _everyone(journey):
    return True


def _demo_csv(demo) -> str:
    """Two demo journeys as CSV, under new journey keys so they can be imported again."""
    journeys = Journey.objects.filter(person__synthetic_batch="demo").order_by("id")[:2]
    text = exchange.export_csv(
        Journey.objects.filter(pk__in=[j.pk for j in journeys]), sees_private=_everyone
    )
    rows = list(csv.DictReader(io.StringIO(text)))
    keys = {}
    for row in rows:
        row["journey"] = keys.setdefault(row["journey"], f"j{len(keys) + 1}")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=exchange.CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _documents(journeys):
    documents = exchange.export_documents(journeys, sees_private=_everyone)
    for document in documents:
        document.pop("id")
    return documents


@pytest.mark.parametrize("kind", ["json", "csv"])
def test_export_then_import_gives_back_the_same_journeys(demo, kind):
    journeys = Journey.objects.filter(person__synthetic_batch="demo") | Journey.objects.filter(
        person=demo.sam
    )
    ids = list(journeys.values_list("pk", flat=True))
    before = _documents(Journey.objects.filter(pk__in=ids))
    write = exchange.export_json if kind == "json" else exchange.export_csv
    text = write(Journey.objects.filter(pk__in=ids), sees_private=_everyone)
    uuids = list(Journey.objects.filter(pk__in=ids).values_list("uuid", flat=True))
    Journey.objects.filter(pk__in=ids).delete()
    planned = exchange.read_file(text.encode(), file=f"journeys.{kind}")
    summary = exchange.import_journeys(
        planned, actor=demo.users["facilitator"], file=f"journeys.{kind}"
    )
    assert summary.journeys == len(ids) and summary.people_created == 0
    again = Journey.objects.filter(uuid__in=uuids)
    assert again.count() == len(ids)
    assert _documents(again) == before


def test_a_new_person_comes_with_their_journey(demo):
    document = {
        "format": "hct-journeys",
        "version": 1,
        "journeys": [
            {
                "title": "Imported",
                "person": {
                    "alias": "Noor (synthetic)",
                    "lsoa": demo.sam.home_lsoa.code,
                    "synthetic": True,
                },
                "touchpoints": [
                    {
                        "ref": "a",
                        "when": "2019",
                        "actor": {"name": "Noor's mum", "kind": "family"},
                        "what": "life_event",
                    },
                    {
                        "ref": "b",
                        "when": "2020",
                        "actor": {"name": "The GP practice", "kind": "local_service"},
                        "what": "referral",
                        "felt": "hindered",
                    },
                    {
                        "ref": "c",
                        "when": "2021",
                        "actor": {"name": "A new group", "kind": "community_group"},
                        "what": "community_act",
                        "felt": "helped",
                    },
                ],
                "gaps": [{"before": "b", "after": "c", "kind": "no_follow_up"}],
            }
        ],
    }
    summary = exchange.import_journeys(
        exchange.read_json(json.dumps(document), file="sam.json"),
        actor=demo.users["facilitator"],
        file="new.json",
    )
    assert (summary.people_created, summary.touchpoints, summary.gaps, summary.actors_created) == (
        1,
        3,
        1,
        2,
    )
    person = Person.objects.get(alias="Noor (synthetic)")
    assert person.synthetic and list(person.facilitators.all()) == [demo.users["facilitator"]]
    journey = person.journeys.get()
    mum = journey.touchpoints.get(position=1).actor
    assert mum.private and mum.person == person


@pytest.mark.parametrize(
    ("change", "where", "field", "message"),
    [
        (lambda d: d.update(version=2), None, None, exchange.ERROR_FORMAT),
        (
            lambda d: d["journeys"][0]["touchpoints"][1].update(when="spring 20199"),
            "journeys[0].touchpoints[1]",
            "when",
            "is not a date we can read",
        ),
        (
            lambda d: d["journeys"][0]["touchpoints"][4].update(when="2001"),
            "journeys[0].touchpoints[4]",
            "when",
            "must stay in time order",
        ),
        (
            lambda d: d["journeys"][0]["touchpoints"][0].update(what="party"),
            "journeys[0].touchpoints[0]",
            "what",
            "is not one of",
        ),
        (
            lambda d: d["journeys"][0]["gaps"].append(
                {"before": "t99", "after": "t1", "kind": "long_wait"}
            ),
            "journeys[0].gaps[6]",
            "before",
            "is not a touchpoint of this journey",
        ),
        (
            lambda d: d["journeys"][0]["gaps"].append(
                {"before": "t3", "after": "t1", "kind": "long_wait"}
            ),
            "journeys[0].gaps[6]",
            "after",
            exchange.ERROR_GAP_ORDER,
        ),
        (
            lambda d: d["journeys"][0]["person"].update(id="not-a-uuid"),
            "journeys[0].person",
            "id",
            "is not an id",
        ),
        (
            lambda d: d["journeys"][0]["touchpoints"][2].update(ref="t1"),
            "journeys[0].touchpoints[2]",
            "ref",
            "is used twice",
        ),
        (
            lambda d: d["journeys"][0].update(touchpoints="many"),
            "journeys[0]",
            "touchpoints",
            exchange.ERROR_LIST,
        ),
    ],
)
def test_a_broken_json_file_names_where_and_writes_nothing(demo, change, where, field, message):
    document = json.loads(
        exchange.export_json(Journey.objects.filter(person=demo.sam), sees_private=_everyone)
    )
    document["journeys"][0].pop("id")
    change(document)
    before = _snapshot()
    with pytest.raises(exchange.ImportProblem) as problem:
        exchange.import_journeys(
            exchange.read_json(json.dumps(document), file="sam.json"),
            actor=demo.users["facilitator"],
            file="sam.json",
        )
    assert (problem.value.file, problem.value.where, problem.value.field) == (
        "sam.json",
        where,
        field,
    )
    assert message in problem.value.message
    assert "sam.json" in str(problem.value)
    assert _snapshot() == before


def test_what_the_database_refuses_is_named_too(demo):
    other = facilitator(
        demo,
        "elsewhere",
        [Neighbourhood.objects.filter(kind="ward").exclude(lsoas=demo.sam.home_lsoa).first()],
    )
    text = exchange.export_json(Journey.objects.filter(person=demo.sam), sees_private=_everyone)
    with pytest.raises(exchange.ImportProblem) as problem:
        exchange.import_journeys(
            exchange.read_json(text), actor=demo.users["facilitator"], file="x.json"
        )
    assert problem.value.message == exchange.ERROR_JOURNEY_EXISTS
    document = json.loads(text)
    document["journeys"][0].pop("id")
    with pytest.raises(exchange.ImportProblem) as problem:
        exchange.import_journeys(
            exchange.read_json(json.dumps(document), file="sam.json"), actor=other, file="x.json"
        )
    assert problem.value.message == exchange.ERROR_PERSON_NOT_YOURS
    document["journeys"][0]["person"] = {"alias": "Zed", "lsoa": demo.sam.home_lsoa.code}
    with pytest.raises(exchange.ImportProblem) as problem:
        exchange.import_journeys(
            exchange.read_json(json.dumps(document), file="sam.json"), actor=other, file="x.json"
        )
    assert (
        problem.value.field == "lsoa"
        and "not in a neighbourhood you work in" in problem.value.message
    )
    document["journeys"][0]["person"]["lsoa"] = "E01999999"
    with pytest.raises(exchange.ImportProblem) as problem:
        exchange.import_journeys(
            exchange.read_json(json.dumps(document), file="sam.json"), actor=other, file="x.json"
        )
    assert problem.value.message == exchange.ERROR_NO_LSOA.format(value="E01999999")


def _import_or_problem(demo, text: str, file: str):
    """Import in a savepoint that is always rolled back, so examples do not see each other."""
    before = _snapshot()
    try:
        with transaction.atomic():
            try:
                exchange.import_journeys(
                    exchange.read_file(text, file=file), actor=demo.users["facilitator"], file=file
                )
            except exchange.ImportProblem as problem:
                assert _snapshot() == before, "a refused import wrote something"
                return problem
            transaction.set_rollback(True)
    finally:
        assert _snapshot() == before
    return None


@HYPOTHESIS
@given(
    data=st.data(),
    junk=st.text(max_size=300)
    | st.sampled_from(
        [
            "",
            "\x00",
            "=cmd|' /C calc'!A0",
            "9" * 400,
            "😀" * 70,
            "<script>alert(1)</script>",
            "\r\n",
        ]
    ),
)
def test_any_cell_of_a_csv_can_be_broken_and_is_named_or_accepted(demo, data, junk):
    rows = list(csv.reader(io.StringIO(_demo_csv(demo))))
    row = data.draw(st.integers(min_value=1, max_value=len(rows) - 1))
    column = data.draw(st.integers(min_value=0, max_value=len(rows[0]) - 1))
    rows[row][column] = junk
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    problem = _import_or_problem(demo, out.getvalue(), "demo.csv")
    if problem is not None:
        assert problem.file == "demo.csv"
        assert problem.where is None or problem.where.startswith("row ")
        assert problem.field is None or problem.field in exchange.CSV_COLUMNS


@HYPOTHESIS
@given(data=st.data(), junk=st.text(min_size=1, max_size=80))
def test_a_bad_date_is_named_by_its_row_and_field(demo, data, junk):
    try:
        parse_when(junk)
    except WhenError:
        pass
    else:
        assume(False)
    rows = list(csv.DictReader(io.StringIO(_demo_csv(demo))))
    touchpoints = [i for i, r in enumerate(rows) if r["record"] == "touchpoint"]
    index = data.draw(st.sampled_from(touchpoints))
    rows[index]["when"] = junk
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=exchange.CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    problem = _import_or_problem(demo, out.getvalue(), "dates.csv")
    assert problem is not None
    assert (problem.where, problem.field) == (f"row {index + 2}", "when")


def _json_values():
    scalars = (
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=50)
    )
    return st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
        ),
        max_leaves=12,
    )


@HYPOTHESIS
@given(data=st.data(), value=_json_values())
def test_any_value_anywhere_in_a_json_file_is_named_or_accepted(demo, data, value):
    document = json.loads(
        exchange.export_json(Journey.objects.filter(person=demo.sam), sees_private=_everyone)
    )
    document["journeys"][0].pop("id")
    # Walk down a random path and put the value there.
    node = document
    path = []
    while isinstance(node, (dict, list)) and node and data.draw(st.booleans()):
        key = data.draw(
            st.sampled_from(sorted(node) if isinstance(node, dict) else list(range(len(node))))
        )
        parent, node = node, node[key]
        path.append((parent, key))
    if path:
        parent, key = path[-1]
        parent[key] = value
    else:
        document = value
    problem = _import_or_problem(demo, json.dumps(document), "any.json")
    if problem is not None:
        assert problem.file == "any.json" and str(problem)


def test_text_that_is_not_json_or_csv_is_refused(demo):
    for text, file in (
        ("{not json", "a.json"),
        ("a,b\n1,2\n", "a.csv"),
        (b"\xff\xfe", "a.csv"),
        ("x", "a.txt"),
    ):
        with pytest.raises(exchange.ImportProblem):
            exchange.read_file(text, file=file)
    problem = _import_or_problem(demo, "[" * 100_000 + "]" * 100_000, "deep.json")
    assert problem is not None and "is not JSON" in problem.message


def test_the_import_page_checks_then_imports_in_the_background(client_for, demo, settings):
    settings.HCT_JOBS_INLINE = True
    client = client_for(Role.FACILITATOR)
    broken = _demo_csv(demo).replace("community_act", "party", 1)
    response = client.post(
        reverse("journeys:import"), {"file": SimpleUploadedFile("broken.csv", broken.encode())}
    )
    body = response.content.decode()
    assert "There is a problem" in body and "broken.csv, row " in body and "field “what”" in body
    assert "Nothing was imported" in body
    before = Journey.objects.count()
    response = client.post(
        reverse("journeys:import"),
        {"file": SimpleUploadedFile("good.csv", _demo_csv(demo).encode())},
    )
    assert response.status_code == 302
    job = Job.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    assert job.status == Job.Status.DONE and job.result["journeys"] == 2
    assert Journey.objects.count() == before + 2
    assert not list(Path(settings.VAR_DIR, "uploads").glob("*.csv")), "the upload is removed"


def test_the_export_pages_hide_private_names_from_those_not_named(client_for, demo):
    response = client_for(Role.FACILITATOR).get(
        reverse("journeys:journey-export", args=[demo.sam_journey.pk]) + "?format=csv"
    )
    assert (
        response["Content-Type"].startswith("text/csv")
        and "Sam's family" in response.content.decode()
    )
    other = facilitator(demo, "colleague", [demo.first_neighbourhood])
    from tests.people.helpers import signed_in

    body = signed_in(other).get(reverse("journeys:export")).content.decode()
    document = json.loads(body)
    sams = next(j for j in document["journeys"] if j["person"]["alias"] == demo.sam.alias)
    names = {t["actor"]["name"] for t in sams["touchpoints"]}
    assert "Sam's family" not in names and "Family" in names
    assert "Sam (not his real name)" not in names and "The person" in names


def test_the_commands_import_and_export(demo, tmp_path):
    path = tmp_path / "demo.csv"
    path.write_text(_demo_csv(demo))
    out = io.StringIO()
    call_command("import_journeys", str(path), "--as", "facilitator", stdout=out)
    assert "Imported 2 journeys" in out.getvalue()
    target = tmp_path / "all.json"
    call_command(
        "export_journeys", "--as", "facilitator", "--output", str(target), stderr=io.StringIO()
    )
    assert json.loads(target.read_text())["format"] == "hct-journeys"
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="is not one"):
        call_command("import_journeys", str(path), "--as", "partner")
    path.write_text(_demo_csv(demo).replace("community_act", "party", 1))
    with pytest.raises(CommandError, match=r"demo\.csv, row .*Nothing was imported"):
        call_command("import_journeys", str(path), "--as", "facilitator")


@pytest.mark.parametrize("command", ["import-journeys", "export-journeys"])
def test_the_hct_commands_have_help(command):
    result = subprocess.run(
        [sys.executable, "-m", "hct", command, "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0 and "usage: hct" in result.stdout


def test_the_documented_examples_read_as_documented():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "journeys-format.md").read_text()
    json_example = doc.split("```json\n")[1].split("```")[0]
    csv_example = doc.split("```csv\n")[1].split("```")[0]
    header = doc.split("with this header row:\n\n    ")[1].split("\n")[0]
    assert header.split(",") == exchange.CSV_COLUMNS
    for planned in (exchange.read_json(json_example), exchange.read_csv(csv_example)):
        assert len(planned) == 1
        assert [t.when.text for t in planned[0].touchpoints] == ["October 2018", "February 2019"]
        assert [(g.before, g.after, g.kind) for g in planned[0].gaps] == [("t1", "t2", "long_wait")]


def _one_new_person_file(tmp_path, lsoa):
    document = {
        "format": "hct-journeys",
        "version": 1,
        "journeys": [
            {
                "title": "Imported for Bramblewick",
                "person": {"alias": "Ossian (synthetic)", "lsoa": lsoa.code, "synthetic": True},
                "touchpoints": [
                    {
                        "ref": "a",
                        "when": "2020",
                        "actor": {"name": "The GP practice", "kind": "local_service"},
                        "what": "referral",
                    }
                ],
            }
        ],
    }
    path = tmp_path / "bramblewick.json"
    path.write_text(json.dumps(document))
    return path


def test_the_import_command_puts_people_in_the_partnership_named(demo, tmp_path):
    """A facilitator in two partnerships imports for one of them with --partnership; without it
    the import says to name one; an unknown slug, or one the facilitator is not in, is refused
    plainly; nothing is written by a refused import."""
    from django.core.management.base import CommandError

    from tests.partnership.second import second_partnership

    ward = demo.first_neighbourhood
    b = second_partnership(ward)
    path = _one_new_person_file(tmp_path, ward.lsoas.first())
    before = _snapshot()
    with pytest.raises(CommandError, match="no partnership with the slug “nowhere”"):
        call_command(
            "import_journeys", str(path), "--as", "facilitator", "--partnership", "nowhere"
        )
    with pytest.raises(CommandError, match="facilitator is not a member of Bramblewick"):
        call_command(
            "import_journeys", str(path), "--as", "facilitator", "--partnership", "bramblewick"
        )
    joined = b.partnership.memberships.create(user=demo.users["facilitator"])
    joined.neighbourhoods.add(ward)
    with pytest.raises(CommandError, match="Choose which partnership"):
        call_command("import_journeys", str(path), "--as", "facilitator")
    assert _snapshot() == before
    out = io.StringIO()
    call_command(
        "import_journeys",
        str(path),
        "--as",
        "facilitator",
        "--partnership",
        "bramblewick",
        stdout=out,
    )
    assert "Imported 1 journeys" in out.getvalue()
    person = Person.objects.get(alias="Ossian (synthetic)")
    assert person.partnership == b.partnership
    assert Journey.objects.get(title="Imported for Bramblewick").person == person


def test_an_import_for_one_partnership_refuses_people_of_another(demo, tmp_path):
    from tests.partnership.second import second_partnership

    ward = demo.first_neighbourhood
    b = second_partnership(ward)
    b.partnership.memberships.create(user=demo.users["facilitator"]).neighbourhoods.add(ward)
    text = exchange.export_json(Journey.objects.filter(person=demo.sam), sees_private=_everyone)
    planned = exchange.read_file(text.encode(), file="sam.json")
    Journey.objects.filter(person=demo.sam).delete()
    with pytest.raises(exchange.ImportProblem, match="belongs to another partnership"):
        exchange.import_journeys(
            planned,
            actor=demo.users["facilitator"],
            file="sam.json",
            partnership=b.partnership,
        )
