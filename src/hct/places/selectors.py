"""Reads for places: neighbourhood lists and profiles, the Where next ranking."""

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from statistics import median

from django.core.cache import cache
from django.db.models import Count, Min, Q, Sum

from hct.places.domains import DECILES, DOMAINS
from hct.places.models import (
    GpPractice,
    Lsoa,
    Neighbourhood,
    PlacesLoad,
    PracticeLifeExpectancy,
    WhereNextChoice,
)


def places_loaded() -> bool:
    return Lsoa.objects.exists()


def places_version() -> int:
    return PlacesLoad.objects.order_by("-id").values_list("id", flat=True).first() or 0


def neighbourhood_list(*, kind: str | None = None):
    """Every neighbourhood with its size and how many of its LSOAs are in the most deprived decile."""
    queryset = Neighbourhood.objects.annotate(
        lsoa_count=Count("lsoas", distinct=True),
        population=Sum("lsoas__population"),
        most_deprived=Count("lsoas", filter=Q(lsoas__imd_decile=1), distinct=True),
        best_rank=Min("lsoas__imd_rank"),
    ).order_by("name")
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset


def neighbourhood_get(slug: str) -> Neighbourhood | None:
    """The neighbourhood with this slug, or None."""
    return Neighbourhood.objects.filter(slug=slug).first()


@dataclass
class DomainProfile:
    key: str
    label: str
    deciles: list[int]  # LSOAs in national deciles 1..10
    most_deprived_fifth: int  # LSOAs in deciles 1 and 2
    median_decile: float


@dataclass
class PracticeFigures:
    name: str
    pcn_name: str
    place_named: str
    registered_patients: float | None
    year: int | None
    female: float | None
    male: float | None


@dataclass
class Profile:
    neighbourhood_id: int
    lsoa_count: int
    population: int
    children: int
    older: int
    wards: list[str]
    msoas: list[str]
    imd_deciles: list[int]
    domains: list[DomainProfile]
    lsoas: list[dict]
    practices: list[PracticeFigures]
    city_life_expectancy: dict = field(default_factory=dict)

    @property
    def imd_decile_rows(self):
        return list(zip(DECILES, self.imd_deciles, strict=True))

    @property
    def max_decile_count(self) -> int:
        return max(self.imd_deciles) if self.imd_deciles else 0


_LSOA_COLUMNS = [
    "code",
    "name",
    "ward__name",
    "msoa__local_name",
    "population",
    "population_children",
    "population_60_plus",
    "imd_rank",
    "imd_decile",
    "imd_score",
    *[f"{d.key}_decile" for d in DOMAINS],
]


def profile_version(neighbourhood: Neighbourhood) -> str:
    """Changes whenever the figures of a neighbourhood's profile could: a reload of the data or a
    change to the neighbourhood itself."""
    return f"{neighbourhood.updated_at.timestamp()}:{places_version()}"


def neighbourhood_profile(neighbourhood: Neighbourhood, version: str | None = None) -> Profile:
    """The figures of a neighbourhood's profile page; cached by version, because the underlying
    statistics change only when `hct load-places` runs."""
    key = f"places:profile:{neighbourhood.pk}:{version or profile_version(neighbourhood)}"
    profile = cache.get(key)
    if profile is None:
        profile = _build_profile(neighbourhood)
        cache.set(key, profile, timeout=24 * 60 * 60)
    return profile


def _build_profile(neighbourhood: Neighbourhood) -> Profile:
    rows = list(neighbourhood.lsoas.order_by("imd_rank").values(*_LSOA_COLUMNS))
    imd_counts = Counter(row["imd_decile"] for row in rows)
    domains = []
    for domain in DOMAINS:
        deciles = [row[f"{domain.key}_decile"] for row in rows]
        counts = Counter(deciles)
        domains.append(
            DomainProfile(
                key=domain.key,
                label=domain.label,
                deciles=[counts.get(d, 0) for d in DECILES],
                most_deprived_fifth=counts.get(1, 0) + counts.get(2, 0),
                median_decile=median(deciles) if deciles else 0,
            )
        )
    practices = practices_serving(neighbourhood)
    return Profile(
        neighbourhood_id=neighbourhood.pk,
        lsoa_count=len(rows),
        population=sum(row["population"] for row in rows),
        children=sum(row["population_children"] for row in rows),
        older=sum(row["population_60_plus"] for row in rows),
        wards=sorted({row["ward__name"] for row in rows}),
        msoas=sorted({row["msoa__local_name"] for row in rows}),
        imd_deciles=[imd_counts.get(d, 0) for d in DECILES],
        domains=domains,
        lsoas=rows,
        practices=practices,
        city_life_expectancy=city_life_expectancy(),
    )


