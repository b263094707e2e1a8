"""Gap analysis pages: exact figures and the journeys behind them for facilitators (within
their scope); published figures only, through disclosure control, for partners and the board."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from hct.core.access import deny, roles_required
from hct.core.roles import SCENARIO_WRITERS, Role
from hct.journeys import analysis, selectors
from hct.partnership.selectors import neighbourhoods_in_scope, partnerships_for
from hct.places.models import Neighbourhood

ANALYSTS = (Role.FACILITATOR, Role.PARTNER, Role.BOARD)


def _render(request, *, journeys, title: str, caption: str, breadcrumbs, neighbourhood=None):
    exact = request.user.role == Role.FACILITATOR
    signifiers = selectors.signifiers_visible(request.user, neighbourhood)
    meaning = request.GET.get("meaning", "")
    journeys, meaning_label = selectors.journeys_meaning(journeys, signifiers, meaning)
    figures = analysis.present(analysis.gap_analysis(journeys), suppressed=not exact)
    behind = None
    if exact:
        behind = Paginator(selectors.journey_list(journeys), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "journeys/analysis.html",
        {
            "figures": figures,
            "behind": behind,
            "title": title,
            "caption": caption,
            "neighbourhood": neighbourhood,
            "may_start_scenario": request.user.role in SCENARIO_WRITERS,
            "neighbourhoods": list(neighbourhoods_in_scope(request.user).order_by("name")),
            "breadcrumbs": breadcrumbs,
            "meanings": selectors.meaning_choices(signifiers),
            "meaning": meaning if meaning_label else "",
            "meaning_label": meaning_label,
        },
    )


@roles_required(ANALYSTS)
def analysis_overview(request):
    """Across the partnership: a facilitator's figures cover the people in their scope; the
    published figures cover every neighbourhood where the user's partnerships run a cycle."""
    if request.user.role == Role.FACILITATOR:
        journeys = selectors.journeys_visible(request.user)
        caption = "Everyone in the neighbourhoods you work in"
    else:
        journeys = selectors.journeys_in(
            Neighbourhood.objects.filter(cycles__partnership__in=partnerships_for(request.user))
        )
        caption = "Every neighbourhood where the partnership works"
    return _render(
        request,
        journeys=journeys,
        title="Gap analysis",
        caption=caption,
        breadcrumbs=[("Home", reverse("core:home")), ("Gap analysis", None)],
    )


@roles_required(ANALYSTS)
def analysis_neighbourhood(request, slug):
    neighbourhood = Neighbourhood.objects.filter(slug=slug).first()
    if neighbourhood is None:
        raise Http404("No such neighbourhood")
    if not neighbourhoods_in_scope(request.user).filter(pk=neighbourhood.pk).exists():
        raise deny(request, "neighbourhood not in scope")
    only_here = Neighbourhood.objects.filter(pk=neighbourhood.pk)
    journeys = selectors.journeys_in(only_here)
    if request.user.role == Role.FACILITATOR:
        journeys = journeys & selectors.journeys_visible(request.user)
    return _render(
        request,
        journeys=journeys,
        title=f"Gap analysis: {neighbourhood.name}",
        caption=neighbourhood.get_kind_display(),
        neighbourhood=neighbourhood,
        breadcrumbs=[
            ("Home", reverse("core:home")),
            ("Gap analysis", reverse("journeys:analysis")),
            (neighbourhood.name, None),
        ],
    )
