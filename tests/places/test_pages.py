import csv
from collections import Counter

import pytest
from django.urls import reverse

from hct.core.models import AuditEvent
from hct.core.roles import Role
from hct.places import loader, selectors
from hct.places.models import Lsoa, Neighbourhood, WhereNextChoice
from hct.places.services import WHERE_NEXT_LIMIT

pytestmark = pytest.mark.django_db


def _raw_deciles(ward_name):
    """Straight from the files, independently of the loader."""
    wards = {
        r["LSOA11CD"]: r["WD19NM"]
        for r in csv.DictReader((loader.DATA_DIR / loader.FILE_WARDS).open())
    }
    counts = Counter()
    for row in csv.DictReader((loader.DATA_DIR / loader.FILE_DOMAINS).open()):
        if wards[row[loader.LSOA_COL]] == ward_name:
            counts[int(row[loader.IMD_DECILE])] += 1
    return [counts.get(d, 0) for d in range(1, 11)]


def test_profile_counts_lsoas_in_each_decile_as_the_files_do(demo):
    profile = selectors.neighbourhood_profile(demo.first_neighbourhood)
    assert profile.imd_deciles == _raw_deciles(demo.first_neighbourhood.name)
    assert profile.lsoa_count == sum(profile.imd_deciles)
    assert len(profile.domains) == 7
    health = next(d for d in profile.domains if d.key == "health")
    assert sum(health.deciles) == profile.lsoa_count


def test_profile_page_shows_figures_with_a_table_beside_each_picture(client_for, demo):
    response = client_for(Role.PARTNER).get(
        reverse("places:neighbourhood-profile", args=[demo.first_neighbourhood.slug])
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "LSOAs in each national IMD decile" in body  # the table beside the bars
    assert "Health deprivation and disability" in body
    assert (
        f"LSOAs of {demo.first_neighbourhood.name}, most deprived first" in body
    )  # the map's table
    assert "Life expectancy" in body


def test_profile_page_query_count_stays_small_once_cached(
    client_for, demo, django_assert_max_num_queries
):
    client = client_for(Role.PARTNER)
    url = reverse("places:neighbourhood-profile", args=[demo.first_neighbourhood.slug])
    client.get(url)
    with django_assert_max_num_queries(8):
        client.get(url)


def test_neighbourhood_list_makes_the_same_queries_however_many_neighbourhoods(
    client_for, django_assert_num_queries
):
    client = client_for(Role.FACILITATOR)
    client.get(reverse("places:neighbourhood-list"))
    # the user, their memberships (the header's 'Working in'), the neighbourhoods, and the
    # session's refreshed expiry in its savepoint
    with django_assert_num_queries(6) as first:
        client.get(reverse("places:neighbourhood-list"))
    for i in range(3):
        Neighbourhood.objects.create(name=f"Extra {i}", slug=f"extra-{i}").lsoas.set(
            Lsoa.objects.all()[:3]
        )
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(reverse("places:neighbourhood-list"))


def test_geojson_has_each_lsoa_with_its_decile(client_for, demo):
    data = (
        client_for(Role.COMMUNITY)
        .get(reverse("places:neighbourhood-geojson", args=[demo.first_neighbourhood.slug]))
        .json()
    )
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == demo.first_neighbourhood.lsoas.count()
    assert {"code", "imd_decile"} <= set(data["features"][0]["properties"])


def test_a_facilitator_defines_a_neighbourhood_from_an_msoa(client_for):
    from hct.places.models import Msoa

    msoa = Msoa.objects.get(local_name="Hillfields")
    response = client_for(Role.FACILITATOR).post(
        reverse("places:neighbourhood-create"), {"name": "Hillfields and around", "msoa": msoa.pk}
    )
    assert response.status_code == 302
    neighbourhood = Neighbourhood.objects.get(name="Hillfields and around")
    assert set(neighbourhood.lsoas.all()) == set(msoa.lsoas.all())
    assert AuditEvent.objects.filter(
        verb="neighbourhood.create", subject_id=str(neighbourhood.pk)
    ).exists()


def test_a_neighbourhood_without_lsoas_is_refused_with_the_error_summary(client_for):
    response = client_for(Role.FACILITATOR).post(
        reverse("places:neighbourhood-create"), {"name": "Nowhere"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert 'href="#id_lsoas_0"' in body
    assert not Neighbourhood.objects.filter(name="Nowhere").exists()


def test_a_taken_name_is_refused(client_for, demo):
    response = client_for(Role.FACILITATOR).post(
        reverse("places:neighbourhood-create"),
        {"name": demo.first_neighbourhood.name, "lsoas": [Lsoa.objects.first().pk]},
    )
    assert "already exists" in response.content.decode()


def test_where_next_parts_add_up_to_the_score_and_weights_change_the_order():
    ranked = selectors.where_next_ranking(selectors.DEFAULT_WEIGHTS, kind="ward")
    assert len(ranked) == 18
    for item in ranked:
        assert item.score == pytest.approx(sum(item.parts.values()))
        assert 0 <= item.score <= 100
    by_population = selectors.where_next_ranking({"population": 1}, kind="ward")
    populations = [item.values["population"] for item in by_population]
    assert populations == sorted(populations, reverse=True)


def test_where_next_rejects_weights_outside_the_range(client_for):
    response = client_for(Role.BOARD).get(reverse("places:where-next"), {"population": "99"})
    assert "Enter a weight from 0 to 10" in response.content.decode()


def test_choosing_where_next_saves_who_why_and_the_ranking(client_for, demo):
    ranked = selectors.where_next_ranking(selectors.DEFAULT_WEIGHTS, kind="ward")
    chosen = [ranked[0].neighbourhood.pk, ranked[1].neighbourhood.pk]
    response = client_for(Role.BOARD).post(
        reverse("places:where-next"), {"neighbourhoods": chosen, "reason": "Sharpest inequality"}
    )
    assert response.status_code == 302
    choice = WhereNextChoice.objects.latest("id")
    assert choice.chosen_by.username == "board"
    assert choice.reason == "Sharpest inequality"
    assert set(choice.neighbourhoods.values_list("pk", flat=True)) == set(chosen)
    assert choice.ranking[0]["slug"] == ranked[0].neighbourhood.slug


def test_choosing_more_than_six_is_refused(client_for):
    ranked = selectors.where_next_ranking(selectors.DEFAULT_WEIGHTS, kind="ward")
    before = WhereNextChoice.objects.count()
    response = client_for(Role.FACILITATOR).post(
        reverse("places:where-next"),
        {
            "neighbourhoods": [r.neighbourhood.pk for r in ranked[: WHERE_NEXT_LIMIT + 1]],
            "reason": "All",
        },
    )
    assert "Choose at most 6" in response.content.decode()
    assert WhereNextChoice.objects.count() == before


def test_admins_may_look_at_where_next_but_not_choose(client_for):
    response = client_for(Role.ADMIN).post(reverse("places:where-next"), {"reason": "x"})
    assert response.status_code == 403
