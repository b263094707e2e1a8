import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from hct.core.access import deny, roles_required
from hct.core.jobs import job_enqueue
from hct.core.roles import ALL_ROLES, Role
from hct.directory import selectors, services
from hct.directory.forms import CommunityAssetForm, FindHelpForm, ImportForm
from hct.directory.jobs import IMPORT_JOB
from hct.directory.services import Opening
from hct.partnership.selectors import neighbourhoods_in_scope

IMPORTERS = (Role.FACILITATOR, Role.ADMIN)


def _crumbs(*more):
    return [("Home", reverse("core:home")), ("Find help", reverse("directory:find")), *more]


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@roles_required(ALL_ROLES)
def find_help(request):
    """Search the directory: a plain GET form and a table, so it works without JavaScript."""
    terms = selectors.term_tree()
    data = None
    if request.GET:
        data = request.GET.copy()
        data.setdefault("show", "all")
    form = FindHelpForm(data, terms=terms)
    result = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        term = None
        if data["category"]:
            term = next((c.term for c in terms if str(c.term.id) == data["category"]), None)
        query = selectors.HelpQuery(
            text=data["q"].strip(),
            neighbourhood=data["neighbourhood"],
            term=term,
            open_on=data["open_on"],
            open_at=data["open_at"],
            near=data["near"],
            show=data["show"] or "all",
        )
        try:
            page = int(request.GET.get("page", "1"))
        except ValueError:
            page = 1
        result = selectors.find_help(query, page=page)
    elif not form.is_bound:
        result = selectors.find_help(selectors.HelpQuery())
    query_string = request.GET.copy()
    query_string.pop("page", None)
    return render(
        request,
        "directory/find_help.html",
        {
            "form": form,
            "result": result,
            "query_string": query_string.urlencode(),
            "can_add_asset": request.user.role in IMPORTERS,
            "can_import": request.user.role in IMPORTERS,
            "breadcrumbs": [("Home", reverse("core:home")), ("Find help", None)],
        },
    )


@roles_required(ALL_ROLES)
def service_detail(request, service_id: uuid.UUID):
    detail = selectors.service_detail(service_id)
    if detail is None:
        raise Http404("No such service")
    return render(
        request,
        "directory/service.html",
        {
            "detail": detail,
            "service": detail.service,
            "breadcrumbs": _crumbs((detail.service.name, None)),
        },
    )


@roles_required(IMPORTERS)
def import_upload(request):
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            run = services.import_run_create(
                actor=request.user,
                file_name=upload.name,
                content=upload.read(),
                valid_only=form.cleaned_data["valid_only"],
                kind=form.cleaned_data["kind"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            job = job_enqueue(actor=request.user, kind=IMPORT_JOB, params={"run": run.pk})
            services.import_run_attach_job(run=run, job_id=job.pk)
            return redirect("core:job", job_id=job.pk)
    runs = selectors.import_runs_for(request.user)[:20]
    return render(
        request,
        "directory/import.html",
        {"form": form, "runs": runs, "breadcrumbs": _crumbs(("Import ORUK data", None))},
    )


@roles_required(IMPORTERS)
def import_run(request, pk: int):
    run = selectors.import_run_get(pk)
    if run is None:
        raise Http404("No such import")
    if run.created_by_id != request.user.pk and request.user.role != Role.ADMIN:
        raise deny(request, "not your import")
    return render(
        request,
        "directory/import_run.html",
        {
            "run": run,
            "counts": selectors.import_counts(run.summary),
            "breadcrumbs": _crumbs(
                ("Import ORUK data", reverse("directory:import")), (run.file_name, None)
            ),
        },
    )


@roles_required(IMPORTERS)
def community_asset_create(request):
    lsoas = selectors.lsoas_in(neighbourhoods_in_scope(request.user))
    form = CommunityAssetForm(request.POST if request.method == "POST" else None, lsoas=lsoas)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        openings = []
        if data["days"]:
            openings.append(
                Opening(days=data["days"], opens_at=data["opens_at"], closes_at=data["closes_at"])
            )
        try:
            service = services.community_asset_create(
                actor=request.user,
                name=data["name"],
                description=data["description"],
                run_by=data["run_by"],
                place_name=data["place_name"],
                lsoa=data["lsoa"],
                terms=list(data["categories"]),
                openings=openings,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"{service.name} is in the directory.")
            return redirect("directory:service", service_id=service.id)
    return render(
        request,
        "directory/asset_form.html",
        {"form": form, "breadcrumbs": _crumbs(("Add a community asset", None))},
    )
