"""Read the geography and indicator files, check every value, then write them all or nothing.

Everything is parsed and cross-checked before the first write, and the writes run in one
transaction: a bad file leaves the database exactly as it was, and the error names the file, the
line and the column.
"""

import csv
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from hct.places.domains import DOMAINS

DATA_DIR = Path(__file__).resolve().parent / "data"

LSOA_CODE = re.compile(r"^[EW]01\d{6}$")
MSOA_CODE = re.compile(r"^[EW]02\d{6}$")
WARD_CODE = re.compile(r"^[EW]05\d{6}$")
MAX_RANK = 32844  # LSOAs in England (2011)

FILE_DOMAINS = "imd2019_domains_ranks_deciles_coventry_lsoa11.csv"
FILE_SCORES = "imd2019_scores_overall_income_employment_coventry_lsoa11.csv"
FILE_TRANSFORMED = "imd2019_transformed_domain_scores_coventry_lsoa11.csv"
FILE_SUPPLEMENTARY = "imd2019_idaci_idaopi_ranks_deciles_coventry_lsoa11.csv"
FILE_POPULATION = "imd2019_population_denominators_coventry_lsoa11.csv"
FILE_CENTROIDS = "lsoa11_population_weighted_centroids_coventry.csv"
FILE_WARDS = "lsoa11_to_ward19_lad19_lookup_coventry.csv"
FILE_OA = "oa11_lsoa11_msoa11_lad17_lookup_coventry.csv"
FILE_MSOA = "msoa11_names_centroids_coventry.csv"
FILE_BOUNDARIES = "lsoa11_boundaries_coventry.geojson"
FILE_PRACTICES = "gp_practices_coventry_2022_23.csv"
FILE_LIFE_EXPECTANCY = "gp_practice_life_expectancy_msoa_based_coventry.csv"

LSOA_COL = "LSOA code (2011)"
IMD_RANK = "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)"
IMD_DECILE = "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"
IDACI_RANK = "Income Deprivation Affecting Children Index (IDACI) Rank (where 1 is most deprived)"
IDACI_DECILE = "Income Deprivation Affecting Children Index (IDACI) Decile (where 1 is most deprived 10% of LSOAs)"
IDAOPI_RANK = "Income Deprivation Affecting Older People (IDAOPI) Rank (where 1 is most deprived)"
IDAOPI_DECILE = "Income Deprivation Affecting Older People (IDAOPI) Decile (where 1 is most deprived 10% of LSOAs)"
POPULATION_COLUMNS = {
    "population": "Total population: mid 2015 (excluding prisoners)",
    "population_children": "Dependent Children aged 0-15: mid 2015 (excluding prisoners)",
    "population_16_59": "Population aged 16-59: mid 2015 (excluding prisoners)",
    "population_60_plus": "Older population aged 60 and over: mid 2015 (excluding prisoners)",
    "population_working_age": (
        "Working age population 18-59/64: for use with Employment Deprivation Domain "
        "(excluding prisoners)"
    ),
}


def rank_column(domain_name: str) -> str:
    return f"{domain_name} Rank (where 1 is most deprived)"


def decile_column(domain_name: str) -> str:
    return f"{domain_name} Decile (where 1 is most deprived 10% of LSOAs)"


def transformed_column(domain_name: str) -> str:
    return f"{domain_name} Score - exponentially transformed"


MAX_INTEGER = 2_147_483_647


class PlacesDataError(Exception):
    """A data file that cannot be loaded; says which file, line and column, and what is wrong."""

    def __init__(self, file: str, line: int | None, column: str | None, message: str):
        self.file, self.line, self.column, self.message = file, line, column, message
        where = file
        if line is not None:
            where += f", line {line}"
        if column:
            where += f", column '{column}'"
        super().__init__(f"{where}: {message}")


