"""The pages: describe, bad input on the field, run, side by side with charts and tables."""

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hct.flexibility.models import Scenario, Service
from hct.flexibility.services import scenario_run

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Talking therapies",
    "described_on": "2026-11-01",
    "referrals_per_week": "6",
    "sessions_per_week": "40",
    "sessions_per_course": "4",
    "change_percent": "30",
    "notice_days": "3",
    "dna_percent": "10",
    "change_rule": "back",
    "held_back_percent": "0",
    "held_back_days": "7",
    "dna_rule": "discharge",
    "dna_limit": "2",
    "sources": "The service's referral figures",
}


def _describe(client, demo, **changes):
    data = {**FORM, "neighbourhood": demo.first_neighbourhood.pk, **changes}
    return client.post(reverse("flexibility:service-create"), data)


def test_a_partner_describes_a_service(client_for, demo):
    client = client_for("partner")
    response = _describe(client, demo)
    service = Service.objects.get(name="Talking therapies")
    assert response.status_code == 302
    page = client.get(reverse("flexibility:service", args=[service.pk]))
    assert "Today&#x27;s rules" in page.content.decode()


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("referrals_per_week", "0", "Must be more than zero"),
        ("sessions_per_course", "0", "A course must have at least one session"),
        ("change_percent", "120", "Must be a percentage between 0 and 100"),
        ("sessions_per_week", "lots", "Write the sessions offered each week"),
    ],
)
def test_bad_input_is_shown_on_its_field_and_nothing_is_saved(
    client_for, demo, field, value, message
):
    response = _describe(client_for("partner"), demo, **{field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert f'id="{field}-error"' in response.content.decode() or "govuk-error-message" in (
        response.content.decode()
    )
    assert not Service.objects.exists()


def test_run_and_compare_side_by_side(client_for, demo):
    client = client_for("partner")
    _describe(client, demo)
    service = Service.objects.get()
    today = Scenario.objects.get()
    Scenario.objects.filter(pk=today.pk).update(horizon_weeks=30, warmup_weeks=5, replications=2)
    response = client.post(
        reverse("flexibility:scenario-create", args=[service.pk]),
        {
            "name": "Keep your place",
            "change_rule": "keep",
            "held_back_percent": "0",
            "held_back_days": "7",
            "dna_rule": "discharge",
            "dna_limit": "2",
            "extra_sessions": "0",
            "horizon_weeks": "30",
            "warmup_weeks": "5",
            "replications": "2",
            "seed": "1",
        },
    )
    keep = Scenario.objects.get(name="Keep your place")
    assert response.status_code == 302
    for scenario in (today, keep):
        assert (
            client.post(reverse("flexibility:scenario-run", args=[scenario.pk])).status_code == 302
        )
    page = client.get(reverse("flexibility:compare", args=[service.pk])).content.decode()
    assert "Keeping people&#x27;s place when they rebook: people who had to change" in page
    assert page.count("<svg") == 3 and page.count('role="img"') == 3
    # Every chart has a table beside it, in the same row, with the figures drawn.
    rows = page.split('<div class="govuk-grid-row hct-chart-row">')[1:]
    assert len(rows) == 3
    for row in rows:
        drawing, beside = row.split("</figure>", 1)
        assert "<svg" in drawing and "<table" not in drawing
        assert beside.index("<table") < beside.index("</div>\n</div>")
        assert beside.count('<td class="govuk-table__cell') >= 2
    assert "Share of people starting within 6 and 18 weeks" in page
    detail = client.get(reverse("flexibility:scenario", args=[keep.pk])).content.decode()
    assert f"hct simulate {keep.pk} --seed 1" in detail
    exported = client.get(reverse("flexibility:scenario-json", args=[keep.pk]))
    assert json.loads(exported.content)["scenario"] == "Keep your place"


def test_start_from_the_gap_analysis_shows_the_published_count(client_for, demo):
    client = client_for("facilitator")
    home = client.get(reverse("flexibility:home")).content.decode()
    assert "Appointment not flexible" in home
    url = (
        reverse("flexibility:service-create")
        + f"?from_gaps=1&neighbourhood={demo.first_neighbourhood.pk}"
    )
    page = client.get(url).content.decode()
    assert "told us their appointment was not flexible" in page
    client.post(url, {**FORM, "neighbourhood": demo.first_neighbourhood.pk, "from_gaps": "1"})
    assert (
        Scenario.objects.get().from_gaps in {"*", "0"} or Scenario.objects.get().from_gaps.isdigit()
    )


def test_an_overloaded_service_says_so_up_front(client_for, demo):
    client = client_for("partner")
    _describe(client, demo, referrals_per_week="20")
    service = Service.objects.get()
    page = client.get(reverse("flexibility:service", args=[service.pk])).content.decode()
    assert "Demand outruns capacity" in page and "referrals exceed sessions by" in page


def test_import_a_description_from_json(client_for, demo):
    client = client_for("partner")
    document = {k: v for k, v in FORM.items()}
    for name in (
        "referrals_per_week",
        "change_percent",
        "notice_days",
        "dna_percent",
        "held_back_percent",
    ):
        document[name] = float(document[name])
    for name in ("sessions_per_course", "dna_limit", "held_back_days"):
        document[name] = int(document[name])
    upload = SimpleUploadedFile("service.json", json.dumps(document).encode())
    response = client.post(
        reverse("flexibility:service-import"),
        {"file": upload, "neighbourhood": demo.first_neighbourhood.pk},
    )
    assert response.status_code == 302
    bad = SimpleUploadedFile("bad.json", b'{"name": "x"}')
    response = client.post(
        reverse("flexibility:service-import"),
        {"file": bad, "neighbourhood": demo.first_neighbourhood.pk},
    )
    assert "referrals_per_week: This field is missing" in response.content.decode()
    assert Service.objects.count() == 1


def test_the_board_reads_but_may_not_run(client_for, demo):
    scenario = demo.flexible_scenario
    Scenario.objects.filter(pk=scenario.pk).update(horizon_weeks=20, warmup_weeks=4, replications=2)
    scenario.refresh_from_db()
    scenario_run(actor=demo.users["partner"], scenario=scenario)
    page = client_for("board").get(reverse("flexibility:scenario", args=[scenario.pk]))
    assert page.status_code == 200 and "Run again" not in page.content.decode()


def test_the_date_of_a_description_is_offered_as_a_browser_date_input_takes_it(client_for, demo):
    # A date input drops a value that is not ISO ("07/12/2026") and the form then posts nothing.
    client = client_for("partner")
    page = client.get(reverse("flexibility:service-create")).content.decode()
    assert f'type="date" name="described_on" value="{dt.date.today().isoformat()}"' in page
    response = _describe(client, demo, described_on="")
    assert "Enter the date these figures describe" in response.content.decode()
    assert not Service.objects.exists()
