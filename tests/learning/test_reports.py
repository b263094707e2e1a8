import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from hct.journeys.models import Quote
from hct.learning import reports
from hct.learning.models import ReportRun
from hct.learning.reports.sections import REPORTS, ReportSection, SectionContent, Table, register
from hct.people.models import Purpose
from hct.people.services import consent_withdraw
from tests.pdf_checks import assert_tagged

START, END = dt.date(2025, 9, 1), dt.date(2030, 1, 1)


def _pdf_text(run: ReportRun) -> str:
    reader = PdfReader(io.BytesIO(bytes(run.pdf)))
    return "\n".join(page.extract_text() for page in reader.pages)


def _make(demo, kind="board", start=START, end=END) -> ReportRun:
    run = reports.report_request(
        actor=demo.users["board"], partnership=demo.partnership, kind=kind, start=start, end=end
    )
    run.refresh_from_db()
    return run


def test_the_board_report_is_a_page_and_a_pdf_with_its_headings_and_tables(demo):
    run = _make(demo)
    assert run.status == ReportRun.Status.DONE
    assert_tagged(bytes(run.pdf), title=f"Partnership board report: {demo.partnership}")
    text = _pdf_text(run)
    for heading in (
        "Partnership board report",
        "At a glance",
        "Where each neighbourhood is in the cycle",
        "People heard",
        "Where the system failed to connect",
        "How people are doing",
        "What we learned",
    ):
        assert heading in text, heading
    # Tables beside the charts: their captions and row labels are in the PDF as text.
    assert "People heard, by neighbourhood" in text
    assert "Gaps by type, across the partnership" in text
    assert demo.first_neighbourhood.name in text
    # Every chart in the page has a table beside it.
    assert 0 < run.html.count("<svg") <= run.html.count('<figure class="hct-chart"')
    assert run.html.count('<figure class="hct-chart"') <= run.html.count("<table")


def test_no_alias_and_no_story_text_in_a_report(demo):
    run = _make(demo, "funder")
    assert_tagged(bytes(run.pdf), title=f"{run.get_kind_display()}: {demo.partnership}")
    text = _pdf_text(run) + run.html
    assert "Sam" not in text
    story = demo.sam_story.text
    for line in story.splitlines():
        if (
            len(line) > 40
            and not Quote.objects.filter(story=demo.sam_story, text__contains=line).exists()
        ):
            assert line not in text


def test_quotes_appear_only_while_their_owner_agrees_to_share(demo):
    quote = demo.sam_quote
    assert quote is not None
    shared = _make(demo, "funder")
    assert quote.text[:40] in shared.html
    consent_withdraw(
        actor=demo.users["facilitator"],
        person=demo.sam,
        purpose=Purpose.SHARE_WITH_PARTNERS,
        on=dt.date(2026, 11, 1),
    )
    withdrawn = _make(demo, "funder")
    assert quote.text[:40] not in withdrawn.html


def test_a_period_with_no_data_is_refused_and_nothing_written(demo):
    before = ReportRun.objects.count()
    with pytest.raises(ValidationError) as error:
        _make(demo, start=dt.date(2001, 1, 1), end=dt.date(2001, 12, 31))
    assert "There is nothing to report from 01 January 2001" in error.value.message_dict["start"][0]
    assert ReportRun.objects.count() == before


def test_asking_for_a_report_in_the_page_shows_it_when_ready(demo, client_for):
    client = client_for("board")
    response = client.post(
        reverse("learning:reports"), {"kind": "board", "start": "2025-09-01", "end": "2030-01-01"}
    )
    run = ReportRun.objects.latest("created_at")
    assert response.url == reverse("learning:report", args=[run.pk])
    page = client.get(response.url).content.decode()
    assert "Download the PDF" in page and "At a glance" in page
    pdf = client.get(reverse("learning:report-pdf", args=[run.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    bad = client.post(
        reverse("learning:reports"), {"kind": "board", "start": "2001-01-01", "end": "2001-02-01"}
    )
    assert "There is nothing to report" in bad.content.decode()
    assert 'href="#id_start"' in bad.content.decode()


def test_partners_read_reports_but_do_not_ask_for_them(demo, client_for):
    response = client_for("partner").post(
        reverse("learning:reports"), {"kind": "board", "start": "2025-09-01", "end": "2030-01-01"}
    )
    assert response.status_code == 403


def test_another_app_adds_a_section(demo):
    def build(scope):
        return SectionContent(
            "test_commitments",
            "Keeping our word",
            tables=[Table("Commitments", ["Status", "Count"], [["Kept", "10"]])],
        )

    register(ReportSection("test_commitments", "Keeping our word", build), reports={"board": 60})
    try:
        run = _make(demo)
        text = _pdf_text(run)
        assert (
            text.index("How people are doing")
            < text.index("Keeping our word")
            < text.index("What we learned")
        )
    finally:
        REPORTS["board"].pop("test_commitments")


def test_a_report_is_made_in_the_background_with_progress_shown(demo, client_for, settings):
    from hct.core.jobs import work
    from hct.core.models import Job

    settings.HCT_JOBS_INLINE = False
    client = client_for("facilitator")
    response = client.post(
        reverse("learning:reports"), {"kind": "funder", "start": "2025-09-01", "end": "2030-01-01"}
    )
    page = client.get(response.url).content.decode()
    assert "Waiting to start" in page and "% done" in page
    assert work(once=True) == 1
    run = ReportRun.objects.latest("created_at")
    job = Job.objects.get(pk=run.job_id)
    assert (run.status, job.status, job.progress, job.total) == (
        "done",
        "done",
        job.total,
        job.total,
    )
    assert "Download the PDF" in client.get(response.url).content.decode()


def test_a_lesson_that_names_someone_is_reported_without_the_name(demo):
    from hct.learning import services

    services.lesson_create(
        actor=demo.users["facilitator"],
        cycle=demo.first_cycle,
        tried="Walking Sam's journey with him",
        happened="h",
        learned="Sam (not his real name) saw the gaps first; Samuel at the café helped too",
        differently="Ask SAM what he thinks",
    )
    run = _make(demo)
    assert "[someone] saw the gaps first; Samuel at the café helped too" in run.html
    assert "Ask [someone] what he thinks" in run.html
    assert "Sam " not in _pdf_text(run)


def test_the_command_line_writes_a_report_and_the_open_data(demo, tmp_path, capsys):
    from django.core.management import call_command

    out = tmp_path / "board.pdf"
    call_command(
        "learning_report",
        "--kind",
        "board",
        "--from",
        "2025-09-01",
        "--to",
        "2030-01-01",
        "--output",
        str(out),
    )
    assert "At a glance" in PdfReader(str(out)).pages[0].extract_text()
    capsys.readouterr()
    call_command("open_data", "--format", "csv")
    assert capsys.readouterr().out.startswith("neighbourhood,neighbourhood_slug,")
