"""The Open Referral UK read API under /api/oruk/: public, read-only, the standard's paths, paging
and JSON. The directory holds no personal data, so anyone may read it (the standard asks for open
endpoints, with CORS open to every origin)."""

import copy
import datetime as dt
import math
import uuid
from collections.abc import Callable
from functools import wraps

from django.http import Http404, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from hct.core.access import public
from hct.directory import selectors, serialize
from hct.directory.oruk_schemas import PUBLISHED, openapi
from hct.directory.schedules import DAYS, ScheduleError, parse_time
from hct.places import selectors as places_selectors

VERSION = "HSDS-UK-3.0"
PROFILE = "https://github.com/OpenReferralUK/uk-profile"
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500

ERROR_WHOLE = "{name} must be a whole number of at least 1"
ERROR_PER_PAGE = f"per_page must be from 1 to {MAX_PER_PAGE}"
ERROR_NUMBER = "{name} must be a number"
ERROR_UUID = "{name} must be a UUID"
ERROR_DATETIME = "{name} must be an ISO 8601 date and time, like 2024-01-31T09:00:00Z"
ERROR_TIME = "{name} must be a time, like 09:30"
ERROR_DAY = "day must be one of MO, TU, WE, TH, FR, SA, SU (or the day's English name)"
ERROR_POINT = "give both lat and lon, or an lsoa code"
ERROR_LAT = "lat must be from -90 to 90 and lon from -180 to 180"
ERROR_LSOA = "no LSOA with the code {code!r} is known here"
ERROR_POSTCODE = (
    "postcode is not supported: this directory holds no postcode lookup. "
    "Give lat and lon, or the code of an LSOA (its population-weighted centroid is used)."
)
ERROR_PROXIMITY = "proximity is a distance in metres from a point: give lat and lon, or lsoa"
ERROR_NOT_FOUND = "No {kind} has this id"


class ApiError(Exception):
    def __init__(self, message: str, status: int = 400):
        self.message, self.status = message, status
        super().__init__(message)


def api_view(view: Callable) -> Callable:
    @public
    @require_safe
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            response = JsonResponse(
                view(request, *args, **kwargs), json_dumps_params={"ensure_ascii": False}
            )
        except ApiError as error:
            response = JsonResponse({"error": error.message}, status=error.status)
        except Http404 as error:
            response = JsonResponse({"error": str(error)}, status=404)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapped


# -- query parameters -----------------------------------------------------------------------------


def _whole(request, name: str, default: int) -> int:
    raw = request.GET.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(ERROR_WHOLE.format(name=name)) from None
    if value < 1:
        raise ApiError(ERROR_WHOLE.format(name=name))
    return value


def _number(request, name: str) -> float | None:
    raw = request.GET.get(name)
    if raw in (None, ""):
        return None
    try:
        value = float(raw)
    except ValueError:
        raise ApiError(ERROR_NUMBER.format(name=name)) from None
    if not math.isfinite(value):
        raise ApiError(ERROR_NUMBER.format(name=name))
    return value


def _uuid(request, name: str) -> uuid.UUID | None:
    raw = request.GET.get(name)
    if raw in (None, ""):
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise ApiError(ERROR_UUID.format(name=name)) from None


def _datetime(request, name: str) -> dt.datetime | None:
    raw = request.GET.get(name)
    if raw in (None, ""):
        return None
    try:
        value = dt.datetime.fromisoformat(raw.replace(" ", "+"))
    except ValueError:
        raise ApiError(ERROR_DATETIME.format(name=name)) from None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _time(request, name: str) -> dt.time | None:
    raw = request.GET.get(name)
    if raw in (None, ""):
        return None
    try:
        return parse_time(raw)[0]
    except ScheduleError:
        raise ApiError(ERROR_TIME.format(name=name)) from None


def _day(request) -> str:
    raw = (request.GET.get("day") or "").strip().upper()
    if not raw:
        return ""
    if raw in DAYS:
        return raw
    names = {
        name.upper(): code
        for code, name in zip(
            DAYS,
            ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"),
            strict=True,
        )
    }
    if raw in names:
        return names[raw]
    raise ApiError(ERROR_DAY)


