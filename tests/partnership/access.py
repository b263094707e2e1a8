from hct.core.roles import PARTNERSHIP_ROLES, STAFF_ROLES, Role
from tests.access_rules import only, signed_in


def _slug(demo):
    return {"slug": demo.partnership.slug}


def _revision(demo):
    return {"slug": demo.partnership.slug, "number": 1}


def _cycle(demo):
    return {"slug": demo.partnership.slug, "number": demo.first_cycle.number}


def _membership(demo):
    return {"slug": demo.partnership.slug, "pk": demo.facilitator_membership.pk}


def _invitation(demo):
    return {"slug": demo.partnership.slug, "pk": demo.invitation.pk}


# Those who run the demo partnership: administrators, and its lead (the board's chair).
RUNS = {Role.ADMIN, Role.BOARD}
# Who invites community members: those who run it, and its facilitators.
INVITES = {*RUNS, Role.FACILITATOR}

ACCESS = {
    # With one partnership the list sends members straight to it.
    "partnership:list": only(STAFF_ROLES, ok=302),
    "partnership:detail": only(STAFF_ROLES, kwargs=_slug),
    "partnership:charter": only(STAFF_ROLES, kwargs=_slug),
    "partnership:charter-revision": only(STAFF_ROLES, kwargs=_revision),
    "partnership:charter-compare": only(STAFF_ROLES, kwargs=_slug, query="earlier=1&later=2"),
    "partnership:charter-revise": only(PARTNERSHIP_ROLES, kwargs=_slug),
    "partnership:cycle": only(STAFF_ROLES, kwargs=_cycle),
    # A facilitator of one partnership is sent straight to its start page.
    "partnership:cycle-start-choose": only({Role.FACILITATOR}, ok=302),
    "partnership:cycle-start": only({Role.FACILITATOR}, kwargs=_slug),
    # Running the partnership (issue 14, item 4).
    "partnership:create": only(RUNS),
    # 'Working in': anyone signed in may open it; only their own partnerships can be chosen.
    "partnership:choose": signed_in(),
    "partnership:organisations": only(STAFF_ROLES, kwargs=_slug),
    "partnership:members": only(RUNS, kwargs=_slug),
    "partnership:membership": only(RUNS, kwargs=_membership),
    "partnership:membership-end": only(RUNS, kwargs=_membership),  # a confirmation page
    "partnership:invitations": only(INVITES, kwargs=_slug),
    "partnership:invitation-new": only(INVITES, kwargs=_slug),
    "partnership:invitation": only(INVITES, kwargs=_invitation),
    "partnership:invitation-cancel": only(INVITES, kwargs=_invitation),
}
PUBLIC_VIEWS: set[str] = set()
