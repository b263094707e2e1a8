from hct.core.roles import Role
from tests.access_rules import only, public, signed_in

IMPORTERS = [Role.FACILITATOR, Role.ADMIN]


def _service(demo):
    return {"service_id": demo.directory_service.id}


def _oruk_service(demo):
    return {"service_id": str(demo.directory_service.id)}


def _link(demo):
    return {"link_id": str(demo.directory_service.service_at_locations.get().id)}


def _taxonomy(demo):
    from hct.demo.directory import TAXONOMY

    return {"taxonomy_id": str(TAXONOMY)}


def _term(demo):
    from hct.demo.directory import term_id

    return {"term_id": str(term_id("tea"))}


ACCESS = {
    "directory:find": signed_in(),
    "directory:service": signed_in(kwargs=_service),
    "directory:asset-create": only(IMPORTERS),
    "directory:import": only(IMPORTERS),
    # An import's report: whoever uploaded it (the facilitator here), and administrators.
    "directory:import-run": only(IMPORTERS, kwargs=lambda demo: {"pk": demo.import_run.pk}),
    # The Open Referral UK API is open to anyone: the directory holds no personal data.
    "oruk:root": public(),
    "oruk:openapi": public(),
    "oruk:services": public(),
    "oruk:service": public(kwargs=_oruk_service),
    "oruk:service-at-locations": public(),
    "oruk:service-at-location": public(kwargs=_link),
    "oruk:taxonomies": public(),
    "oruk:taxonomy": public(kwargs=_taxonomy),
    "oruk:taxonomy-terms": public(),
    "oruk:taxonomy-term": public(kwargs=_term),
}
PUBLIC_VIEWS = {name for name in ACCESS if name.startswith("oruk:")}