def _filters(request) -> selectors.ServiceFilters:
    return selectors.ServiceFilters(
        search=(request.GET.get("search") or "").strip()[:200],
        taxonomy_term_id=_uuid(request, "taxonomy_term_id"),
        taxonomy_id=_uuid(request, "taxonomy_id"),
        organization_id=_uuid(request, "organization_id"),
        minimum_age=_number(request, "minimum_age"),
        maximum_age=_number(request, "maximum_age"),
        modified_after=_datetime(request, "modified_after"),
        day=_day(request),
        start_time=_time(request, "start_time"),
        end_time=_time(request, "end_time"),
    )


def _paging(request) -> tuple[int, int]:
    page = _whole(request, "page", 1)
    per_page = _whole(request, "per_page", DEFAULT_PER_PAGE)
    if per_page > MAX_PER_PAGE:
        raise ApiError(ERROR_PER_PAGE)
    return page, per_page


def page_of(total: int, page: int, per_page: int, contents: list) -> dict:
    """The standard's paging fields around one page of contents."""
    pages = math.ceil(total / per_page)
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= pages,
        "empty": not contents,
        "contents": contents,
    }


def _paged(request, queryset, item: Callable) -> dict:
    page, per_page = _paging(request)
    total = queryset.count()
    start = (page - 1) * per_page
    records = list(queryset[start : start + per_page]) if start < total else []
    return page_of(total, page, per_page, [item(record) for record in records])


