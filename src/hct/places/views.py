from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from hct.core.access import deny, roles_required
from hct.core.formviews import form_page, form_posted
from hct.core.roles import ALL_ROLES, STAFF_ROLES, Role
from hct.places import selectors, services
from hct.places.forms import NeighbourhoodForm, WeightsForm, WhereNextChoiceForm
from hct.places.models import NeighbourhoodKind
from hct.places.selectors import DEFAULT_WEIGHTS, INDICATORS

CHOOSERS = (Role.FACILITATOR, Role.PARTNER, Role.BOARD)


def _neighbourhood_or_404(slug: str):
    neighbourhood = selectors.neighbourhood_get(slug)
    if neighbourhood is None:
        raise Http404("No such neighbourhood")
    return neighbourhood


@roles_required(ALL_ROLES)
def neighbourhood_list(request):
    kind = request.GET.get("kind") or None
    if kind not in (None, *NeighbourhoodKind.values):
        kind = None
    return render(
        request,
        "places/neighbourhood_list.html",
        {
            "neighbourhoods": selectors.neighbourhood_list(kind=kind),
            "kind": kind,
            "kinds": NeighbourhoodKind.choices,
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
    return form_page(
        request,
        NeighbourhoodForm(request.POST or None),
        save=lambda data: services.neighbourhood_create(
            actor=request.user,
            name=data["name"],
            description=data["description"],
            lsoas=data["all_lsoas"],
        ),
        done=lambda neighbourhood: f"{neighbourhood.name} has been defined.",
        next_url=lambda neighbourhood: reverse(
            "places:neighbourhood-profile", args=[neighbourhood.slug]
        ),
        template="places/neighbourhood_form.html",
        context={
            "breadcrumbs": [
                ("Home", reverse("core:home")),
                ("Neighbourhoods", reverse("places:neighbourhood-list")),
                ("Define a neighbourhood", None),
            ],
        },
    )


def _ranking_asked(request):
    """The weights and the kind of neighbourhood the page was asked for, and the ranking."""
    weights_form = WeightsForm(request.GET or None)
    weights = dict(DEFAULT_WEIGHTS)
    if request.GET and weights_form.is_valid():
        weights = {i.key: weights_form.cleaned_data[i.key] for i in INDICATORS}
    kind = request.GET.get("kind", NeighbourhoodKind.WARD)
    if kind not in NeighbourhoodKind.values:
        kind = NeighbourhoodKind.WARD
    return weights_form, weights, kind, selectors.where_next_ranking(weights, kind=kind)


def _choose(request, weights, ranked, data):
    return services.where_next_choose(
        actor=request.user,
        neighbourhoods=list(data["neighbourhoods"]),
        reason=data["reason"],
        weights=weights,
        ranking=[
            {"slug": r.neighbourhood.slug, "score": round(r.score, 2), "rank": r.rank}
            for r in ranked
        ],
    )


@roles_required(STAFF_ROLES)
def where_next(request):
    weights_form, weights, kind, ranked = _ranking_asked(request)
    can_choose = request.user.role in CHOOSERS
    if request.method == "POST" and not can_choose:
        raise deny(request)
    choice_form = WhereNextChoiceForm(request.POST or None, ranked=ranked)
    answered = form_posted(
        request,
        choice_form,
        save=lambda data: _choose(request, weights, ranked, data),
        done="Your choice has been saved with the ranking it was made from.",
        next_url=request.get_full_path(),
    )
    return answered or render(
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
            "kinds": NeighbourhoodKind.choices,
            "can_choose": can_choose,
            "choices": selectors.where_next_choices()[:10],
            "breadcrumbs": [("Home", reverse("core:home")), ("Where next", None)],
        },
    )
