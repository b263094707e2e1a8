"""Reads for the directory: the ORUK API's lists and nested records, Find help, imports, and what
other apps may ask of the directory (organisations to tie actors to, services by category).

Every list here makes a constant number of queries whatever its length: filters run in the
database, distances and opening times (which need the schedules' rules) in Python over the
matching ids, and only the page shown is loaded with its related records.
"""

from hct.directory.selectors.find_help import (
    PAGE_SIZE,
    HelpPage,
    HelpQuery,
    HelpRow,
    ServiceDetail,
    find_help,
    service_detail,
)
from hct.directory.selectors.imports import (
    import_counts,
    import_run_get,
    import_runs_for,
    lsoas_in,
)
from hct.directory.selectors.records import (
    EARTH_RADIUS_M,
    LISTED,
    Point,
    ServiceFilters,
    TermChoice,
    attributes_for,
    great_circle_m,
    organization_list,
    service_at_location_full,
    service_at_location_ids,
    service_at_location_list,
    service_at_locations_by_id,
    service_full,
    service_list,
    taxonomy_get,
    taxonomy_list,
    taxonomy_term_get,
    taxonomy_terms,
    term_descendants,
    term_tree,
)

__all__ = [
    "EARTH_RADIUS_M",
    "LISTED",
    "PAGE_SIZE",
    "HelpPage",
    "HelpQuery",
    "HelpRow",
    "Point",
    "ServiceDetail",
    "ServiceFilters",
    "TermChoice",
    "attributes_for",
    "find_help",
    "great_circle_m",
    "import_counts",
    "import_run_get",
    "import_runs_for",
    "lsoas_in",
    "organization_list",
    "service_at_location_full",
    "service_at_location_ids",
    "service_at_location_list",
    "service_at_locations_by_id",
    "service_detail",
    "service_full",
    "service_list",
    "taxonomy_get",
    "taxonomy_list",
    "taxonomy_term_get",
    "taxonomy_terms",
    "term_descendants",
    "term_tree",
]
