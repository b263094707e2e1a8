"""What changed on one neighbourhood's system map between two snapshots, on hand-made snapshots
with known answers; two snapshots of different neighbourhoods are refused."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hct.learning import selectors
from hct.systemmap.models import MapSnapshot
from tests.learning import helpers

ACTORS = [
    {"id": 1, "label": "GP surgery", "kind": "service", "sector": "nhs"},
    {"id": 2, "label": "Food bank", "kind": "group", "sector": "voluntary"},
    {"id": 3, "label": "Social Club", "kind": "group", "sector": "community"},
    {"id": 4, "label": "Housing office", "kind": "service", "sector": "council"},
]


def _link(a, b, kind, status):
    return {
        "from": a,
        "to": b,
        "kind": kind,
        "status": status,
        "direction": "forward",
        "polarity": "",
    }


BEFORE = {
    "actors": ACTORS,
    "links": [
        _link(1, 2, "referral", "broken"),  # repaired
        _link(1, 3, "referral", "missing"),  # repaired
        _link(2, 4, "referral", "missing"),  # still missing
        _link(3, 4, "information", "broken"),  # still broken
        _link(2, 3, "support", "strained"),  # repaired
        _link(1, 4, "information", "working"),  # broke since: neither
    ],
}
AFTER = {
    "actors": ACTORS,
    "links": [
        _link(1, 2, "referral", "working"),
        _link(1, 3, "referral", "working"),
        _link(2, 4, "referral", "missing"),
        _link(3, 4, "information", "broken"),
        _link(2, 3, "support", "working"),
        _link(1, 4, "information", "broken"),
    ],
}


@pytest.fixture
def snapshots(demo):
    here = demo.first_neighbourhood
    before = MapSnapshot.objects.create(neighbourhood=here, name="Known before", data=BEFORE)
    after = MapSnapshot.objects.create(neighbourhood=here, name="Known after", data=AFTER)
    return before, after


def test_links_repaired_and_still_missing_have_the_known_answers(snapshots):
    before, after = snapshots
    repairs = selectors.map_repairs(before, after)
    assert [(c.from_label, c.to_label, c.before) for c in repairs.repaired] == [
        ("Food bank", "Social Club", "strained"),
        ("GP surgery", "Food bank", "broken"),
        ("GP surgery", "Social Club", "missing"),
    ]
    assert repairs.still_missing == [
        ("Food bank", "Housing office", "Referral", "Missing"),
        ("Social Club", "Housing office", "Information", "Broken"),
    ]
    # Chosen the wrong way round, the two are still read as before and after.
    assert selectors.map_repairs(after, before).repaired == repairs.repaired


def test_snapshots_of_different_neighbourhoods_are_refused(snapshots, demo):
    elsewhere = helpers.neighbourhood("Elsewhere", helpers.spare_lsoas(1))
    other = MapSnapshot.objects.create(neighbourhood=elsewhere, name="Other", data=AFTER)
    with pytest.raises(ValidationError) as error:
        selectors.map_repairs(snapshots[0], other)
    assert error.value.message_dict == {"later": [selectors.ERROR_SNAPSHOTS_APART]}
    with pytest.raises(ValidationError):
        selectors.map_repairs(other, other)


def test_the_page_compares_through_disclosure_control(snapshots, client_for):
    before, after = snapshots
    board = client_for("board")
    url = reverse("learning:map-change")
    assert "Choose two snapshots" in board.get(url).content.decode()
    page = board.get(url, {"earlier": before.pk, "later": after.pk}).content.decode()
    assert "Links repaired" in page and "GP surgery" in page and "Housing office" in page
    # 3 repaired and 2 still missing are small counts: shown as *, never as the number.
    assert page.count('<dd class="govuk-summary-list__value">*</dd>') == 2


def test_the_page_refuses_two_neighbourhoods_and_says_why(snapshots, client_for, demo):
    before, _ = snapshots
    cycle2 = demo.partnership.cycles.get(number=2)
    other = MapSnapshot.objects.create(neighbourhood=cycle2.neighbourhood, name="Other", data=AFTER)
    page = (
        client_for("facilitator")
        .get(reverse("learning:map-change"), {"earlier": before.pk, "later": other.pk})
        .content.decode()
    )
    assert "different neighbourhoods" in page and "govuk-error-summary" in page
    assert "Links repaired" not in page
