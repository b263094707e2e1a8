from hct.core.roles import Role
from tests.access_rules import only

F, C = Role.FACILITATOR, Role.COMMUNITY


def _match(demo):
    return {"pk": demo.sam_match.pk}


def _offer(demo):
    return {"pk": demo.sam.offers.get().pk}


def _need(demo):
    return {"need_pk": demo.sam_shopping_need.pk}


ACCESS = {
    # Facilitators review and decide; a community member sees their own matches only.
    "matching:home": only([F]),
    "matching:run": only([F], ok=405),  # POSTs
    "matching:mine": only([C]),
    "matching:my-need-add": only([C]),
    "matching:my-strength-add": only([C]),
    "matching:offers": only([F]),
    "matching:offer-add": only([F, C]),
    "matching:offer-active": only([F, C], _offer, ok=405),
    "matching:offer-end": only([F, C], _offer, ok=405),
    "matching:preferences": only([F], _need),
    "matching:match": only([F, C], _match),
    "matching:confirm": only([F], _match, ok=405),
    "matching:decline": only([F], _match, ok=405),
    "matching:respond": only([F, C], _match, ok=405),
    "matching:end": only([F], _match),
    "matching:hours": only([F, C], _match),
}
PUBLIC_VIEWS: set[str] = set()
