from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from hct.core.access import deny, roles_required
from hct.core.forms import add_service_errors
from hct.core.roles import ALL_ROLES, STAFF_ROLES, Role
from hct.places import selectors, services
from hct.places.forms import NeighbourhoodForm, WeightsForm, WhereNextChoiceForm
from hct.places.models import Neighbourhood
from hct.places.selectors import DEFAULT_WEIGHTS, INDICATORS

CHOOSERS = (Role.FACILITATOR, Role.PARTNER, Role.BOARD)


def _neighbourhood_or_404(slug: str) -> Neighbourhood:
    try:
        return selectors.neighbourhood_get(slug)
    except Neighbourhood.DoesNotExist:
        raise Http404("No such neighbourhood") from None


@roles_required(ALL_ROLES)
def neighbourhood_list(request):
    kind = request.GET.get("kind") or None
    if kind not in (None, *Neighbourhood.Kind.values):
        kind = None
    return render(
        request,
        "places/neighbourhood_list.html",
        {
            "neighbourhoods": selectors.neighbourhood_list(kind=kind),
            "kind": kind,
            "kinds": Neighbourhood.Kind.choices,
            "can_define": request.user.role in (Role.FACILITATOR, Role.ADMIN),
            "breadcrumbs": [("Home", reverse("core:home")), ("Neighbourhoods", None)],
        },
    )


@roles_required(ALL_ROLES)
def neighbourhood_profile(request, slug):
    neighbourhood = _neighbourhood_or_404(slug)
    version = selectors.profile_version(neighbourhood)
    return render(
        request,
        "places/neighbourhood_profile.html",
        {
            "neighbourhood": neighbourhood,
            "version": version,
            # Built only if the page's cached fragment is missing.
            "profile": SimpleLazyObject(
                lambda: selectors.neighbourhood_profile(neighbourhood, version)
            ),
            "breadcrumbs": [
                ("Home", reverse("core:home")),
                ("Neighbourhoods", reverse("places:neighbourhood-list")),
                (neighbourhood.name, None),
            ],
        },
    )


@roles_required(ALL_ROLES)
def neighbourhood_geojson(request, slug):
    neighbourhood = _neighbourhood_or_404(slug)
    return JsonResponse(selectors.neighbourhood_geojson(neighbourhood))


@roles_required(Role.FACILITATOR, Role.ADMIN)
def neighbourhood_create(request):
    form = NeighbourhoodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            neighbourhood = services.neighbourhood_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                lsoas=form.cleaned_data["all_lsoas"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{neighbourhood.name} has been defined.")
            return redirect("places:neighbourhood-profile", slug=neighbourhood.slug)
    return render(
        request,
        "places/neighbourhood_form.html",
        {
            "form": form,
            "breadcrumbs": [
                ("Home", reverse("core:home")),
                ("Neighbourhoods", reverse("places:neighbourhood-list")),
                ("Define a neighbourhood", None),
            ],
        },
    )


@roles_required(STAFF_ROLES)
def where_next(request):
    weights_form = WeightsForm(request.GET or None)
    weights = dict(DEFAULT_WEIGHTS)
    if request.GET and weights_form.is_valid():
        weights = {i.key: weights_form.cleaned_data[i.key] for i in INDICATORS}
    kind = request.GET.get("kind", Neighbourhood.Kind.WARD)
    if kind not in Neighbourhood.Kind.values:
        kind = Neighbourhood.Kind.WARD
    ranked = selectors.where_next_ranking(weights, kind=kind)
    can_choose = request.user.role in CHOOSERS
    choice_form = WhereNextChoiceForm(request.POST or None, ranked=ranked)
    if request.method == "POST":
        if not can_choose:
            raise deny(request)
        if choice_form.is_valid():
            try:
                services.where_next_choose(
                    actor=request.user,
                    neighbourhoods=list(choice_form.cleaned_data["neighbourhoods"]),
                    reason=choice_form.cleaned_data["reason"],
                    weights=weights,
                    ranking=[
                        {"slug": r.neighbourhood.slug, "score": round(r.score, 2), "rank": r.rank}
                        for r in ranked
                    ],
                )
            except ValidationError as error:
                add_service_errors(choice_form, error)
            else:
                messages.success(
                    request, "Your choice has been saved with the ranking it was made from."
                )
                return redirect(request.get_full_path())
    return render(
        request,
        "places/where_next.html",
        {
            "weights_form": weights_form,
            "form": choice_form if request.method == "POST" else None,
            "choice_form": choice_form,
            "ranked": ranked,
            "indicators": INDICATORS,
            "weights": weights,
            "kind": kind,
            "kinds": Neighbourhood.Kind.choices,
            "can_choose": can_choose,
            "choices": selectors.where_next_choices()[:10],
            "breadcrumbs": [("Home", reverse("core:home")), ("Where next", None)],
        },
    )
