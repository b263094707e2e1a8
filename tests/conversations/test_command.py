"""`hct manage export_conversation`: the contributions as CSV and the cycle's iceberg, vision and
plan as PDF, for a facilitator in scope."""

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.pdf_checks import assert_tagged

pytestmark = pytest.mark.django_db


def test_contributions_as_csv_to_a_file(demo, tmp_path):
    out = tmp_path / "c.csv"
    call_command(
        "export_conversation", demo.conversation.pk, "--as", "facilitator", "--output", str(out)
    )
    rows = list(csv.reader(io.StringIO(out.read_text())))
    assert rows[0][:3] == ["id", "kind", "text"]
    assert len(rows) == 1 + demo.conversation.contributions.count()


def test_the_cycles_sensemaking_as_pdf(demo, tmp_path):
    out = tmp_path / "s.pdf"
    call_command(
        "export_conversation",
        demo.sensemaking_conversation.pk,
        "--as",
        "facilitator",
        "--format",
        "pdf",
        "--output",
        str(out),
    )
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(out).pages)
    assert "better story" in text
    cycle = demo.sensemaking_conversation.cycle
    assert_tagged(out.read_bytes(), title=f"Iceberg, vision and plan – cycle {cycle.number}")


def test_only_a_facilitator_in_scope(demo):
    with pytest.raises(CommandError, match="facilitator"):
        call_command("export_conversation", demo.conversation.pk, "--as", "partner")
    with pytest.raises(CommandError, match="no conversation 999999"):
        call_command("export_conversation", 999999, "--as", "facilitator")