def practices_serving(neighbourhood: Neighbourhood) -> list[PracticeFigures]:
    """Practices whose published name or address names a ward or MSOA in this neighbourhood,
    each with its latest MSOA-based life expectancy."""
    practices = list(
        GpPractice.objects.filter(place_lsoas__neighbourhoods=neighbourhood)
        .distinct()
        .order_by("name")
    )
    latest: dict[int, PracticeLifeExpectancy] = {}
    for row in PracticeLifeExpectancy.objects.filter(practice__in=practices).order_by(
        "practice_id", "year"
    ):
        latest[row.practice_id] = row
    figures = []
    for practice in practices:
        found = latest.get(practice.pk)
        figures.append(
            PracticeFigures(
                name=practice.name,
                pcn_name=practice.pcn_name,
                place_named=practice.place_named,
                registered_patients=practice.registered_patients,
                year=found.year if found else None,
                female=found.female if found else None,
                male=found.male if found else None,
            )
        )
    return figures


def city_life_expectancy() -> dict:
    """The range across every practice in the latest year, as context for a neighbourhood's."""
    year = PracticeLifeExpectancy.objects.order_by("-year").values_list("year", flat=True).first()
    if year is None:
        return {}
    rows = list(PracticeLifeExpectancy.objects.filter(year=year).values_list("female", "male"))
    return {
        "year": year,
        "practices": len(rows),
        "female_min": min(r[0] for r in rows),
        "female_max": max(r[0] for r in rows),
        "male_min": min(r[1] for r in rows),
        "male_max": max(r[1] for r in rows),
    }


