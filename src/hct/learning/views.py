"""Learning pages: field notes and the learning log (facilitators write; partners and the board
read the lessons), well-being checks, neighbourhoods side by side, reports and open data."""

import hashlib
import json

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from hct.core.access import deny, public, roles_required
from hct.core.disclosure import publish_count
from hct.core.forms import add_service_errors
from hct.core.models import Job
from hct.core.roles import Role
from hct.core.services import audit_record
from hct.journeys import selectors as journey_selectors
from hct.learning import cycle_status, opendata, reports, selectors, services, themes
from hct.learning.figures import Period, figures_for
from hct.learning.forms import (
    AssetFoundForm,
    FieldNoteForm,
    LessonForm,
    MapChangeForm,
    PeriodForm,
    ReportForm,
    WellbeingForm,
)
from hct.learning.models import ReportRun
from hct.learning.present import side_by_side as publish_side_by_side
from hct.learning.scenarios import scenarios_run
from hct.partnership.selectors import partnerships_for
from hct.people.selectors import person_access, person_get

F, P, B = Role.FACILITATOR, Role.PARTNER, Role.BOARD
READERS = (F, P, B)
REPORTERS = (F, B)


def _crumbs(*more):
    return [("Home", reverse("core:home")), ("Learning", reverse("learning:home")), *more]


def _cycle_or_deny(request, pk: int):
    cycle = selectors.cycle_get(request.user, pk)
    if cycle is None:
        from hct.partnership.models import Cycle

        if not Cycle.objects.filter(pk=pk).exists():
            raise Http404("No such cycle")
        raise deny(request, "cycle not in scope")
    return cycle


@roles_required(READERS)
def home(request):
    return render(
        request,
        "learning/home.html",
        {
            "cycles": list(selectors.cycles_visible(request.user)),
            "breadcrumbs": [("Home", reverse("core:home")), ("Learning", None)],
        },
    )


@roles_required(READERS)
def cycle_detail(request, pk):
    cycle = _cycle_or_deny(request, pk)
    lines = cycle_status.cycle_status(cycle, exact=request.user.role == F)
    return render(
        request,
        "learning/cycle.html",
        {
            "cycle": cycle,
            "status": cycle_status.grouped(lines),
            "slippage": cycle_status.slippage(cycle),
            "earlier": selectors.lessons_before(cycle),
            "listen_for": themes.to_look_for(
                themes.themes_across(
                    selectors.neighbourhoods_compared(request.user), _partnership_ids(request)
                ),
                cycle.neighbourhood,
            ),
            "lessons": selectors.lessons_of(cycle),
            "field_notes": list(selectors.field_notes_of(cycle)) if request.user.role == F else [],
            "breadcrumbs": _crumbs((str(cycle), None)),
        },
    )


# The version moves on every save or delete; this bounds how long a bulk write goes unseen.
CYCLES_SECONDS = 10 * 60


@roles_required(READERS)
def cycles_running(request):
    """Every cycle the user may see, side by side: stage, dates, slippage against the plan and
    where each stands (`cycle_status`), in a constant number of queries. The page below its
    heading is kept per version of what it is made from (one query), for facilitators (exact
    counts) and for everyone else (counts of people through disclosure control)."""
    cycles = selectors.cycles_running(request.user)
    facilitator = request.user.role == F
    version = cycle_status.cycles_version(cycles)
    body = ""
    if version is not None:
        digest = hashlib.sha256(version.encode(), usedforsecurity=False).hexdigest()
        key = f"learning:cycles:{int(facilitator)}:{digest}"
        body = cache.get(key)
        if body is None:
            compared = cycle_status.cycles_compared(list(cycles), exact=facilitator)
            body = render_to_string(
                "learning/_cycles_body.html", {"compared": compared, "facilitator": facilitator}
            )
            cache.set(key, body, timeout=CYCLES_SECONDS)
    return render(
        request,
        "learning/cycles.html",
        {
            "any": version is not None,
            # Rendered by our own template, every value escaped.
            "body": mark_safe(body),  # noqa: S308
            "breadcrumbs": _crumbs(("Every cycle running", None)),
        },
    )


