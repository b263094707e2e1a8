"""Journeys out (JSON, CSV) and in (an upload checked whole, then written by a background job)."""

import uuid
from pathlib import Path

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from hct.core.access import roles_required
from hct.core.jobs import job_enqueue
from hct.core.roles import Role
from hct.core.services import audit_record
from hct.journeys import exchange, selectors
from hct.journeys.forms import ImportForm
from hct.journeys.jobs import upload_dir
from hct.journeys.models import Journey
from hct.journeys.views.common import journey_for

MAX_UPLOAD = 20 * 1024 * 1024


def _export(request, journeys, name: str):
    wanted = request.GET.get("format", "json")
    named = set(journeys.filter(person__facilitators=request.user).values_list("pk", flat=True))

    def sees_private(journey):
        return journey.pk in named

    if wanted == "csv":
        body = exchange.export_csv(journeys, sees_private=sees_private)
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    else:
        body = exchange.export_json(journeys, sees_private=sees_private)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    audit_record(
        actor=request.user,
        verb="journeys.export",
        subject_type="journeys.journey",
        details={"journeys": journeys.count(), "format": wanted},
    )
    return response


@roles_required(Role.FACILITATOR)
def journey_export(request, pk):
    journey, _ = journey_for(request, pk, need="sees_story")
    return _export(request, Journey.objects.filter(pk=journey.pk), f"journey-{journey.uuid}")


@roles_required(Role.FACILITATOR)
def journeys_export(request):
    return _export(request, selectors.journeys_visible(request.user), "journeys")


@roles_required(Role.FACILITATOR)
def journeys_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        name = Path(upload.name).name
        content = b""
        if upload.size > MAX_UPLOAD:
            form.add_error("file", "The file is larger than 20 MB")
        else:
            content = upload.read()
            try:
                exchange.check(
                    exchange.read_file(content, file=name), actor=request.user, file=name
                )
            except exchange.ImportProblem as problem:
                form.add_error("file", f"{problem}. Nothing was imported.")
        if not form.errors:
            path = upload_dir() / f"{uuid.uuid4()}{Path(name).suffix.lower()}"
            path.write_bytes(content)
            job = job_enqueue(
                actor=request.user,
                kind="journeys.import",
                params={"path": str(path), "name": name},
            )
            return redirect("core:job", job_id=job.pk)
    return render(
        request,
        "journeys/import.html",
        {
            "form": form,
            "breadcrumbs": [
                ("Home", reverse("core:home")),
                ("Journeys", reverse("journeys:list")),
                ("Import", None),
            ],
        },
    )
