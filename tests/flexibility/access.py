from hct.core.roles import Role
from tests.access_rules import only

F, P, B = Role.FACILITATOR, Role.PARTNER, Role.BOARD


def _service(demo):
    return {"pk": demo.flexible_service.pk}


def _scenario(demo):
    return {"pk": demo.flexible_scenario.pk}


ACCESS = {
    # Partners (who run services) and facilitators describe and run; the board reads.
    "flexibility:home": only([F, P, B]),
    "flexibility:service-create": only([F, P]),
    "flexibility:service-import": only([F, P]),
    "flexibility:service": only([F, P, B], _service),
    "flexibility:service-revise": only([F, P], _service),
    "flexibility:scenario-create": only([F, P], _service),
    "flexibility:compare": only([F, P, B], _service),
    "flexibility:scenario": only([F, P, B], _scenario),
    "flexibility:scenario-run": only([F, P], _scenario, ok=405),  # POSTs
    "flexibility:scenario-cite": only([F, P], _scenario),
    "flexibility:scenario-json": only([F, P, B], _scenario),
    "flexibility:scenario-csv": only([F, P, B], _scenario),
}
PUBLIC_VIEWS: set[str] = set()
