"""The record kinds of the UK profile as the importer sees them: each kind's schema, table, model,
the fields it keeps, the references it makes and the records it nests.

Model fields carry the standard's names (a foreign key's column is the standard's `…_id`), so
one table of field names serves reading JSON, reading CSV, writing and serving.
"""

from dataclasses import dataclass

from django.db import models

from hct.directory import models as m


@dataclass(frozen=True)
class Ref:
    field: str  # the standard's field, e.g. "organization_id"
    kind: str  # the kind it points at
    hard: bool  # True: the record must exist (in the file or the directory)


@dataclass(frozen=True)
class Nest:
    """A record nested inside another in the JSON form."""

    key: str  # the JSON key, e.g. "schedules"
    kind: str
    many: bool
    # many: the child's field that points back at its parent ("attribute": link_id/link_entity);
    # single: the parent's field that takes the nested record's id.
    link: str
    prune: bool = False  # the parent keeps exactly the children the file lists
    schema: str | None = None  # validated on its own: the parent's schema does not describe it


ATTRIBUTES = Nest("attributes", "attribute", True, "attribute", prune=True)


@dataclass(frozen=True)
class Kind:
    name: str
    schema: str
    model: type[models.Model]
    table: str  # the standard's CSV file name
    fields: tuple[str, ...]
    refs: tuple[Ref, ...] = ()
    nests: tuple[Nest, ...] = ()
    aliases: tuple[str, ...] = ()  # other file names seen in the wild (HSDS 3.0's plurals)
    owners: tuple[str, ...] = ()  # a new record needs at least one of these set
    extensions: tuple[str, ...] = ()  # HSDS 3.0 fields the UK profile left out; kept if given

    def model_field(self, name: str) -> models.Field:
        for field in self.model._meta.concrete_fields:
            if field.attname == name or field.name == name:
                return field
        raise KeyError(name)


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "taxonomy",
            "taxonomy.json",
            m.Taxonomy,
            "taxonomies.csv",
            ("name", "description", "uri", "version"),
            nests=(Nest("taxonomy_terms", "taxonomy_term", True, "taxonomy_id"),),
            aliases=("taxonomy.csv",),
        ),
        Kind(
            "taxonomy_term",
            "taxonomy_term.json",
            m.TaxonomyTerm,
            "taxonomy_terms.csv",
            (
                "name",
                "description",
                "parent_id",
                "taxonomy",
                "taxonomy_id",
                "term_uri",
                "term",
            ),
            refs=(Ref("parent_id", "taxonomy_term", False), Ref("taxonomy_id", "taxonomy", False)),
            aliases=("taxonomy_term.csv",),
        ),
        Kind(
            "organization",
            "organization.json",
            m.Organization,
            "organizations.csv",
            ("name", "description", "email", "website", "logo", "uri", "parent_organization_id"),
            refs=(Ref("parent_organization_id", "organization", False),),
            nests=(
                Nest(
                    "organization_identifiers",
                    "organization_identifier",
                    True,
                    "organization_id",
                    prune=True,
                ),
                ATTRIBUTES,
                Nest("services", "service", True, "organization_id", schema="service.json"),
            ),
            aliases=("organization.csv",),
        ),
        Kind(
            "organization_identifier",
            "organization_identifier.json",
            m.OrganizationIdentifier,
            "organization_identifiers.csv",
            ("organization_id", "identifier_scheme", "identifier_type", "identifier"),
            refs=(Ref("organization_id", "organization", True),),
            nests=(ATTRIBUTES,),
            owners=("organization_id",),
        ),
        Kind(
            "location",
            "location.json",
            m.Location,
            "locations.csv",
            (
                "location_type",
                "name",
                "description",
                "latitude",
                "longitude",
                "external_identifier",
                "external_identifier_type",
            ),
            nests=(
                Nest("addresses", "address", True, "location_id", prune=True),
                Nest("accessibility", "accessibility", True, "location_id", prune=True),
                ATTRIBUTES,
            ),
            aliases=("location.csv",),
        ),
        Kind(
            "address",
            "address.json",
            m.Address,
            "address.csv",
            (
                "location_id",
                "attention",
                "address_1",
                "city",
                "region",
                "state_province",
                "postal_code",
                "country",
                "address_type",
            ),
            refs=(Ref("location_id", "location", True),),
            nests=(ATTRIBUTES,),
            aliases=("addresses.csv",),
            owners=("location_id",),
        ),
        Kind(
            "accessibility",
            "accessibility.json",
            m.Accessibility,
            "accessibility.csv",
            ("location_id", "description", "details", "url", "accessibility"),
            refs=(Ref("location_id", "location", True),),
            nests=(ATTRIBUTES,),
            aliases=("accessibility_for_disabilities.csv",),
            owners=("location_id",),
        ),
        Kind(
            "service",
            "service.json",
            m.Service,
            "services.csv",
            (
                "organization_id",
                "name",
                "description",
                "url",
                "email",
                "status",
                "fees",
                "accreditations",
                "minimum_age",
                "maximum_age",
                "assured_date",
                "assurer_email",
                "alert",
                "last_modified",
            ),
            refs=(Ref("organization_id", "organization", True),),
            nests=(
                Nest("organization", "organization", False, "organization_id"),
                Nest("schedules", "schedule", True, "service_id", prune=True),
                Nest("service_areas", "service_area", True, "service_id", prune=True),
                Nest("service_at_locations", "service_at_location", True, "service_id", prune=True),
                Nest("languages", "language", True, "service_id", prune=True),
                Nest("funding", "funding", True, "service_id", prune=True),
                Nest("cost_options", "cost_option", True, "service_id", prune=True),
                Nest("contacts", "contact", True, "service_id", prune=True),
                ATTRIBUTES,
            ),
            aliases=("service.csv",),
        ),
        Kind(
            "service_at_location",
            "service_at_location.json",
            m.ServiceAtLocation,
            "service_at_location.csv",
            ("service_id", "location_id"),
            refs=(Ref("service_id", "service", True), Ref("location_id", "location", True)),
            nests=(
                Nest("location", "location", False, "location_id"),
                Nest("service", "service", False, "service_id", schema="service.json"),
            ),
            aliases=("service_at_locations.csv",),
            owners=("service_id",),
        ),
        Kind(
            "contact",
            "contact.json",
            m.Contact,
            "contacts.csv",
            ("service_id", "name", "title"),
            refs=(Ref("service_id", "service", True),),
            nests=(
                ATTRIBUTES,
                Nest("phones", "phone", True, "contact_id", prune=True, schema="phone.json"),
            ),
            aliases=("contact.csv",),
        ),
        Kind(
            "phone",
            "phone.json",
            m.Phone,
            "phones.csv",
            ("contact_id", "number", "description"),
            refs=(Ref("contact_id", "contact", True),),
            nests=(Nest("languages", "language", True, "phone_id", prune=True),),
            aliases=("phone.csv",),
        ),
        Kind(
            "language",
            "language.json",
            m.Language,
            "languages.csv",
            ("service_id", "phone_id"),
            refs=(Ref("service_id", "service", True), Ref("phone_id", "phone", True)),
            aliases=("language.csv",),
            extensions=("name", "code"),
        ),
        Kind(
            "schedule",
            "schedule.json",
            m.Schedule,
            "schedule.csv",
            (
                "service_id",
                "service_at_location_id",
                "valid_from",
                "valid_to",
                "dtstart",
                "freq",
                "interval",
                "byday",
                "bymonthday",
                "description",
                "opens_at",
                "closes_at",
                "schedule_link",
                "attending_type",
                "notes",
            ),
            refs=(
                Ref("service_id", "service", True),
                Ref("service_at_location_id", "service_at_location", True),
            ),
            aliases=("schedules.csv",),
            owners=("service_id", "service_at_location_id"),
        ),
        Kind(
            "service_area",
            "service_area.json",
            m.ServiceArea,
            "service_areas.csv",
            ("service_id", "name", "extent", "extent_type", "uri", "service_area"),
            refs=(Ref("service_id", "service", True),),
            aliases=("service_area.csv",),
            owners=("service_id",),
        ),
        Kind(
            "funding",
            "funding.json",
            m.Funding,
            "funding.csv",
            ("service_id", "source"),
            refs=(Ref("service_id", "service", True),),
            owners=("service_id",),
        ),
        Kind(
            "cost_option",
            "cost_option.json",
            m.CostOption,
            "cost_options.csv",
            ("service_id", "valid_from", "valid_to", "option", "amount", "amount_description"),
            refs=(Ref("service_id", "service", True),),
            aliases=("cost_option.csv",),
            owners=("service_id",),
        ),
        Kind(
            "attribute",
            "attribute.json",
            m.Attribute,
            "attribute.csv",
            ("link_id", "link_type", "taxonomy_term_id"),
            refs=(Ref("taxonomy_term_id", "taxonomy_term", True),),
            nests=(Nest("taxonomy_term", "taxonomy_term", False, "taxonomy_term_id"),),
            aliases=("attributes.csv",),
            owners=("taxonomy_term_id",),
            extensions=("link_entity",),
        ),
    )
}