def neighbourhood_geojson(neighbourhood: Neighbourhood) -> dict:
    """The neighbourhood's LSOAs as GeoJSON for the map, with the figures the map shades by."""
    features = []
    for lsoa in neighbourhood.lsoas.order_by("code").values(
        "code", "name", "imd_decile", "imd_rank", "population", "boundary"
    ):
        features.append(
            {
                "type": "Feature",
                "geometry": lsoa["boundary"],
                "properties": {
                    "code": lsoa["code"],
                    "name": lsoa["name"],
                    "imd_decile": lsoa["imd_decile"],
                    "imd_rank": lsoa["imd_rank"],
                    "population": lsoa["population"],
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


# ---------------------------------------------------------------------------------------------
# Where next: a transparent, adjustable ranking of neighbourhoods.


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    explanation: str
    higher_is_more_need: bool
    default_weight: int


INDICATORS = (
    Indicator(
        "most_deprived_share",
        "Share of LSOAs in England's most deprived 10%",
        "The percentage of the neighbourhood's LSOAs in national IMD decile 1.",
        True,
        3,
    ),
    Indicator(
        "health_rank",
        "Health deprivation and disability (average national rank)",
        "The population-weighted average rank of its LSOAs on the health domain; "
        "1 is the most deprived LSOA in England, so a lower rank means more need.",
        False,
        2,
    ),
    Indicator(
        "imd_score",
        "IMD score (population-weighted average)",
        "The average Index of Multiple Deprivation score of its LSOAs, weighted by population.",
        True,
        1,
    ),
    Indicator(
        "population",
        "Population",
        "How many people live there (mid-2015): the more people, the more the work can reach.",
        True,
        1,
    ),
)
DEFAULT_WEIGHTS = {indicator.key: indicator.default_weight for indicator in INDICATORS}


@dataclass
class RankedNeighbourhood:
    neighbourhood: Neighbourhood
    values: dict[str, float]
    parts: dict[str, float]  # each indicator's weighted contribution, 0..100 in total
    score: float
    rank: int = 0


def where_next_ranking(
    weights: Mapping[str, float], *, kind: str | None = None
) -> list[RankedNeighbourhood]:
    """Rank neighbourhoods by a weighted sum of indicators, each scaled 0 (least need) to 1 (most
    need) across the neighbourhoods compared. The score is out of 100."""
    queryset = Neighbourhood.objects.order_by("name")
    neighbourhoods = list(queryset.filter(kind=kind) if kind else queryset)
    through = Neighbourhood.lsoas.through
    members: dict[int, list[int]] = defaultdict(list)
    for neighbourhood_id, lsoa_id in through.objects.filter(
        neighbourhood_id__in=[n.pk for n in neighbourhoods]
    ).values_list("neighbourhood_id", "lsoa_id"):
        members[neighbourhood_id].append(lsoa_id)
    lsoas = {
        row["id"]: row
        for row in Lsoa.objects.values("id", "population", "imd_decile", "imd_score", "health_rank")
    }
    values: dict[int, dict[str, float]] = {}
    for neighbourhood in neighbourhoods:
        rows = [lsoas[i] for i in members.get(neighbourhood.pk, []) if i in lsoas]
        population = sum(r["population"] for r in rows)
        if not rows or population == 0:
            continue
        values[neighbourhood.pk] = {
            "most_deprived_share": 100 * sum(r["imd_decile"] == 1 for r in rows) / len(rows),
            "health_rank": sum(r["health_rank"] * r["population"] for r in rows) / population,
            "imd_score": sum(r["imd_score"] * r["population"] for r in rows) / population,
            "population": population,
        }
    total_weight = sum(max(0.0, float(weights.get(i.key, 0))) for i in INDICATORS)
    ranked = []
    for neighbourhood in neighbourhoods:
        if neighbourhood.pk not in values:
            continue
        own = values[neighbourhood.pk]
        parts = {}
        for indicator in INDICATORS:
            column = [v[indicator.key] for v in values.values()]
            low, high = min(column), max(column)
            scaled = 0.0 if high == low else (own[indicator.key] - low) / (high - low)
            if not indicator.higher_is_more_need:
                scaled = 1 - scaled
            weight = max(0.0, float(weights.get(indicator.key, 0)))
            parts[indicator.key] = 100 * weight * scaled / total_weight if total_weight else 0.0
        ranked.append(RankedNeighbourhood(neighbourhood, own, parts, sum(parts.values())))
    ranked.sort(key=lambda r: (-r.score, r.neighbourhood.name))
    for position, item in enumerate(ranked, start=1):
        item.rank = position
    return ranked


def where_next_choices():
    return (
        WhereNextChoice.objects.select_related("chosen_by")
        .prefetch_related("neighbourhoods")
        .order_by("-chosen_at", "-id")
    )


# ---------------------------------------------------------------------------------------------
# Points and LSOAs (used by the directory: which LSOA a service's location is in, and the
# population-weighted centroid a distance is measured from).


def lsoa_by_code(code: str) -> Lsoa | None:
    return Lsoa.objects.select_related("ward").filter(code=code).first()


def lsoas_for_choice():
    """Every LSOA with its ward, for a list to choose from."""
    return Lsoa.objects.select_related("ward").order_by("ward__name", "name")


def _inside(x: float, y: float, ring: list) -> bool:
    """Ray casting: does the ring (a list of [x, y]) contain the point?"""
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def lsoa_locator():
    """A function from a WGS84 point (latitude, longitude) to the id of the LSOA whose boundary
    holds it, or None outside every loaded LSOA. Reads the boundaries once (one query)."""
    shapes = []
    for lsoa_id, boundary in Lsoa.objects.values_list("id", "boundary"):
        geometry = boundary or {}
        polygons = geometry.get("coordinates") or []
        if geometry.get("type") == "Polygon":
            polygons = [polygons]
        elif geometry.get("type") != "MultiPolygon":
            continue
        for polygon in polygons:
            if not polygon:
                continue
            xs = [point[0] for point in polygon[0]]
            ys = [point[1] for point in polygon[0]]
            shapes.append((lsoa_id, (min(xs), min(ys), max(xs), max(ys)), polygon))

    def locate(latitude: float, longitude: float) -> int | None:
        for lsoa_id, (x0, y0, x1, y1), polygon in shapes:
            if not (x0 <= longitude <= x1 and y0 <= latitude <= y1):
                continue
            outer, *holes = polygon
            if _inside(longitude, latitude, outer) and not any(
                _inside(longitude, latitude, hole) for hole in holes
            ):
                return lsoa_id
        return None

    return locate
