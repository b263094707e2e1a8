"""Loading the real Coventry data, and refusing broken files without writing anything."""

import csv
import io
import shutil
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hct.places import loader
from hct.places.models import GpPractice, Lsoa, Msoa, Neighbourhood, PracticeLifeExpectancy, Ward
from hct.places.services import places_load

pytestmark = pytest.mark.django_db

# From ../shared/data/SOURCES.md: Coventry's IMD deciles.
SOURCES_DECILES = {1: 28, 2: 22, 3: 28, 4: 19, 5: 23, 6: 21, 7: 19, 8: 15, 9: 11, 10: 9}


def _snapshot():
    return (
        Lsoa.objects.count(),
        Ward.objects.count(),
        Msoa.objects.count(),
        GpPractice.objects.count(),
        PracticeLifeExpectancy.objects.count(),
        Neighbourhood.objects.count(),
        tuple(
            Lsoa.objects.order_by("code").values_list("imd_rank", "population", "health_decile")[
                :20
            ]
        ),
    )


def test_the_real_data_gives_195_lsoas_18_wards_and_the_published_deciles():
    summary = places_load(actor=None)
    assert summary.lsoas == 195
    assert summary.wards == 18
    assert summary.msoas == 42
    assert summary.decile_counts == SOURCES_DECILES
    assert Lsoa.objects.count() == 195
    assert Ward.objects.count() == 18
    assert Counter(Lsoa.objects.values_list("imd_decile", flat=True)) == SOURCES_DECILES
    assert Neighbourhood.objects.filter(kind=Neighbourhood.Kind.WARD).count() == 18
    # Coventry's wards hold 8 to 13 LSOAs each (SOURCES.md).
    sizes = [n.lsoas.count() for n in Neighbourhood.objects.filter(kind=Neighbourhood.Kind.WARD)]
    assert min(sizes) >= 8 and max(sizes) <= 13


def test_one_lsoa_carries_every_figure_from_every_file():
    lsoa = Lsoa.objects.get(code="E01009522")
    assert (lsoa.name, lsoa.ward.name, lsoa.imd_rank, lsoa.imd_decile) == (
        "Coventry 014A",
        "Bablake",
        11101,
        4,
    )
    assert (lsoa.health_rank, lsoa.health_decile, lsoa.health_transformed) == (7596, 3, 32.710)
    assert (lsoa.imd_score, lsoa.income_score_pct) == (24.444, 15.6)
    assert (lsoa.population, lsoa.population_children) == (1395, 285)
    assert (lsoa.idaci_rank, lsoa.idaopi_decile) == (14988, 3)
    assert lsoa.boundary["type"] == "Polygon"
    assert round(lsoa.longitude, 4) == -1.5309


def test_reloading_changes_nothing():
    before = _snapshot()
    places_load(actor=None)
    assert _snapshot() == before


def test_practices_are_tied_to_the_place_their_address_names():
    longford = GpPractice.objects.get(code="M86002")
    assert longford.place_named == "Longford"
    assert longford.place_lsoas.exists()
    assert longford.life_expectancy.count() == 6


# ---------------------------------------------------------------------------------------------
# Broken files: a clear error naming file, line and column, and nothing written.


def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(loader.DATA_DIR, target)
    return target


def _rewrite(path: Path, change):
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    change(rows)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


CSV_FILES = [
    loader.FILE_DOMAINS,
    loader.FILE_SCORES,
    loader.FILE_TRANSFORMED,
    loader.FILE_SUPPLEMENTARY,
    loader.FILE_POPULATION,
    loader.FILE_CENTROIDS,
    loader.FILE_WARDS,
]


