"""Journeys in and out, as JSON and CSV (the format: docs/journeys-format.md).

An import is read and checked whole before anything is written; the first problem is reported
with the file, the row (CSV) or path (JSON) and the field, and nothing is written. Then it is
written in one transaction.
"""

from hct.journeys.exchange.export import csv_rows, export_csv, export_documents, export_json
from hct.journeys.exchange.format import *  # noqa: F403 - the format's constants and errors
from hct.journeys.exchange.format import ImportProblem, ImportSummary, PlannedJourney
from hct.journeys.exchange.reading import read_csv, read_file, read_json
from hct.journeys.exchange.writing import check, import_journeys

__all__ = [
    "ImportProblem",
    "ImportSummary",
    "PlannedJourney",
    "check",
    "csv_rows",
    "export_csv",
    "export_documents",
    "export_json",
    "import_journeys",
    "read_csv",
    "read_file",
    "read_json",
]
