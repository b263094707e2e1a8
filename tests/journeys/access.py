from hct.core.roles import Role
from tests.access_rules import only

F, P, B, C, A = Role.FACILITATOR, Role.PARTNER, Role.BOARD, Role.COMMUNITY, Role.ADMIN


def _journey(demo):
    return {"pk": demo.sam_journey.pk}


def _person(demo):
    return {"person_pk": demo.sam.pk}


def _touchpoint(demo):
    return {"pk": demo.sam_journey.pk, "touchpoint_pk": demo.sam_touchpoint.pk}


def _gap(demo):
    return {"pk": demo.sam_journey.pk, "gap_pk": demo.sam_gap.pk}


def _story(demo):
    return {"pk": demo.sam_story.pk}


def _quote(demo):
    return {"pk": demo.sam_story.pk, "quote_pk": demo.sam_quote.pk}


def _cycle(demo):
    return {"cycle_pk": demo.first_cycle.pk}


def _first(demo):
    return {"slug": demo.first_neighbourhood.slug}


ACCESS = {
    # Facilitators: the journeys in their scope; partners: those shared with partners; a
    # community member: their own.
    "journeys:list": only([F, P, C]),
    "journeys:import": only([F]),
    "journeys:export": only([F]),
    "journeys:create": only([F, C], _person),
    "journeys:story-create": only([F, C], _person),
    "journeys:detail": only([F, P, C], _journey),
    "journeys:journey-export": only([F], _journey),
    # Sam writes his own journey and story through the same views as his facilitator.
    "journeys:touchpoint-add": only([F, C], _journey, ok=405),  # POSTs
    "journeys:touchpoint-edit": only([F, C], _touchpoint),
    "journeys:touchpoint-move": only([F, C], _touchpoint, ok=405),
    "journeys:touchpoint-remove": only([F, C], _touchpoint, ok=405),
    "journeys:gap-add": only([F, C], _journey, ok=405),
    "journeys:gap-remove": only([F, C], _gap, ok=405),
    # The whole story: facilitators in scope and Sam himself; partners read shared quotes only.
    "journeys:story": only([F, C], _story),
    "journeys:story-edit": only([F, C], _story),
    "journeys:quote-add": only([F], _story),
    "journeys:quote-remove": only([F], _quote, ok=405),
    "journeys:story-conversation": only([F], _story),
    # Sam asks his facilitator to write it down with him; his facilitator marks it done.
    "journeys:story-help-ask": only([C]),
    "journeys:story-help-done": only(
        [F], lambda demo: {"person_pk": demo.sam.pk, "help_pk": 1}, ok=405
    ),
    # Signifiers: Sam places his own story (or his facilitator with him); the cycle's staff see
    # the questions and the pattern across stories (its facilitators and leads set them).
    "journeys:story-signify": only([F, C], _story),
    "journeys:signifiers": only([F, P, B, A], _cycle),
    "journeys:signifier-remove": only(
        [F, P, B, A], lambda demo: {"cycle_pk": demo.first_cycle.pk, "pk": 1}, ok=405
    ),
    "journeys:signifier-patterns": only([F, P, B, A], _cycle),
    # Figures: exact for facilitators, published (suppressed) for partners and the board.
    "journeys:analysis": only([F, P, B]),
    "journeys:analysis-neighbourhood": only([F, P, B], _first),
}
PUBLIC_VIEWS: set[str] = set()