def _id(value: str, kind: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise Http404(ERROR_NOT_FOUND.format(kind=kind)) from None


# -- endpoints ------------------------------------------------------------------------------------


@api_view
def root(request):
    return {
        "version": VERSION,
        "profile": PROFILE,
        "openapi_url": request.build_absolute_uri(reverse("oruk:openapi")),
    }


@api_view
def services(request):
    return _paged(request, selectors.service_list(_filters(request)), serialize.service_item)


@api_view
def service(request, service_id):
    found = selectors.service_full(_id(service_id, "service"))
    if found is None:
        raise Http404(ERROR_NOT_FOUND.format(kind="service"))
    return serialize.service_full(*found)


def _point(request) -> selectors.Point | None:
    if request.GET.get("postcode"):
        raise ApiError(ERROR_POSTCODE)
    lat, lon = _number(request, "lat"), _number(request, "lon")
    code = (request.GET.get("lsoa") or "").strip().upper()
    if code:
        lsoa = places_selectors.lsoa_by_code(code[:12])
        if lsoa is None:
            raise ApiError(ERROR_LSOA.format(code=code[:12]))
        return selectors.Point(lsoa.latitude, lsoa.longitude, lsoa.code)
    if lat is None and lon is None:
        return None
    if lat is None or lon is None:
        raise ApiError(ERROR_POINT)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ApiError(ERROR_LAT)
    return selectors.Point(lat, lon)


@api_view
def service_at_locations(request):
    filters = _filters(request)
    point = _point(request)
    proximity = _number(request, "proximity")
    if proximity is not None and point is None:
        raise ApiError(ERROR_PROXIMITY)
    page, per_page = _paging(request)
    if point is None:
        links = selectors.service_at_location_list(filters)
        return _paged(request, links, serialize.service_at_location_item)
    found = selectors.service_at_location_ids(filters, near=point, within_m=proximity)
    start = (page - 1) * per_page
    shown = selectors.service_at_locations_by_id([i for i, _ in found[start : start + per_page]])
    return page_of(
        len(found), page, per_page, [serialize.service_at_location_item(s) for s in shown]
    )


@api_view
def service_at_location(request, link_id):
    found = selectors.service_at_location_full(_id(link_id, "service at location"))
    if found is None:
        raise Http404(ERROR_NOT_FOUND.format(kind="service at location"))
    return serialize.service_at_location_full(*found)


@api_view
def taxonomies(request):
    return _paged(request, selectors.taxonomy_list(), serialize.taxonomy)


@api_view
def taxonomy(request, taxonomy_id):
    found = selectors.taxonomy_get(_id(taxonomy_id, "taxonomy"))
    if found is None:
        raise Http404(ERROR_NOT_FOUND.format(kind="taxonomy"))
    return serialize.taxonomy(found, selectors.taxonomy_terms(taxonomy_id=found.id))


@api_view
def taxonomy_terms(request):
    terms = selectors.taxonomy_terms(
        taxonomy_id=_uuid(request, "taxonomy_id"), parent_id=_uuid(request, "parent_id")
    )
    return _paged(request, terms, serialize.taxonomy_term)


@api_view
def taxonomy_term(request, term_id):
    found = selectors.taxonomy_term_get(_id(term_id, "taxonomy term"))
    if found is None:
        raise Http404(ERROR_NOT_FOUND.format(kind="taxonomy term"))
    return serialize.taxonomy_term(found)


# -- the API description --------------------------------------------------------------------------

_EXTRA_PARAMETERS = {
    "lat": {
        "name": "lat",
        "in": "query",
        "required": False,
        "description": "Latitude (WGS84) of the point that proximity and the order are measured from; give lon too.",
        "schema": {"type": "number"},
    },
    "lon": {
        "name": "lon",
        "in": "query",
        "required": False,
        "description": "Longitude (WGS84) of the point; give lat too.",
        "schema": {"type": "number"},
    },
    "lsoa": {
        "name": "lsoa",
        "in": "query",
        "required": False,
        "description": "The code of an LSOA (2011), e.g. E01009522: its population-weighted centroid is the point.",
        "schema": {"type": "string"},
    },
    "parent_id": {
        "name": "parent_id",
        "in": "query",
        "required": False,
        "description": "Only the terms directly below this term.",
        "schema": {"type": "string"},
    },
}


def openapi_document(base_url: str) -> dict:
    """The official API description, adapted to what this server answers (CC BY-SA 4.0, like
    the original: see oruk/ATTRIBUTION.md)."""
    document = copy.deepcopy(openapi())
    document["servers"] = [{"url": base_url}]
    info = document["info"]
    info["title"] = "Open Referral UK API of the hct community directory"
    info["description"] = (
        "The Open Referral UK profile (HSDS 3.0) API, read-only and open. This server has no "
        "postcode lookup: /service_at_locations measures proximity (in metres) and sorts "
        "nearest first from lat/lon, or from the population-weighted centroid of an LSOA "
        "(lsoa=E01…). Adapted from the Open Referral UK profile's openapi.json "
        "(Human Services Data Specification: an Open Referral resource, https://openreferral.org/)."
    )
    parameters = document["components"]["parameters"]
    parameters.update(_EXTRA_PARAMETERS)
    parameters["postcode"] = {
        **parameters["postcode"],
        "description": "Not supported here (no postcode lookup): use lat and lon, or lsoa.",
    }
    parameters["proximity"] = {
        **parameters["proximity"],
        "description": "Only results within this many metres of the point given by lat/lon or lsoa.",
        "schema": {"type": "number"},
    }
    paths = document["paths"]

    def add(path: str, *names: str) -> None:
        listed = paths[path]["get"].setdefault("parameters", [])
        for name in names:
            ref = {"$ref": f"#/components/parameters/{name}"}
            if ref not in listed:
                listed.append(ref)

    add("/services", "organization_id", "modified_after")
    add("/service_at_locations", "organization_id", "modified_after", "lat", "lon", "lsoa")
    add("/taxonomy_terms", "taxonomy_id", "parent_id")
    # The original describes this response with the service schema; a service at a location is
    # what is served.
    response = paths["/service_at_locations/{id}"]["get"]["responses"]["200"]
    response["content"]["application/json"]["schema"] = {
        "$ref": PUBLISHED + "compiled/service_at_location.json"
    }
    return document


@api_view
def openapi_json(request):
    return openapi_document(request.build_absolute_uri(reverse("oruk:root")))
