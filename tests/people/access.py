from hct.core.roles import Role
from tests.access_rules import expect, only, public, signed_in

F, P, C = Role.FACILITATOR, Role.PARTNER, Role.COMMUNITY


def _sam(demo):
    return {"pk": demo.sam.pk}


def _need(demo):
    return {"pk": demo.sam.pk, "need_pk": demo.sam_need.pk}


def _strength(demo):
    return {"pk": demo.sam.pk, "strength_pk": demo.sam_strength.pk}


ACCESS = {
    "people:list": only([F]),
    "people:create": only([F]),
    # Sam's page: his named facilitator; a partner in scope (Sam consents to share with
    # partners: alias, quotes and journey only); Sam himself is sent to "My record".
    "people:detail": expect(
        _sam, facilitator=200, partner=200, community=302, board=403, admin=403
    ),
    "people:edit": only([F], _sam),
    "people:identity": only([F], _sam),
    "people:consents": only([F], _sam),
    "people:need-add": only([F], _sam),
    "people:need-edit": only([F], _need),
    "people:need-met": only([F], _need, ok=405),  # a POST
    "people:strength-add": only([F], _sam),
    "people:strength-edit": only([F], _strength),
    "people:export": only([F], _sam),
    "people:erase": only([F], _sam),  # the confirmation page; erasing is a POST
    "people:mine": only([C]),
    "people:mine-export": only([C]),
    # No person id in the URL: it only ever shows and changes the signed-in person's own.
    "people:mine-consents": only([C]),
    # Inviting a recorded person to join: their named facilitator (the page; Sam, who has an
    # account already, is refused on the POST).
    "people:invite": only([F], _sam),
    # Joining (issue 13, item 1): open to anyone, signed in or not.
    "people:join": public(),
    # A link that is no invitation shows the code page with what is wrong.
    "people:join-link": public(kwargs=lambda demo: {"token": "not-an-invitation"}),
    # With no invitation on the way, back to the code page.
    "people:join-details": public(302),
    "people:welcome": signed_in(),
}
PUBLIC_VIEWS: set[str] = {"people:join", "people:join-link", "people:join-details"}
