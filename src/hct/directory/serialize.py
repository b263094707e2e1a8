"""Directory records as the standard's JSON: what the API serves (and what an export would be).

Fields without a value are left out rather than sent as null (the schemas do not allow null),
except the fields a schema requires, which are always present.
"""

import datetime as dt
import uuid
from decimal import Decimal

from hct.directory.importer.kinds import KINDS
from hct.directory.models import (
    Attribute,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from hct.directory.oruk_schemas import schema
from hct.directory.schedules import format_time


def _json(value):
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dt.datetime):
        text = value.astimezone(dt.UTC).isoformat(timespec="milliseconds")
        return text.replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal | float):
        return int(value) if value == int(value) else float(value)
    return value


def _required(kind: str) -> set[str]:
    return set(schema(KINDS[kind].schema).get("required", []))


def fields(record, kind: str) -> dict:
    """A record's own (one-to-one) fields under the standard's names."""
    spec = KINDS[kind]
    required = _required(kind)
    data = {"id": str(record.id)}
    for name in (*spec.fields, *spec.extensions):
        if name in ("opens_at", "closes_at"):
            value = format_time(getattr(record, name), getattr(record, f"{name}_offset"))
        else:
            value = getattr(record, spec.model_field(name).attname)
        if value is None or value == "":
            if name in required:
                data[name] = ""
            continue
        data[name] = _json(value)
    return data


def attribute(item: Attribute) -> dict:
    data = fields(item, "attribute")
    data["taxonomy_term"] = taxonomy_term(item.taxonomy_term)
    return data


def _with_attributes(data: dict, record_id, attributes: dict) -> dict:
    found = attributes.get(record_id)
    if found:
        data["attributes"] = [attribute(a) for a in found]
    return data


def taxonomy_term(term: TaxonomyTerm) -> dict:
    return fields(term, "taxonomy_term")


def taxonomy(item: Taxonomy, terms=None) -> dict:
    data = fields(item, "taxonomy")
    if terms is not None:
        data["taxonomy_terms"] = [taxonomy_term(t) for t in terms]
    return data


def organization(item: Organization, attributes: dict | None = None) -> dict:
    data = fields(item, "organization")
    if attributes is not None:
        data["organization_identifiers"] = [
            _with_attributes(fields(i, "organization_identifier"), i.id, attributes)
            for i in item.organization_identifiers.all()
        ]
        _with_attributes(data, item.id, attributes)
    return data


def location(item: Location, attributes: dict | None = None) -> dict:
    data = fields(item, "location")
    if attributes is not None:
        data["addresses"] = [
            _with_attributes(fields(a, "address"), a.id, attributes) for a in item.addresses.all()
        ]
        data["accessibility"] = [
            _with_attributes(fields(a, "accessibility"), a.id, attributes)
            for a in item.accessibility.all()
        ]
        _with_attributes(data, item.id, attributes)
    return data


def schedule(item: Schedule) -> dict:
    return fields(item, "schedule")


def service_item(item: Service) -> dict:
    """A service as /services lists it: its own fields and its organisation's."""
    data = fields(item, "service")
    if item.organization is not None:
        data["organization"] = organization(item.organization)
    return data


def service_full(item: Service, attributes: dict) -> dict:
    """A service with everything nested, as /services/{id} serves it."""
    data = fields(item, "service")
    data["schedules"] = [schedule(s) for s in item.schedules.all()]
    data["service_areas"] = [fields(a, "service_area") for a in item.service_areas.all()]
    data["service_at_locations"] = [
        {
            **fields(link, "service_at_location"),
            "location": location(link.location, attributes),
        }
        for link in item.service_at_locations.all()
    ]
    data["languages"] = [fields(lang, "language") for lang in item.languages.all()]
    if item.organization is not None:
        data["organization"] = organization(item.organization, attributes)
    data["funding"] = [fields(f, "funding") for f in item.funding.all()]
    data["cost_options"] = [fields(c, "cost_option") for c in item.cost_options.all()]
    data["contacts"] = [
        _with_attributes(
            {
                **fields(contact, "contact"),
                "phones": [
                    {
                        **fields(phone, "phone"),
                        "languages": [fields(lang, "language") for lang in phone.languages.all()],
                    }
                    for phone in contact.phones.all()
                ],
            },
            contact.id,
            attributes,
        )
        for contact in item.contacts.all()
    ]
    data["attributes"] = [attribute(a) for a in attributes.get(item.id, [])]
    return data


def service_at_location_item(item: ServiceAtLocation) -> dict:
    data = fields(item, "service_at_location")
    data["location"] = location(item.location)
    data["service"] = service_item(item.service)
    return data


def service_at_location_full(item: ServiceAtLocation, attributes: dict) -> dict:
    data = fields(item, "service_at_location")
    data["location"] = location(item.location, attributes)
    data["service"] = service_full(item.service, attributes)
    return data