# Kinds that may carry attributes, i.e. what an attribute's link_id may name.
LINKABLE = tuple(kind.name for kind in KINDS.values() if ATTRIBUTES in kind.nests)

TABLES: dict[str, str] = {kind.table: kind.name for kind in KINDS.values()}
ALIASES: dict[str, str] = {alias: kind.name for kind in KINDS.values() for alias in kind.aliases}

# Tables of HSDS 3.0 that the UK profile leaves out: named when skipped, so nobody wonders.
NOT_IN_PROFILE = {
    "programs.csv",
    "required_documents.csv",
    "meta_table_descriptions.csv",
    "metadata.csv",
    "url.csv",
    "urls.csv",
}


def kind_for_file_name(name: str) -> str | None:
    """The kind a file name suggests: a table name, or a word in a JSON file's name."""
    base = name.rsplit("/", 1)[-1].lower()
    if base in TABLES:
        return TABLES[base]
    if base in ALIASES:
        return ALIASES[base]
    stem = base.rsplit(".", 1)[0]
    for word, kind in (
        ("service_at_location", "service_at_location"),
        ("taxonomy_term", "taxonomy_term"),
        ("taxonom", "taxonomy"),
        ("organi", "organization"),
        ("service", "service"),
    ):
        if word in stem:
            return kind
    return None


def kind_from_fields(record: dict) -> str | None:
    """The kind a single record's fields suggest, when its file name says nothing. Taxonomies,
    terms and organisations share their required fields: a record with only those is ambiguous."""
    keys = set(record)
    if keys & {"status", "schedules", "service_at_locations", "organization", "cost_options"}:
        return "service"
    if keys & {"location", "location_id"} or ("service" in keys and "id" in keys):
        return "service_at_location"
    if keys & {"services", "organization_identifiers", "website", "logo", "parent_organization_id"}:
        return "organization"
    if keys & {"parent_id", "term", "term_uri", "taxonomy", "taxonomy_id"}:
        return "taxonomy_term"
    if keys & {"taxonomy_terms", "version"}:
        return "taxonomy"
    return None


def write_order() -> list[Kind]:
    """Targets before the records that point at them."""
    order = [
        "taxonomy",
        "taxonomy_term",
        "organization",
        "organization_identifier",
        "location",
        "address",
        "accessibility",
        "service",
        "service_at_location",
        "contact",
        "phone",
        "language",
        "schedule",
        "service_area",
        "funding",
        "cost_option",
        "attribute",
    ]
    return [KINDS[name] for name in order]
