"""A map in and out of hct: GraphML and GEXF (networkx), Kumu's JSON blueprint, and an Excel
workbook with `Factors` and `Links` sheets as PRSM reads and writes it.

Every format goes through one plan (`MapFile`): the actors by a reference and the links between
references. Reading checks the whole plan before anything is written and names the element at
fault; `write.map_import` then writes all of it or nothing. Only shared actors travel: the actors
about one person (family, friends, the person) never leave in an export and cannot come in.
"""

from hct.systemmap.exchange.plan import (
    FORMATS,
    ImportRefused,
    MapFile,
    PlannedActor,
    PlannedLink,
)
from hct.systemmap.exchange.read import read
from hct.systemmap.exchange.write import ImportReport, map_export, map_file_for, map_import

__all__ = [
    "FORMATS",
    "ImportRefused",
    "ImportReport",
    "MapFile",
    "PlannedActor",
    "PlannedLink",
    "map_export",
    "map_file_for",
    "map_import",
    "read",
]