@roles_required(F)
def field_note_create(request, pk):
    cycle = _cycle_or_deny(request, pk)
    form = FieldNoteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            note = services.field_note_create(actor=request.user, cycle=cycle, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The field note is saved. Add the assets you found.")
            return redirect("learning:field-note", pk=note.pk)
    return render(
        request,
        "learning/field_note_form.html",
        {
            "form": form,
            "cycle": cycle,
            "breadcrumbs": _crumbs(
                (str(cycle), reverse("learning:cycle", args=[cycle.pk])), ("New field note", None)
            ),
        },
    )


def _field_note_or_deny(request, pk: int):
    note = selectors.field_note_get(pk)
    if note is None:
        raise Http404("No such field note")
    if selectors.cycle_get(request.user, note.cycle_id) is None:
        raise deny(request, "field note not in scope")
    return note


@roles_required(F)
def field_note_detail(request, pk):
    note = _field_note_or_deny(request, pk)
    return render(
        request,
        "learning/field_note.html",
        {
            "note": note,
            "breadcrumbs": _crumbs(
                (str(note.cycle), reverse("learning:cycle", args=[note.cycle_id])),
                (str(note), None),
            ),
        },
    )


@roles_required(F)
def asset_add(request, pk):
    note = _field_note_or_deny(request, pk)
    lsoas = note.cycle.neighbourhood.lsoas.select_related("ward").order_by("ward__name", "name")
    form = AssetFoundForm(request.POST if request.method == "POST" else None, lsoas=lsoas)
    if request.method == "POST" and form.is_valid():
        try:
            asset = services.asset_found_add(
                actor=request.user, field_note=note, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            where = [
                w
                for w, done in (
                    ("the directory", asset.service_id),
                    ("the system map", asset.system_actor_id),
                )
                if done
            ]
            messages.success(
                request,
                f"{asset.name} is recorded"
                + (f" and added to {' and '.join(where)}." if where else "."),
            )
            return redirect("learning:field-note", pk=note.pk)
    return render(
        request,
        "learning/asset_form.html",
        {
            "form": form,
            "note": note,
            "breadcrumbs": _crumbs(
                (str(note.cycle), reverse("learning:cycle", args=[note.cycle_id])),
                (str(note), reverse("learning:field-note", args=[note.pk])),
                ("Add an asset", None),
            ),
        },
    )


@roles_required(F)
def lesson_create(request, pk):
    cycle = _cycle_or_deny(request, pk)
    choices = services.evidence_choices(cycle)
    form = LessonForm(request.POST if request.method == "POST" else None, evidence_choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            services.lesson_create(actor=request.user, cycle=cycle, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The lesson is in the learning log.")
            return redirect("learning:cycle", pk=cycle.pk)
    return render(
        request,
        "learning/lesson_form.html",
        {
            "form": form,
            "cycle": cycle,
            "earlier": selectors.lessons_before(cycle),
            "breadcrumbs": _crumbs(
                (str(cycle), reverse("learning:cycle", args=[cycle.pk])), ("New lesson", None)
            ),
        },
    )


def _person_to_edit(request, person_pk: int):
    try:
        person = person_get(person_pk)
    except Exception:
        raise Http404("No such person") from None
    if not person_access(request.user, person).can_edit:
        raise deny(request, "not a named facilitator")
    return person


@roles_required(F)
def wellbeing_record(request, person_pk):
    person = _person_to_edit(request, person_pk)
    baseline = selectors.wellbeing_baseline(person)
    initial = {"wave": "follow_up" if baseline else "baseline"}
    form = WellbeingForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("consent")
        try:
            services.wellbeing_record(actor=request.user, person=person, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{person.alias}'s answers are recorded.")
            return redirect("people:detail", pk=person.pk)
    return render(
        request,
        "learning/wellbeing_form.html",
        {
            "form": form,
            "person": person,
            "baseline": baseline,
            "breadcrumbs": [
                ("Home", reverse("core:home")),
                ("People", reverse("people:list")),
                (person.alias, reverse("people:detail", args=[person.pk])),
                ("How they are doing", None),
            ],
        },
    )


@roles_required(F)
@require_POST
def wellbeing_withdraw(request, person_pk):
    person = _person_to_edit(request, person_pk)
    removed = services.wellbeing_withdraw(actor=request.user, person=person)
    messages.success(
        request, f"{removed} well-being answers of {person.alias} are removed from every figure."
    )
    return redirect("people:detail", pk=person.pk)


def _period(request, neighbourhoods) -> tuple[PeriodForm, Period]:
    start, end = selectors.default_period(neighbourhoods)
    form = PeriodForm(request.GET or None, initial={"start": start, "end": end})
    if request.GET and form.is_valid():
        start = form.cleaned_data.get("start") or start
        end = form.cleaned_data.get("end") or end
    return form, Period(start, end)


@roles_required(READERS)
def side_by_side(request):
    neighbourhoods = selectors.neighbourhoods_compared(request.user)
    form, period = _period(request, neighbourhoods)
    published = publish_side_by_side(figures_for(neighbourhoods, period), period)
    return render(
        request,
        "learning/side_by_side.html",
        {
            "form": form,
            "side": published,
            "scenarios": scenarios_run(neighbourhoods, partnerships_for(request.user), period),
            "breadcrumbs": _crumbs(("Neighbourhoods side by side", None)),
        },
    )


@roles_required(READERS)
def map_change(request):
    """For one neighbourhood, what changed between two system-map snapshots: links repaired,
    links still missing (counts through disclosure control, like every figure here)."""
    snapshots = selectors.snapshots_for(
        selectors.neighbourhoods_compared(request.user), request.user
    )
    form = MapChangeForm(request.GET or None, snapshots=snapshots)
    repairs = counts = None
    if request.GET and form.is_valid():
        try:
            repairs = selectors.map_repairs(
                form.cleaned_data["earlier"], form.cleaned_data["later"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            counts = [
                ("Links repaired", publish_count(len(repairs.repaired))),
                ("Links still missing or broken", publish_count(len(repairs.still_missing))),
            ]
    return render(
        request,
        "learning/map_change.html",
        {
            "form": form,
            "has_snapshots": snapshots.exists(),
            "repairs": repairs,
            "counts": counts,
            "breadcrumbs": _crumbs(
                ("Neighbourhoods side by side", reverse("learning:side-by-side")),
                ("What changed on the map", None),
            ),
        },
    )


@roles_required(READERS)
def themes_page(request):
    """What we keep hearing; narrowed, if asked, to the quotes of stories their tellers placed
    one way on a signifier, when enough stories were placed that way that nobody is given away."""
    neighbourhoods = selectors.neighbourhoods_compared(request.user)
    signifiers = journey_selectors.signifiers_visible(request.user)
    meaning = request.GET.get("meaning", "")
    stories, meaning_label = journey_selectors.stories_meaning(signifiers, meaning)
    too_few = stories is not None and publish_count(stories.count()).suppressed
    story_ids = None if stories is None or too_few else list(stories.values_list("pk", flat=True))
    found = (
        []
        if too_few
        else themes.themes_across(neighbourhoods, _partnership_ids(request), story_ids)
    )
    return render(
        request,
        "learning/themes.html",
        {
            "meanings": journey_selectors.meaning_choices(signifiers),
            "meaning": meaning if meaning_label else "",
            "meaning_label": meaning_label,
            "too_few": too_few,
            "themes": found,
            "look_for": [(n, themes.to_look_for(found, n)) for n in neighbourhoods],
            "breadcrumbs": _crumbs(("What we keep hearing", None)),
        },
    )


def _partnership_ids(request) -> list[int]:
    """What the reader hears from: their own partnerships' passages (every one, for operators)."""
    return list(partnerships_for(request.user).values_list("pk", flat=True))


@roles_required(READERS)
def report_list(request):
    partnerships = list(partnerships_for(request.user).order_by("name"))
    partnership = partnerships[0] if partnerships else None
    form = None
    if request.user.role in REPORTERS and partnership is not None:
        start, end = selectors.default_period(reports.report_neighbourhoods(partnership))
        form = ReportForm(
            request.POST if request.method == "POST" else None,
            initial={"kind": ReportRun.Kind.BOARD, "start": start, "end": end},
        )
        if request.method == "POST" and form.is_valid():
            try:
                run = reports.report_request(
                    actor=request.user, partnership=partnership, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("learning:report", pk=run.pk)
    elif request.method == "POST":
        raise deny(request, "may not ask for reports")
    runs = (
        ReportRun.objects.filter(partnership__in=partnerships)
        .defer("html", "pdf")
        .select_related("created_by")[:20]
    )
    return render(
        request,
        "learning/reports.html",
        {
            "form": form,
            "runs": runs,
            "partnership": partnership,
            "breadcrumbs": _crumbs(("Reports", None)),
        },
    )


def _run_or_deny(request, pk) -> ReportRun:
    run = ReportRun.objects.select_related("partnership").filter(pk=pk).first()
    if run is None:
        raise Http404("No such report")
    if not partnerships_for(request.user).filter(pk=run.partnership_id).exists():
        raise deny(request, "report of another partnership")
    return run


@roles_required(READERS)
def report_detail(request, pk):
    run = _run_or_deny(request, pk)
    job = Job.objects.filter(pk=run.job_id).first() if run.job_id else None
    return render(
        request,
        "learning/report.html",
        {
            "run": run,
            "job": job,
            "breadcrumbs": _crumbs(
                ("Reports", reverse("learning:reports")), (run.get_kind_display(), None)
            ),
        },
    )


@roles_required(READERS)
def report_pdf(request, pk):
    run = _run_or_deny(request, pk)
    if run.status != ReportRun.Status.DONE or not run.pdf:
        raise Http404("This report is not ready")
    audit_record(actor=request.user, verb="learning.report.download", subject=run)
    response = HttpResponse(bytes(run.pdf), content_type="application/pdf")
    name = f"hct-{run.kind}-report-{run.period_start}-{run.period_end}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@public
def open_data(request):
    side, period = opendata.published()
    return render(
        request,
        "learning/open_data.html",
        {
            "side": side,
            "period": period,
            "dictionary": opendata.dictionary(),
            "disclosure": opendata.DISCLOSURE,
            "breadcrumbs": [("Home", reverse("core:home")), ("Open data", None)],
        },
    )


@public
def open_data_csv(request):
    side, _ = opendata.published()
    response = HttpResponse(opendata.as_csv(side), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="hct-neighbourhoods.csv"'
    return response


@public
def open_data_json(request):
    side, period = opendata.published()
    return HttpResponse(
        json.dumps(opendata.as_json(side, period), ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
