"""Board and funder reports: asked for in a page, built in the background (section by section,
with progress shown), kept as HTML and as a PDF (WeasyPrint)."""

import base64
import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from hct.core.jobs import JobError, job_enqueue, job_handler
from hct.core.models import User
from hct.core.pdf import render_pdf as render_tagged_pdf
from hct.core.services import audit_record
from hct.learning.figures import Period, has_data
from hct.learning.models import ReportRun
from hct.learning.reports.sections import ReportScope, SectionContent, sections_of
from hct.partnership.models import Cycle, Partnership
from hct.places.models import Neighbourhood

JOB_KIND = "learning.report"
ERROR_NO_DATA = (
    "There is nothing to report from {start} to {end}: no one was heard, no gaps, field notes, "
    "lessons or well-being answers were recorded. Choose another period."
)
ERROR_NO_CYCLES = "This partnership has no cycles yet, so there is nothing to report"


def report_neighbourhoods(partnership: Partnership) -> list[Neighbourhood]:
    seen: dict[int, Neighbourhood] = {}
    for cycle in (
        Cycle.objects.filter(partnership=partnership)
        .select_related("neighbourhood")
        .order_by("number")
    ):
        seen.setdefault(cycle.neighbourhood_id, cycle.neighbourhood)
    return list(seen.values())


def report_scope(partnership: Partnership, start: dt.date, end: dt.date) -> ReportScope:
    return ReportScope(partnership, report_neighbourhoods(partnership), Period(start, end))


def build_sections(kind: str, scope: ReportScope, report=None) -> list[SectionContent]:
    sections = sections_of(kind)
    built = []
    for index, section in enumerate(sections):
        if report is not None:
            report(index, len(sections) + 1, f"Working out: {section.title}")
        built.append(section.build(scope))
    return built


def render_html(run: ReportRun, sections: list[SectionContent]) -> str:
    return render_to_string("learning/report/_body.html", {"run": run, "sections": sections})


# A chart in the report body: the named picture around vl-convert's SVG (`_body.html`).
CHART = re.compile(r'<div role="img" aria-label="([^"]*)">\s*(<svg\b.*?</svg>)\s*</div>', re.S)


def _chart_as_image(chart: re.Match) -> str:
    import vl_convert

    png = base64.b64encode(vl_convert.svg_to_png(chart.group(2), scale=2)).decode("ascii")
    return f'<img class="hct-chart-image" alt="{chart.group(1)}" src="data:image/png;base64,{png}">'


def render_pdf(run: ReportRun, body: str) -> bytes:
    """The report as a tagged PDF that fetches nothing from outside (`hct.core.pdf`).

    Each chart goes in as a picture drawn by resvg (vl-convert's, at twice the size for print),
    named as on the page: WeasyPrint draws an SVG node by node (gridlines, ticks, labels, a few
    hundred in a report), which was more than half the PDF's time; resvg takes milliseconds."""
    body = CHART.sub(_chart_as_image, body)
    document = render_to_string(
        "learning/report/pdf.html", {"run": run, "body": body, "made": timezone.now()}
    )
    return render_tagged_pdf(document)


@transaction.atomic
def report_request(
    *, actor: User | None, partnership: Partnership, kind: str, start: dt.date, end: dt.date
) -> ReportRun:
    """Ask for a report; it is built in the background. A period with nothing in it is refused
    before anything is written."""
    kind = ReportRun.Kind(kind)
    scope = report_scope(partnership, start, end)
    if not scope.neighbourhoods:
        raise ValidationError(ERROR_NO_CYCLES)
    if not has_data(scope.figures):
        raise ValidationError(
            {"start": ERROR_NO_DATA.format(start=f"{start:%d %B %Y}", end=f"{end:%d %B %Y}")}
        )
    run = ReportRun(
        partnership=partnership,
        kind=kind,
        period_start=start,
        period_end=end,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    run.full_clean()
    run.save()
    audit_record(
        actor=actor, verb="learning.report.request", subject=run, details={"kind": kind.value}
    )
    # Queued in the same transaction as the run: a worker sees both or neither.
    job = job_enqueue(actor=actor, kind=JOB_KIND, params={"run": str(run.pk)})
    ReportRun.objects.filter(pk=run.pk).update(job_id=job.pk)
    run.refresh_from_db()
    return run


def report_generate(run: ReportRun, report=None) -> ReportRun:
    scope = report_scope(run.partnership, run.period_start, run.period_end)
    sections = build_sections(run.kind, scope, report)
    if report is not None:
        report(len(sections), len(sections) + 1, "Making the PDF")
    html = render_html(run, sections)
    pdf = render_pdf(run, html)
    if report is not None:
        report(len(sections) + 1, len(sections) + 1, "The report is ready")
    with transaction.atomic():
        run.html, run.pdf, run.status = html, pdf, ReportRun.Status.DONE
        run.save(update_fields=["html", "pdf", "status"])
    return run


@job_handler(JOB_KIND)
def _report_job(params: dict, *, report, actor) -> dict:
    from django.urls import reverse

    run = ReportRun.objects.select_related("partnership").filter(pk=params["run"]).first()
    if run is None:
        raise JobError("The report asked for is no longer there")
    try:
        report_generate(run, report)
    except Exception:
        ReportRun.objects.filter(pk=run.pk).update(status=ReportRun.Status.FAILED)
        raise
    return {"url": reverse("learning:report", args=[run.pk]), "link_text": "Read the report"}
