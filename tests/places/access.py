from hct.core.roles import STAFF_ROLES, Role
from tests.access_rules import only, signed_in


def _first(demo):
    return {"slug": demo.first_neighbourhood.slug}


ACCESS = {
    "places:neighbourhood-list": signed_in(),
    "places:neighbourhood-profile": signed_in(kwargs=_first),
    "places:neighbourhood-geojson": signed_in(kwargs=_first),
    "places:neighbourhood-create": only([Role.FACILITATOR, Role.ADMIN]),
    "places:where-next": only(STAFF_ROLES),
}
PUBLIC_VIEWS: set[str] = set()
