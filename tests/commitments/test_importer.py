"""Importing commitments from CSV: the export's own file comes back in; every problem names file,
line and field and nothing is written; hostile input never crashes and never half-writes."""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hct.commitments.importer import import_commitments
from hct.commitments.models import Commitment, Status
from tests.commitments.helpers import COUNCIL, NHS

pytestmark = pytest.mark.django_db

HEADER = "ref,parent_ref,title,neighbourhood,owner,partners,lead_role,made_on,due_on,status,progress,weight,dropped_reason\n"


def _import(demo, text: str):
    return import_commitments(
        actor=demo.users["facilitator"],
        partnership=demo.partnership,
        name="plan.csv",
        data=text.encode(),
    )


def _csv(demo, *rows: str) -> str:
    return HEADER + "".join(row.format(n=demo.first_neighbourhood.slug) + "\n" for row in rows)


def test_rows_come_in_parents_first_with_status_progress_and_roll_up(demo):
    before = Commitment.objects.count()
    result = _import(
        demo,
        _csv(
            demo,
            f"b,a,First part,{{n}},{NHS},,Ward manager,2026-06-18,2026-12-31,in_progress,40,3,",
            f"a,,The whole promise,{{n}},{NHS},{COUNCIL},Director,2026-06-18,2027-01-31,,,,",
            f"c,a,Second part,{{n}},{COUNCIL},,Consultant,2026-06-18,2026-12-31,done,,1,",
        ),
    )
    assert result.ok, [str(p) for p in result.problems]
    assert Commitment.objects.count() == before + 3
    whole = Commitment.objects.get(title="The whole promise")
    assert [p.name for p in whole.partners.all()] == [COUNCIL]
    assert whole.progress == 55  # (3 × 40 + 1 × 100) ÷ 4
    assert Commitment.objects.get(title="Second part").status == Status.DONE


def test_every_problem_names_file_line_and_field_and_nothing_is_written(demo):
    before = Commitment.objects.count()
    result = _import(
        demo,
        _csv(
            demo,
            f"a,,Fine,{{n}},{NHS},,Lead,2026-06-18,2026-12-31,,,,",
            "b,,Bad dates,{n},Nobody Ltd,,Lead,2026-06-18,2026-06-01,,150,,",
            f"c,zz,Orphan,nowhere,{NHS},,,18/06/2026,2026-12-31,dropped,,,",
            f"d,e,Loop one,{{n}},{NHS},,Lead,2026-06-18,2026-12-31,,,,",
            f"e,d,Loop two,{{n}},{NHS},,Lead,2026-06-18,2026-12-31,,,,",
        ),
    )
    messages = [str(p) for p in result.problems]
    assert "plan.csv, line 3, owner: “Nobody Ltd” is not a partner of " in messages[0]
    assert (
        "plan.csv, line 3, due_on: the due date is before the day the commitment was made"
        in messages
    )
    assert "plan.csv, line 3, progress: progress is a percentage from 0 to 100" in messages
    assert "plan.csv, line 4, lead_role: is empty" in messages
    assert "plan.csv, line 4, neighbourhood: no neighbourhood called “nowhere”" in messages
    assert "plan.csv, line 4, made_on: “18/06/2026” is not a date like 2026-06-18" in messages
    assert "plan.csv, line 4, dropped_reason: say why the commitment was dropped" in messages
    assert "plan.csv, line 4, parent_ref: no row has the ref “zz”" in messages
    assert "plan.csv, line 5, parent_ref: the parts make a loop back to this row" in messages
    assert Commitment.objects.count() == before


def test_the_open_data_export_imports_back(demo):
    exported = b"".join(
        Client().get(reverse("commitments:open-data", args=["csv"])).streaming_content
    )
    before = Commitment.objects.count()
    result = import_commitments(
        actor=demo.users["facilitator"],
        partnership=demo.partnership,
        name="commitments.csv",
        data=exported,
    )
    assert result.ok, [str(p) for p in result.problems]
    assert Commitment.objects.count() == 2 * before
    copies = Commitment.objects.order_by("-id")[:before]
    assert sorted(c.progress for c in copies) == sorted(
        Commitment.objects.order_by("id")[:before].values_list("progress", flat=True)
    )


@pytest.mark.parametrize(
    "data, message",
    [
        (b"\xff\xfe\x00bad", "not UTF-8 text"),
        (b"title,owner\nx,y\n", "missing column(s): neighbourhood, lead_role, made_on, due_on"),
        (b"", "missing column(s)"),
    ],
)
def test_files_that_are_not_our_csv_are_refused_at_line_1(demo, data, message):
    result = import_commitments(
        actor=demo.users["facilitator"], partnership=demo.partnership, name="x.csv", data=data
    )
    assert message in str(result.problems[0]) and str(result.problems[0]).startswith(
        "x.csv, line 1"
    )


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.lists(
            st.sampled_from(["", "a", "b", "2026-06-18", "2026-01-01", "101", "-1", "x\ny", '"'])
            | st.text(max_size=12),
            min_size=0,
            max_size=14,
        ),
        max_size=6,
    )
)
def test_hostile_rows_never_crash_and_never_half_write(demo, cells):
    before = Commitment.objects.count()
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    for row in cells:
        writer.writerow(row)
    result = import_commitments(
        actor=demo.users["facilitator"],
        partnership=demo.partnership,
        name="h.csv",
        data=(HEADER + out.getvalue()).encode(),
    )
    if result.ok:
        assert Commitment.objects.count() == before + len(result.created)
    else:
        assert Commitment.objects.count() == before
        assert all(str(p).startswith("h.csv, line ") for p in result.problems)
    Commitment.objects.filter(pk__in=[c.pk for c in result.created]).delete()


def test_the_command_imports_or_says_what_is_wrong_and_imports_nothing(demo, tmp_path):
    import io

    from django.core.management import CommandError, call_command

    good = tmp_path / "good.csv"
    good.write_text(_csv(demo, f"a,,A promise,{{n}},{NHS},,Lead,2026-06-18,2026-12-31,,,,"))
    out = io.StringIO()
    call_command("import_commitments", str(good), "--as", "facilitator", stdout=out)
    assert out.getvalue().strip() == "Imported 1 commitment(s) from good.csv"
    bad = tmp_path / "bad.csv"
    bad.write_text(_csv(demo, f"a,,A promise,{{n}},{NHS},,Lead,2026-06-18,2026-01-01,,,,"))
    with pytest.raises(CommandError, match=r"bad.csv, line 2, due_on: .*\nNothing was imported"):
        call_command("import_commitments", str(bad), "--as", "facilitator")
    with pytest.raises(CommandError, match="no account called nobody"):
        call_command("import_commitments", str(good), "--as", "nobody")


def test_hct_import_commitments_has_help():
    from tests.core.test_cli_and_settings import _run

    assert "usage: hct import-commitments" in _run("import-commitments", "--help").stdout