@dataclass
class Row:
    file: str
    line: int
    values: dict[str, str]

    def text(self, column: str) -> str:
        value = (self.values.get(column) or "").strip()
        if not value:
            raise PlacesDataError(self.file, self.line, column, "is empty")
        return value

    def integer(self, column: str, *, low: int | None = None, high: int | None = None) -> int:
        raw = self.text(column)
        try:
            number = float(raw)
        except ValueError:
            raise PlacesDataError(
                self.file, self.line, column, f"{raw!r} is not a number"
            ) from None
        if not number.is_integer():
            raise PlacesDataError(self.file, self.line, column, f"{raw!r} is not a whole number")
        if abs(number) > MAX_INTEGER:  # more than any column of ours (or SQLite) can hold
            raise PlacesDataError(self.file, self.line, column, f"{raw!r} is too large")
        return self._in_range(column, int(number), low, high)

    def number(self, column: str, *, low: float | None = None, high: float | None = None) -> float:
        raw = self.text(column)
        try:
            number = float(raw)
        except ValueError:
            raise PlacesDataError(
                self.file, self.line, column, f"{raw!r} is not a number"
            ) from None
        if number != number or number in (float("inf"), float("-inf")):
            raise PlacesDataError(self.file, self.line, column, f"{raw!r} is not a finite number")
        return self._in_range(column, number, low, high)

    def code(self, column: str, pattern: re.Pattern, what: str) -> str:
        raw = self.text(column)
        if not pattern.match(raw):
            raise PlacesDataError(self.file, self.line, column, f"{raw!r} is not {what}")
        return raw

    def _in_range(self, column, number, low, high):
        if (low is not None and number < low) or (high is not None and number > high):
            raise PlacesDataError(
                self.file, self.line, column, f"{number} is outside {low} to {high}"
            )
        return number


def read_csv(directory: Path, name: str, columns: Iterable[str]) -> list[Row]:
    path = directory / name
    if not path.is_file():
        raise PlacesDataError(name, None, None, f"file not found in {directory}")
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if not header:
                raise PlacesDataError(name, 1, None, "the file is empty: expected a header line")
            header = [h.strip() for h in header]
            for column in columns:
                if column not in header:
                    raise PlacesDataError(name, 1, column, "this column is missing from the header")
            rows = []
            for values in reader:
                line = reader.line_num
                if not any(v.strip() for v in values):
                    continue
                if len(values) != len(header):
                    raise PlacesDataError(
                        name, line, None, f"expected {len(header)} fields, found {len(values)}"
                    )
                rows.append(Row(name, line, dict(zip(header, values, strict=True))))
    except UnicodeDecodeError as error:
        raise PlacesDataError(name, None, None, f"is not UTF-8 text ({error.reason})") from None
    except csv.Error as error:
        raise PlacesDataError(name, None, None, f"is not a readable CSV file ({error})") from None
    if not rows:
        raise PlacesDataError(name, 2, None, "the file has a header but no rows")
    return rows


def by_lsoa(rows: list[Row], column: str, known: set[str] | None) -> dict[str, Row]:
    """Index rows by LSOA code: each code once, each known to the master list."""
    indexed: dict[str, Row] = {}
    for row in rows:
        code = row.code(column, LSOA_CODE, "an LSOA code")
        if known is not None and code not in known:
            raise PlacesDataError(row.file, row.line, column, f"unknown LSOA code {code}")
        if code in indexed:
            raise PlacesDataError(
                row.file,
                row.line,
                column,
                f"{code} appears twice (first on line {indexed[code].line})",
            )
        indexed[code] = row
    if known is not None:
        missing = sorted(known - indexed.keys())
        if missing:
            raise PlacesDataError(
                rows[0].file, None, column, f"no row for LSOA {', '.join(missing[:5])}"
            )
    return indexed


@dataclass
class PlacesData:
    """Everything parsed and checked, ready to write."""

    wards: dict[str, str] = field(default_factory=dict)
    msoas: dict[str, dict] = field(default_factory=dict)
    lsoas: dict[str, dict] = field(default_factory=dict)
    practices: dict[str, dict] = field(default_factory=dict)
    life_expectancy: list[dict] = field(default_factory=list)