def _numeric_columns(name):
    header = next(csv.reader((loader.DATA_DIR / name).open(encoding="utf-8")))
    sample = next(iter(csv.DictReader((loader.DATA_DIR / name).open(encoding="utf-8"))))
    numeric = []
    for column in header:
        try:
            float(sample[column])
        except ValueError:
            continue
        if column not in ("FID", "objectid"):
            numeric.append(column)
    return numeric


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.sampled_from([name for name in CSV_FILES if name != loader.FILE_WARDS]),
    row=st.integers(min_value=1, max_value=195),
    junk=st.sampled_from(["", "abc", "1e999", "-5", "NaN", "12.5.6", "<script>", "9" * 40]),
    data=st.data(),
)
def test_a_bad_number_names_file_line_and_column(tmp_path, name, row, junk, data):
    directory = _copy_data(tmp_path)
    column = data.draw(st.sampled_from(_numeric_columns(name)))
    header = next(csv.reader((directory / name).open(encoding="utf-8")))
    index = header.index(column)

    def change(rows):
        rows[row][index] = junk

    _rewrite(directory / name, change)
    before = _snapshot()
    try:
        places_load(actor=None, directory=directory)
    except loader.PlacesDataError as error:
        assert error.file == name
        assert error.line == row + 1
        assert error.column == column
        assert name in str(error) and f"line {row + 1}" in str(error)
    else:
        # Some junk is still a valid value for some columns (e.g. 9999… as a population):
        # then the load must have succeeded whole.
        assert junk.strip("9") == "" or junk == "-5"
    assert _snapshot()[:6] == before[:6]


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.sampled_from(CSV_FILES), data=st.data())
def test_a_missing_column_is_named(tmp_path, name, data):
    directory = _copy_data(tmp_path)
    header = next(csv.reader((directory / name).open(encoding="utf-8")))
    required = [
        c
        for c in header
        if c not in ("FID", "objectid", "LAD19CD", "LAD19NM", "lsoa11nm", "LSOA11NM")
    ]
    required = [
        c
        for c in required
        if "Local Authority" not in c
        and not (c.startswith("LSOA name") and name != loader.FILE_DOMAINS)
    ]
    column = data.draw(st.sampled_from(required))
    index = header.index(column)

    def change(rows):
        for r in rows:
            del r[index]

    _rewrite(directory / name, change)
    before = _snapshot()
    with pytest.raises(loader.PlacesDataError) as error:
        places_load(actor=None, directory=directory)
    assert (error.value.file, error.value.line, error.value.column) == (name, 1, column)
    assert "missing" in error.value.message
    assert _snapshot() == before


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.sampled_from(CSV_FILES[1:]), row=st.integers(min_value=1, max_value=195))
def test_an_unknown_lsoa_code_is_refused(tmp_path, name, row):
    directory = _copy_data(tmp_path)
    header = next(csv.reader((directory / name).open(encoding="utf-8")))
    index = 0 if header[0] in ("lsoa11cd", loader.LSOA_COL) else header.index("LSOA11CD")

    def change(rows):
        rows[row][index] = "E01099999"

    _rewrite(directory / name, change)
    before = _snapshot()
    with pytest.raises(loader.PlacesDataError) as error:
        places_load(actor=None, directory=directory)
    assert error.value.file == name
    assert error.value.line == row + 1
    assert "unknown LSOA code E01099999" in str(error.value)
    assert _snapshot() == before


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=300))
def test_any_text_as_a_file_gives_an_error_not_a_crash(tmp_path, text):
    directory = _copy_data(tmp_path)
    (directory / loader.FILE_POPULATION).write_text(text, encoding="utf-8")
    before = _snapshot()
    with pytest.raises(loader.PlacesDataError) as error:
        places_load(actor=None, directory=directory)
    assert error.value.file == loader.FILE_POPULATION
    assert _snapshot() == before


def test_broken_geojson_is_refused(tmp_path):
    directory = _copy_data(tmp_path)
    (directory / loader.FILE_BOUNDARIES).write_text(
        '{"type": "FeatureCollection", "features": [', encoding="utf-8"
    )
    with pytest.raises(loader.PlacesDataError) as error:
        places_load(actor=None, directory=directory)
    assert error.value.file == loader.FILE_BOUNDARIES
    assert "not valid GeoJSON" in str(error.value)


def test_a_duplicated_row_is_refused(tmp_path):
    directory = _copy_data(tmp_path)
    _rewrite(directory / loader.FILE_CENTROIDS, lambda rows: rows.append(rows[1]))
    with pytest.raises(loader.PlacesDataError) as error:
        places_load(actor=None, directory=directory)
    assert "appears twice" in str(error.value)
    assert error.value.line == 197


def test_a_missing_file_is_named(tmp_path):
    directory = _copy_data(tmp_path)
    (directory / loader.FILE_WARDS).unlink()
    with pytest.raises(loader.PlacesDataError) as error:
        places_load(actor=None, directory=directory)
    assert error.value.file == loader.FILE_WARDS
    assert "not found" in str(error.value)
