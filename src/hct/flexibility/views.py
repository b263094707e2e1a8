"""Flexible services: describe a service's waiting list, run scenarios, compare them side by
side, export, import, and cite a scenario as evidence. Facilitators and partners write; the
board reads."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from hct.core.access import deny, roles_required
from hct.core.forms import add_service_errors
from hct.core.roles import SCENARIO_WRITERS, Role
from hct.flexibility import exchange, present, selectors, services
from hct.flexibility.forms import (
    DESCRIPTION_FIELDS,
    CiteForm,
    DescriptionForm,
    ImportForm,
    ScenarioForm,
    ServiceForm,
)
from hct.flexibility.models import Scenario, Service
from hct.partnership.models import Partner
from hct.partnership.selectors import neighbourhoods_in_scope, partnerships_for

F, P, B = Role.FACILITATOR, Role.PARTNER, Role.BOARD
READERS = (F, P, B)
WRITERS = SCENARIO_WRITERS


def _crumbs(*more):
    return [
        ("Home", reverse("core:home")),
        ("Flexible services", reverse("flexibility:home")),
        *more,
    ]


def _service_or_deny(request, pk: int) -> Service:
    service = selectors.service_get(request.user, pk)
    if service is None:
        if not Service.objects.filter(pk=pk).exists():
            raise Http404("No such service")
        raise deny(request, "service not in scope")
    return service


def _scenario_or_deny(request, pk: int) -> Scenario:
    scenario = selectors.scenario_get(request.user, pk)
    if scenario is None:
        if not Scenario.objects.filter(pk=pk).exists():
            raise Http404("No such scenario")
        raise deny(request, "scenario not in scope")
    return scenario


def _figures(data: dict) -> services.Figures:
    return services.Figures(**{name: data[name] for name in DESCRIPTION_FIELDS})


def _writable_neighbourhoods(user):
    return (
        neighbourhoods_in_scope(user)
        .filter(cycles__partnership__in=partnerships_for(user))
        .distinct()
    )


@roles_required(READERS)
def home(request):
    visible = selectors.services_visible(request.user)
    gaps = [
        (n, selectors.inflexible_appointments(n)) for n in _writable_neighbourhoods(request.user)
    ]
    return render(
        request,
        "flexibility/home.html",
        {
            "services": list(visible),
            "by_neighbourhood": selectors.scenarios_by_neighbourhood(
                neighbourhoods_in_scope(request.user)
            ),
            "gaps": gaps,
            "may_write": request.user.role in WRITERS,
            "breadcrumbs": [*_crumbs()[:-1], ("Flexible services", None)],
        },
    )


@roles_required(WRITERS)
def service_create(request):
    neighbourhoods = _writable_neighbourhoods(request.user)
    partners = Partner.objects.filter(partnership__in=partnerships_for(request.user))
    from_gaps = request.GET.get("from_gaps", "") or request.POST.get("from_gaps", "")
    form = ServiceForm(
        request.POST or None,
        neighbourhoods=neighbourhoods,
        partners=partners,
        initial={"neighbourhood": request.GET.get("neighbourhood")},
    )
    if request.method == "POST" and form.is_valid():
        neighbourhood = form.cleaned_data["neighbourhood"]
        partnership = partnerships_for(request.user).filter(cycles__neighbourhood=neighbourhood)[0]
        try:
            service = services.service_describe(
                actor=request.user,
                partnership=partnership,
                neighbourhood=neighbourhood,
                name=form.cleaned_data["name"],
                runs_it=form.cleaned_data["runs_it"],
                figures=_figures(form.cleaned_data),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if from_gaps:
                Scenario.objects.filter(description__service=service).update(
                    from_gaps=selectors.inflexible_appointments(neighbourhood).display
                )
            messages.success(request, f"{service.name} described")
            return redirect("flexibility:service", service.pk)
    gap_count = None
    if from_gaps and request.GET.get("neighbourhood"):
        chosen = neighbourhoods.filter(pk=request.GET.get("neighbourhood")).first()
        if chosen is not None:
            gap_count = (chosen, selectors.inflexible_appointments(chosen))
    return render(
        request,
        "flexibility/service_form.html",
        {
            "form": form,
            "from_gaps": from_gaps,
            "gap_count": gap_count,
            "title": "Describe a service",
            "breadcrumbs": _crumbs(("Describe a service", None)),
        },
    )


@roles_required(READERS)
def service_detail(request, pk):
    service = _service_or_deny(request, pk)
    description = selectors.latest_description(service)
    scenarios = selectors.scenarios_of(description) if description else []
    today = scenarios[0] if scenarios else None
    return render(
        request,
        "flexibility/service.html",
        {
            "service": service,
            "description": description,
            "versions": list(service.versions.order_by("-number")),
            "scenarios": scenarios,
            "summaries": [(s, present.summary(s, today)) for s in scenarios if s.has_results],
            "overload": services.scenario_overload(today) if today else None,
            "may_write": request.user.role in WRITERS,
            "breadcrumbs": _crumbs((service.name, None)),
        },
    )


@roles_required(WRITERS)
def service_revise(request, pk):
    service = _service_or_deny(request, pk)
    latest = selectors.latest_description(service)
    initial = {name: getattr(latest, name) for name in DESCRIPTION_FIELDS} if latest else {}
    initial.pop("described_on", None)
    form = DescriptionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            description = services.description_revise(
                actor=request.user, service=service, figures=_figures(form.cleaned_data)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Version {description.number} written")
            return redirect("flexibility:service", service.pk)
    return render(
        request,
        "flexibility/service_form.html",
        {
            "form": form,
            "title": f"A new version of {service.name}",
            "breadcrumbs": _crumbs(
                (service.name, reverse("flexibility:service", args=[service.pk])),
                ("New version", None),
            ),
        },
    )


@roles_required(WRITERS)
def service_import(request):
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        neighbourhoods=_writable_neighbourhoods(request.user),
    )
    if request.method == "POST" and form.is_valid():
        neighbourhood = form.cleaned_data["neighbourhood"]
        partnership = partnerships_for(request.user).filter(cycles__neighbourhood=neighbourhood)[0]
        try:
            name, figures = exchange.service_from_json(form.cleaned_data["file"].read())
            service = services.service_describe(
                actor=request.user,
                partnership=partnership,
                neighbourhood=neighbourhood,
                name=name,
                runs_it=None,
                figures=figures,
            )
        except ValidationError as error:
            _import_errors(form, error)
        else:
            messages.success(request, f"{service.name} imported")
            return redirect("flexibility:service", service.pk)
    return render(
        request,
        "flexibility/import.html",
        {"form": form, "breadcrumbs": _crumbs(("Import a service", None))},
    )


def _import_errors(form, error: ValidationError) -> None:
    # The file's fields are not the form's: name each in the message, on the file field.
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            for problem in problems:
                form.add_error("file", problem if field == "file" else f"{field}: {problem}")
    else:
        form.add_error("file", error.messages)


@roles_required(WRITERS)
def scenario_create(request, pk):
    service = _service_or_deny(request, pk)
    description = selectors.latest_description(service)
    if description is None:
        raise Http404("This service has no description")
    initial = {
        "name": "Keep your place",
        "change_rule": "keep",
        "held_back_percent": description.held_back_percent,
        "held_back_days": description.held_back_days,
        "dna_rule": description.dna_rule,
        "dna_limit": description.dna_limit,
    }
    form = ScenarioForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            scenario = services.scenario_create(
                actor=request.user, description=description, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("flexibility:scenario", scenario.pk)
    return render(
        request,
        "flexibility/scenario_form.html",
        {
            "form": form,
            "service": service,
            "description": description,
            "breadcrumbs": _crumbs(
                (service.name, reverse("flexibility:service", args=[service.pk])),
                ("New scenario", None),
            ),
        },
    )


@roles_required(READERS)
def scenario_detail(request, pk):
    scenario = _scenario_or_deny(request, pk)
    service = scenario.description.service
    today = scenario.description.scenarios.order_by("id").first()
    shown = [s for s in (today, scenario) if s is not None and s.has_results]
    shown = list(dict.fromkeys(shown))
    return render(
        request,
        "flexibility/scenario.html",
        {
            "scenario": scenario,
            "service": service,
            "job": scenario.job,
            "summary": present.summary(scenario, today) if scenario.has_results else "",
            "overload": services.scenario_overload(scenario),
            "table": present.comparison_table(shown) if shown else None,
            "citations": selectors.citations_of(scenario),
            "may_write": request.user.role in WRITERS,
            "breadcrumbs": _crumbs(
                (service.name, reverse("flexibility:service", args=[service.pk])),
                (scenario.name, None),
            ),
        },
    )


@roles_required(WRITERS)
@require_POST
def scenario_run(request, pk):
    scenario = _scenario_or_deny(request, pk)
    try:
        services.scenario_run(actor=request.user, scenario=scenario)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("flexibility:scenario", scenario.pk)


@roles_required(READERS)
def compare(request, pk):
    service = _service_or_deny(request, pk)
    description = selectors.latest_description(service)
    scenarios = selectors.scenarios_of(description) if description else []
    done = [s for s in scenarios if s.has_results]
    today = scenarios[0] if scenarios else None
    return render(
        request,
        "flexibility/compare.html",
        {
            "service": service,
            "description": description,
            "scenarios": done,
            "summaries": [present.summary(s, today) for s in done],
            "overload": services.scenario_overload(today) if today else None,
            "table": present.comparison_table(done) if done else None,
            "charts": present.charts(done),
            "breadcrumbs": _crumbs(
                (service.name, reverse("flexibility:service", args=[service.pk])),
                ("Side by side", None),
            ),
        },
    )


@roles_required(READERS)
def scenario_json(request, pk):
    scenario = _scenario_or_deny(request, pk)
    response = HttpResponse(exchange.scenario_json(scenario), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="scenario-{scenario.pk}.json"'
    return response


@roles_required(READERS)
def scenario_csv(request, pk):
    scenario = _scenario_or_deny(request, pk)
    response = HttpResponse(exchange.scenario_csv(scenario), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="scenario-{scenario.pk}.csv"'
    return response


@roles_required(WRITERS)
def scenario_cite(request, pk):
    scenario = _scenario_or_deny(request, pk)
    form = CiteForm(request.POST or None, targets=selectors.cite_targets(scenario))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.citation_add(
                actor=request.user,
                scenario=scenario,
                iceberg_item=data["iceberg_item"],
                plan_action=data["plan_action"],
                commitment=data["commitment"],
                note=data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Scenario cited as evidence")
            return redirect("flexibility:scenario", scenario.pk)
    return render(
        request,
        "flexibility/cite.html",
        {
            "form": form,
            "scenario": scenario,
            "breadcrumbs": _crumbs(
                (scenario.name, reverse("flexibility:scenario", args=[scenario.pk])),
                ("Cite", None),
            ),
        },
    )