def parse(directory: Path = DATA_DIR) -> PlacesData:
    directory = Path(directory)
    data = PlacesData()

    domain_columns = [LSOA_COL, "LSOA name (2011)", IMD_RANK, IMD_DECILE]
    for domain in DOMAINS:
        domain_columns += [rank_column(domain.file2_name), decile_column(domain.file2_name)]
    master = by_lsoa(read_csv(directory, FILE_DOMAINS, domain_columns), LSOA_COL, None)
    known = set(master)

    scores = by_lsoa(
        read_csv(
            directory,
            FILE_SCORES,
            ["lsoa11cd", "imd_score", "income_score_pct", "employment_score_pct"],
        ),
        "lsoa11cd",
        known,
    )
    transformed = by_lsoa(
        read_csv(
            directory,
            FILE_TRANSFORMED,
            [LSOA_COL] + [transformed_column(d.file9_name) for d in DOMAINS],
        ),
        LSOA_COL,
        known,
    )
    supplementary = by_lsoa(
        read_csv(
            directory,
            FILE_SUPPLEMENTARY,
            [LSOA_COL, IMD_RANK, IMD_DECILE, IDACI_RANK, IDACI_DECILE, IDAOPI_RANK, IDAOPI_DECILE],
        ),
        LSOA_COL,
        known,
    )
    population = by_lsoa(
        read_csv(directory, FILE_POPULATION, [LSOA_COL, *POPULATION_COLUMNS.values()]),
        LSOA_COL,
        known,
    )
    centroids = by_lsoa(
        read_csv(directory, FILE_CENTROIDS, ["lsoa11cd", "longitude", "latitude"]),
        "lsoa11cd",
        known,
    )
    wards = by_lsoa(
        read_csv(directory, FILE_WARDS, ["LSOA11CD", "WD19CD", "WD19NM"]), "LSOA11CD", known
    )

    msoa_rows = read_csv(
        directory, FILE_MSOA, ["msoa11cd", "msoa11nm", "msoa11hclnm", "longitude", "latitude"]
    )
    for row in msoa_rows:
        code = row.code("msoa11cd", MSOA_CODE, "an MSOA code")
        if code in data.msoas:
            raise PlacesDataError(row.file, row.line, "msoa11cd", f"{code} appears twice")
        data.msoas[code] = {
            "name": row.text("msoa11nm"),
            "local_name": row.text("msoa11hclnm"),
            "longitude": row.number("longitude", low=-180, high=180),
            "latitude": row.number("latitude", low=-90, high=90),
        }

    lsoa_msoa: dict[str, str] = {}
    for row in read_csv(directory, FILE_OA, ["LSOA11CD", "MSOA11CD"]):
        lsoa = row.code("LSOA11CD", LSOA_CODE, "an LSOA code")
        if lsoa not in known:
            raise PlacesDataError(row.file, row.line, "LSOA11CD", f"unknown LSOA code {lsoa}")
        msoa = row.code("MSOA11CD", MSOA_CODE, "an MSOA code")
        if msoa not in data.msoas:
            raise PlacesDataError(row.file, row.line, "MSOA11CD", f"unknown MSOA code {msoa}")
        if lsoa_msoa.setdefault(lsoa, msoa) != msoa:
            raise PlacesDataError(
                row.file, row.line, "MSOA11CD", f"{lsoa} is in {lsoa_msoa[lsoa]} on an earlier line"
            )
    missing = sorted(known - lsoa_msoa.keys())
    if missing:
        raise PlacesDataError(
            FILE_OA, None, "LSOA11CD", f"no output area for LSOA {', '.join(missing[:5])}"
        )

    boundaries = parse_boundaries(directory / FILE_BOUNDARIES, known)

    for code, row in master.items():
        ward_row = wards[code]
        ward_code = ward_row.code("WD19CD", WARD_CODE, "a ward code")
        ward_name = ward_row.text("WD19NM")
        if data.wards.setdefault(ward_code, ward_name) != ward_name:
            raise PlacesDataError(
                ward_row.file,
                ward_row.line,
                "WD19NM",
                f"{ward_code} has another name on an earlier line",
            )
        record = {
            "name": row.text("LSOA name (2011)"),
            "ward_code": ward_code,
            "msoa_code": lsoa_msoa[code],
            "imd_rank": row.integer(IMD_RANK, low=1, high=MAX_RANK),
            "imd_decile": row.integer(IMD_DECILE, low=1, high=10),
            "boundary": boundaries[code],
        }
        for domain in DOMAINS:
            record[f"{domain.key}_rank"] = row.integer(
                rank_column(domain.file2_name), low=1, high=MAX_RANK
            )
            record[f"{domain.key}_decile"] = row.integer(
                decile_column(domain.file2_name), low=1, high=10
            )
            record[f"{domain.key}_transformed"] = transformed[code].number(
                transformed_column(domain.file9_name), low=0
            )
        score = scores[code]
        record["imd_score"] = score.number("imd_score", low=0, high=100)
        record["income_score_pct"] = score.number("income_score_pct", low=0, high=100)
        record["employment_score_pct"] = score.number("employment_score_pct", low=0, high=100)
        supp = supplementary[code]
        # File 3 repeats the IMD rank and decile: they must agree with File 2's.
        for column, key in ((IMD_RANK, "imd_rank"), (IMD_DECILE, "imd_decile")):
            if supp.integer(column, low=1, high=MAX_RANK) != record[key]:
                raise PlacesDataError(
                    supp.file, supp.line, column, f"differs from {FILE_DOMAINS} ({record[key]})"
                )
        record["idaci_rank"] = supp.integer(IDACI_RANK, low=1, high=MAX_RANK)
        record["idaci_decile"] = supp.integer(IDACI_DECILE, low=1, high=10)
        record["idaopi_rank"] = supp.integer(IDAOPI_RANK, low=1, high=MAX_RANK)
        record["idaopi_decile"] = supp.integer(IDAOPI_DECILE, low=1, high=10)
        pop = population[code]
        for key, column in POPULATION_COLUMNS.items():
            record[key] = pop.integer(column, low=0)
        centroid = centroids[code]
        record["longitude"] = centroid.number("longitude", low=-180, high=180)
        record["latitude"] = centroid.number("latitude", low=-90, high=90)
        data.lsoas[code] = record

    parse_practices(directory, data)
    return data


