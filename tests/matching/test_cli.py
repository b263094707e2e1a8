"""`hct match`: a run from the command line, with a summary; a wrong account is refused."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hct.matching.models import Match

pytestmark = pytest.mark.django_db


def test_hct_match_runs_and_summarises(demo):
    out = io.StringIO()
    call_command("match", "--as", "facilitator", stdout=out)
    text = out.getvalue()
    assert "Needs considered:" in text and "two-way" in text
    assert "Proposals wait for a facilitator" in text
    assert Match.objects.filter(need=demo.sam_shopping_need).exists()
    again = io.StringIO()
    call_command("match", stdout=again)
    assert "Proposed: 0" in again.getvalue()


def test_hct_match_refuses_an_account_that_is_not_a_facilitator(demo):
    with pytest.raises(CommandError, match="not a facilitator"):
        call_command("match", "--as", "sam")


def test_the_command_line_entry_point(demo, capsys):
    from hct.cli import main

    assert main(["match", "--as", "board"]) == 1
    assert "not a facilitator" in capsys.readouterr().err
