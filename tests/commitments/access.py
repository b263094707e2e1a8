from hct.core.roles import STAFF_ROLES, Role
from tests.access_rules import only, public, signed_in

RECORDING = {Role.FACILITATOR, Role.PARTNER, Role.ADMIN}
MODERATORS = {Role.FACILITATOR, Role.ADMIN}


def _commitment(demo):
    return {"pk": demo.commitment.pk}


def _neighbourhood(demo):
    return {"slug": demo.first_neighbourhood.slug}


def _organisation(demo):
    return {"pk": demo.commitment.owner_id}


def _update(demo):
    return {"pk": demo.commitment_update.pk}


def _question(demo):
    return {"pk": demo.question.pk}


def _campaign(demo):
    return {"slug": demo.campaign.slug}


ACCESS = {
    "commitments:campaign": public(kwargs=_campaign),
    "commitments:campaign-create": only(RECORDING),
    "commitments:campaign-ask-add": only(RECORDING, kwargs=_campaign),
    "commitments:campaign-meeting-add": only(RECORDING, kwargs=_campaign),
    "commitments:campaign-support": only({Role.COMMUNITY}, kwargs=_campaign),
    # A member's own campaigns: Sam lives where the partnership works, so he may start one;
    # he may not add asks to Lift Me Up, which he did not start (the row above).
    "commitments:my-campaigns": only({Role.COMMUNITY}),
    "commitments:my-campaign-start": only({Role.COMMUNITY}),
    "commitments:campaign-review": only(MODERATORS, kwargs=_campaign),
    "commitments:ask": only({Role.COMMUNITY}, kwargs=_commitment),
    "commitments:feedback": only({Role.COMMUNITY}, kwargs=_update),
    # Everyone who may answer for an organisation reaches the form; the service refuses anyone
    # outside the owning one.
    "commitments:answer": only(RECORDING, kwargs=_question),
    "commitments:flag": signed_in(kwargs=_question),
    "commitments:hide": only(MODERATORS, kwargs=_question),
    "commitments:restore": only(MODERATORS, kwargs=_question),
    "commitments:moderation": only(MODERATORS),
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