def parse_boundaries(path: Path, known: set[str]) -> dict[str, dict]:
    name = path.name
    if not path.is_file():
        raise PlacesDataError(name, None, None, "file not found")
    try:
        collection = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        line = getattr(error, "lineno", None)
        raise PlacesDataError(name, line, None, f"is not valid GeoJSON ({error})") from None
    features = collection.get("features") if isinstance(collection, dict) else None
    if not isinstance(features, list):
        raise PlacesDataError(name, None, "features", "a GeoJSON FeatureCollection is expected")
    boundaries: dict[str, dict] = {}
    for index, feature in enumerate(features):
        where = f"features[{index}]"
        props = feature.get("properties") if isinstance(feature, dict) else None
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        code = (props or {}).get("LSOA11CD")
        if not isinstance(code, str) or not LSOA_CODE.match(code):
            raise PlacesDataError(
                name, None, f"{where}.properties.LSOA11CD", f"{code!r} is not an LSOA code"
            )
        if code not in known:
            raise PlacesDataError(
                name, None, f"{where}.properties.LSOA11CD", f"unknown LSOA code {code}"
            )
        if code in boundaries:
            raise PlacesDataError(
                name, None, f"{where}.properties.LSOA11CD", f"{code} appears twice"
            )
        if not isinstance(geometry, dict) or geometry.get("type") not in (
            "Polygon",
            "MultiPolygon",
        ):
            raise PlacesDataError(
                name, None, f"{where}.geometry", "a Polygon or MultiPolygon is expected"
            )
        if not isinstance(geometry.get("coordinates"), list):
            raise PlacesDataError(
                name, None, f"{where}.geometry.coordinates", "coordinates are missing"
            )
        boundaries[code] = {"type": geometry["type"], "coordinates": geometry["coordinates"]}
    missing = sorted(known - boundaries.keys())
    if missing:
        raise PlacesDataError(
            name, None, "features", f"no boundary for LSOA {', '.join(missing[:5])}"
        )
    return boundaries


def parse_practices(directory: Path, data: PlacesData) -> None:
    for row in read_csv(
        directory,
        FILE_PRACTICES,
        [
            "practice_code",
            "practice_name",
            "practice_address",
            "pcn_name",
            "registered_patients_2022_23",
        ],
    ):
        code = row.text("practice_code")
        if code in data.practices:
            raise PlacesDataError(row.file, row.line, "practice_code", f"{code} appears twice")
        patients = (row.values.get("registered_patients_2022_23") or "").strip()
        data.practices[code] = {
            "name": row.text("practice_name").title(),
            "pcn_name": (row.values.get("pcn_name") or "").strip().title(),
            "registered_patients": row.number("registered_patients_2022_23", low=0)
            if patients
            else None,
            # Used only to find the place the practice names; the address itself is not kept.
            "search_text": f"{row.text('practice_name')} {row.values.get('practice_address', '')}".upper(),
        }
    seen: set[tuple[str, int]] = set()
    for row in read_csv(
        directory,
        FILE_LIFE_EXPECTANCY,
        ["practice_code", "year", "life_expectancy_female", "life_expectancy_male"],
    ):
        code = row.text("practice_code")
        if code not in data.practices:
            raise PlacesDataError(
                row.file, row.line, "practice_code", f"unknown practice code {code}"
            )
        year = row.integer("year", low=1990, high=2100)
        if (code, year) in seen:
            raise PlacesDataError(row.file, row.line, "year", f"{code} has two rows for {year}")
        seen.add((code, year))
        data.life_expectancy.append(
            {
                "practice_code": code,
                "year": year,
                "female": row.number("life_expectancy_female", low=40, high=110),
                "male": row.number("life_expectancy_male", low=40, high=110),
            }
        )


def place_named(search_text: str, places: dict[str, set[str]]) -> tuple[str, set[str]]:
    """The longest ward or MSOA name found as whole words in a practice's name and address."""
    best = ""
    for place in places:
        pattern = r"\b" + re.escape(place.upper()) + r"\b"
        if re.search(pattern, search_text) and len(place) > len(best):
            best = place
    return best, places.get(best, set())


