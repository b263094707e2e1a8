import datetime as dt
import io

from django.urls import reverse
from pypdf import PdfReader

from hct.learning import columns, reports
from hct.learning.columns import Column


def _column(counts):
    return Column(
        "test_promises_kept",
        "Kept on time",
        "Commitments",
        10,
        "Commitments kept on time",
        lambda ids, period: {nid: n for nid, n in counts.items() if nid in ids},
    )


def test_a_registered_column_is_side_by_side_in_the_reports_and_in_the_open_data(
    demo, client_for, client
):
    first = demo.first_neighbourhood
    columns.register(_column({first.pk: 23}))
    try:
        page = client_for("board").get(reverse("learning:side-by-side")).content.decode()
        assert "<caption" in page and ">Commitments</caption>" in page and ">Kept on time<" in page
        text = client.get(reverse("learning:open-data-csv")).content.decode()
        header, *rows = text.splitlines()
        at = header.split(",").index("test_promises_kept")
        assert any(r.startswith(first.name) and r.split(",")[at] == "25" for r in rows)  # 23
        run = reports.report_request(
            actor=demo.users["board"],
            partnership=demo.partnership,
            kind="board",
            start=dt.date(2025, 9, 1),
            end=dt.date(2030, 1, 1),
        )
        run.refresh_from_db()
        pdf = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(bytes(run.pdf))).pages)
        assert "Commitments, by neighbourhood" in pdf
    finally:
        columns._columns.pop("test_promises_kept")


def test_a_small_count_in_a_column_is_hidden_and_so_is_the_next(demo, client):
    first, other = demo.first_neighbourhood, demo.partnership.cycles.get(number=2).neighbourhood
    columns.register(_column({first.pk: 3, other.pk: 40}))
    try:
        text = client.get(reverse("learning:open-data-csv")).content.decode()
        header, *rows = text.splitlines()
        at = header.split(",").index("test_promises_kept")
        values = {line.split(",")[0]: line.split(",")[at] for line in rows}
        assert values[first.name] == "*" and values[other.name] == "*"
    finally:
        columns._columns.pop("test_promises_kept")
