import uuid

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from hct.core.access import deny, roles_required
from hct.core.formviews import form_page
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


@roles_required(ALL_ROLES)
def find_help(request):
    """Search the directory: a plain GET form and a table, so it works without JavaScript."""
    terms = selectors.term_tree()
    data = None
    if request.GET:
        data = request.GET.copy()
        data.setdefault("show", "all")
    form = FindHelpForm(data, terms=terms)
    result = _found(request, form, terms)
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


def _found(request, form, terms):
    """The page of services the search asks for; everything when nothing was asked; None when
    the search has something wrong (shown on the form)."""
    if not form.is_bound:
        return selectors.find_help(selectors.HelpQuery())
    if not form.is_valid():
        return None
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
    return selectors.find_help(query, page=page)


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


def _import_start(request, data):
    upload = data["file"]
    run = services.import_run_create(
        actor=request.user,
        file_name=upload.name,
        content=upload.read(),
        valid_only=data["valid_only"],
        kind=data["kind"],
    )
    job = job_enqueue(actor=request.user, kind=IMPORT_JOB, params={"run": run.pk})
    services.import_run_attach_job(run=run, job_id=job.pk)
    return job


@roles_required(IMPORTERS)
def import_upload(request):
    posted = request.method == "POST"
    return form_page(
        request,
        ImportForm(request.POST if posted else None, request.FILES if posted else None),
        save=lambda data: _import_start(request, data),
        done=None,  # the job's page shows the import as it runs
        next_url=lambda job: reverse("core:job", args=[job.pk]),
        template="directory/import.html",
        context={
            "runs": selectors.import_runs_for(request.user)[:20],
            "breadcrumbs": _crumbs(("Import ORUK data", None)),
        },
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


def _asset_create(request, data):
    openings = []
    if data["days"]:
        openings.append(
            Opening(days=data["days"], opens_at=data["opens_at"], closes_at=data["closes_at"])
        )
    return services.community_asset_create(
        actor=request.user,
        name=data["name"],
        description=data["description"],
        run_by=data["run_by"],
        place_name=data["place_name"],
        lsoa=data["lsoa"],
        terms=list(data["categories"]),
        openings=openings,
    )


@roles_required(IMPORTERS)
def community_asset_create(request):
    lsoas = selectors.lsoas_in(neighbourhoods_in_scope(request.user))
    return form_page(
        request,
        CommunityAssetForm(request.POST if request.method == "POST" else None, lsoas=lsoas),
        save=lambda data: _asset_create(request, data),
        done=lambda service: f"{service.name} is in the directory.",
        next_url=lambda service: reverse("directory:service", args=[service.id]),
        template="directory/asset_form.html",
        context={"breadcrumbs": _crumbs(("Add a community asset", None))},
    )