@dataclass
class LoadSummary:
    lsoas: int
    wards: int
    msoas: int
    practices: int
    life_expectancy_rows: int
    ward_neighbourhoods: int
    decile_counts: dict[int, int]


@transaction.atomic
def write(data: PlacesData, *, source: str) -> LoadSummary:
    from hct.places.models import (
        GpPractice,
        Lsoa,
        Msoa,
        Neighbourhood,
        PlacesLoad,
        PracticeLifeExpectancy,
        Ward,
    )

    Ward.objects.bulk_create(
        [Ward(code=code, name=name) for code, name in data.wards.items()],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name"],
    )
    Msoa.objects.bulk_create(
        [Msoa(code=code, **values) for code, values in data.msoas.items()],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "local_name", "longitude", "latitude"],
    )
    ward_ids = dict(Ward.objects.values_list("code", "id"))
    msoa_ids = dict(Msoa.objects.values_list("code", "id"))
    lsoa_objects = []
    for code, values in data.lsoas.items():
        fields = {k: v for k, v in values.items() if k not in ("ward_code", "msoa_code")}
        lsoa_objects.append(
            Lsoa(
                code=code,
                ward_id=ward_ids[values["ward_code"]],
                msoa_id=msoa_ids[values["msoa_code"]],
                **fields,
            )
        )
    update_fields = [f.name for f in Lsoa._meta.concrete_fields if f.name not in ("id", "code")]
    Lsoa.objects.bulk_create(
        lsoa_objects, update_conflicts=True, unique_fields=["code"], update_fields=update_fields
    )
    lsoa_ids = dict(Lsoa.objects.filter(code__in=data.lsoas).values_list("code", "id"))

    # Ward neighbourhoods: one per ward, kept in step with the lookup.
    for ward_code, ward_name in data.wards.items():
        neighbourhood, _ = Neighbourhood.objects.update_or_create(
            slug=slugify(ward_name),
            defaults={"name": ward_name, "kind": Neighbourhood.Kind.WARD},
        )
        members = [lsoa_ids[c] for c, v in data.lsoas.items() if v["ward_code"] == ward_code]
        if set(neighbourhood.lsoas.values_list("id", flat=True)) != set(members):
            neighbourhood.lsoas.set(members)

    # Practices and the place their published name or address names (wards, then MSOA names).
    places: dict[str, set[str]] = {}
    for ward_code, ward_name in data.wards.items():
        places[ward_name] = {c for c, v in data.lsoas.items() if v["ward_code"] == ward_code}
    for msoa_code, msoa in data.msoas.items():
        lsoas = {c for c, v in data.lsoas.items() if v["msoa_code"] == msoa_code}
        places.setdefault(msoa["local_name"], set()).update(lsoas)
    practice_objects = []
    practice_places = {}
    for code, values in data.practices.items():
        name, codes = place_named(values["search_text"], places)
        practice_places[code] = codes
        practice_objects.append(
            GpPractice(
                code=code,
                name=values["name"],
                pcn_name=values["pcn_name"],
                registered_patients=values["registered_patients"],
                place_named=name,
            )
        )
    GpPractice.objects.bulk_create(
        practice_objects,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "pcn_name", "registered_patients", "place_named"],
    )
    practice_ids = dict(
        GpPractice.objects.filter(code__in=data.practices).values_list("code", "id")
    )
    through = GpPractice.place_lsoas.through
    through.objects.filter(gppractice_id__in=practice_ids.values()).delete()
    through.objects.bulk_create(
        [
            through(gppractice_id=practice_ids[code], lsoa_id=lsoa_ids[lsoa])
            for code, lsoas in practice_places.items()
            for lsoa in sorted(lsoas)
        ]
    )
    PracticeLifeExpectancy.objects.bulk_create(
        [
            PracticeLifeExpectancy(
                practice_id=practice_ids[row["practice_code"]],
                year=row["year"],
                female=row["female"],
                male=row["male"],
            )
            for row in data.life_expectancy
        ],
        update_conflicts=True,
        unique_fields=["practice", "year"],
        update_fields=["female", "male"],
    )
    PlacesLoad.objects.create(source=source[:300], lsoas=len(data.lsoas))

    decile_counts = {d: 0 for d in range(1, 11)}
    for values in data.lsoas.values():
        decile_counts[values["imd_decile"]] += 1
    return LoadSummary(
        lsoas=len(data.lsoas),
        wards=len(data.wards),
        msoas=len(data.msoas),
        practices=len(data.practices),
        life_expectancy_rows=len(data.life_expectancy),
        ward_neighbourhoods=len(data.wards),
        decile_counts=decile_counts,
    )
