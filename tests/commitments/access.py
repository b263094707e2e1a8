from hct.core.roles import STAFF_ROLES, Role
from tests.access_rules import only, public

RECORDING = {Role.FACILITATOR, Role.PARTNER, Role.ADMIN}


def _commitment(demo):
    return {"pk": demo.commitment.pk}


def _neighbourhood(demo):
    return {"slug": demo.first_neighbourhood.slug}


def _organisation(demo):
    return {"pk": demo.commitment.owner_id}


ACCESS = {
    "commitments:list": only(STAFF_ROLES),
    "commitments:create": only(RECORDING),
    "commitments:detail": only(STAFF_ROLES, kwargs=_commitment),
    "commitments:edit": only(RECORDING, kwargs=_commitment),
    "commitments:report": only(RECORDING, kwargs=_commitment),
    "commitments:milestone-add": only(RECORDING, kwargs=_commitment),
    "commitments:public-index": public(),
    "commitments:public-neighbourhood": public(kwargs=_neighbourhood),
    "commitments:public-organisation": public(kwargs=_organisation),
    "commitments:public-commitment": public(kwargs=_commitment),
    "commitments:feed": public(),
    "commitments:neighbourhood-feed": public(kwargs=_neighbourhood),
    "commitments:open-data": public(kwargs=lambda demo: {"fmt": "csv"}),
}
PUBLIC_VIEWS = {name for name, rule in ACCESS.items() if rule.statuses["anonymous"] == 200}
