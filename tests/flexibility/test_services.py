"""Describing, running, exporting, importing and citing: the rules and the bad input."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from hct.core.models import Job
from hct.flexibility import exchange, services, simulation
from hct.flexibility.models import (
    COURSE_ZERO,
    HORIZON_LONG,
    RATE_POSITIVE,
    REPLICATIONS_RANGE,
    SHARE_RANGE,
    Citation,
    Description,
    Scenario,
    Service,
)
from hct.flexibility.simulation import PROFILE_ERROR
from tests.flexibility.helpers import describe, figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def service(demo):
    return describe(demo.users["partner"], demo.partnership, demo.first_neighbourhood)


def _small(scenario, **fields):
    fields = {"horizon_weeks": 30, "warmup_weeks": 5, "replications": 2, **fields}
    Scenario.objects.filter(pk=scenario.pk).update(**fields)
    scenario.refresh_from_db()
    return scenario


def test_describing_a_service_writes_version_one_with_todays_rules(service):
    description = service.versions.get()
    assert description.number == 1
    today = description.scenarios.get()
    assert today.name == services.TODAY
    assert today.change_rule == description.change_rule == "back"


def test_a_new_version_keeps_the_old_one(demo, service):
    services.description_revise(
        actor=demo.users["partner"], service=service, figures=figures(referrals_per_week=7)
    )
    assert list(service.versions.values_list("number", "referrals_per_week")) == [
        (2, 7.0),
        (1, 6.0),
    ]


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("referrals_per_week", 0.0, RATE_POSITIVE),
        ("referrals_per_week", -3.0, RATE_POSITIVE),
        ("sessions_per_course", 0, COURSE_ZERO),
        ("change_percent", 101.0, SHARE_RANGE),
        ("dna_percent", -1.0, SHARE_RANGE),
        ("sessions_per_week", "forty a week", PROFILE_ERROR),
    ],
)
def test_bad_figures_are_refused_on_their_field_and_nothing_is_saved(demo, field, value, message):
    before = (Service.objects.count(), Description.objects.count(), Scenario.objects.count())
    with pytest.raises(ValidationError) as raised:
        describe(
            demo.users["partner"],
            demo.partnership,
            demo.first_neighbourhood,
            "Bad",
            **{field: value},
        )
    assert message in raised.value.message_dict[field]
    assert (
        Service.objects.count(),
        Description.objects.count(),
        Scenario.objects.count(),
    ) == before


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("horizon_weeks", 521, HORIZON_LONG),
        ("replications", 201, REPLICATIONS_RANGE),
        ("replications", 0, REPLICATIONS_RANGE),
    ],
)
def test_bad_scenarios_are_refused(demo, service, field, value, message):
    options = {
        "name": "Too much",
        "change_rule": "keep",
        "dna_rule": "discharge",
        "dna_limit": 2,
        field: value,
    }
    with pytest.raises(ValidationError) as raised:
        services.scenario_create(
            actor=demo.users["partner"], description=service.versions.get(), **options
        )
    assert message in raised.value.message_dict[field]
    assert service.versions.get().scenarios.count() == 1


def test_a_run_keeps_results_with_inputs_library_and_seeds(demo, service):
    scenario = _small(service.versions.get().scenarios.get(), seed=11)
    job = services.scenario_run(actor=demo.users["partner"], scenario=scenario)
    assert job.status == Job.Status.DONE and job.progress == job.total == 2
    scenario.refresh_from_db()
    assert scenario.results["seeds"] == [11, 12]
    assert scenario.inputs["seed"] == 11 and scenario.inputs["capacity"] == [40]
    assert scenario.library_version.startswith("SimPy ")
    assert scenario.results["measures"]["within_18"]["mean"] is not None


def test_a_run_in_parallel_processes_reports_progress_and_stores_the_same_numbers(
    demo, service, monkeypatch
):
    scenario = _small(service.versions.get().scenarios.get(), seed=11, replications=4)
    monkeypatch.setenv(simulation.PROCESSES_VARIABLE, "1")
    serial = services.scenario_simulate(actor=None, scenario=scenario)
    monkeypatch.setenv(simulation.PROCESSES_VARIABLE, "2")
    job = services.scenario_run(actor=demo.users["partner"], scenario=scenario)
    assert job.status == Job.Status.DONE and job.progress == job.total == 4
    assert job.message == "Replication 4 of 4"
    scenario.refresh_from_db()
    assert scenario.results == json.loads(json.dumps(serial))


def test_hct_simulate_reproduces_a_run_exactly(demo, service, capsys):
    scenario = _small(service.versions.get().scenarios.get(), seed=5)
    services.scenario_run(actor=demo.users["partner"], scenario=scenario)
    scenario.refresh_from_db()
    stored = scenario.results
    call_command("simulate", str(scenario.pk), "--seed", "5", "--no-save")
    printed = json.loads(capsys.readouterr().out)
    assert printed["results"] == json.loads(json.dumps(stored))


def test_demand_beyond_capacity_is_refused_up_front_with_the_numbers(demo, service):
    services.description_revise(
        actor=demo.users["partner"],
        service=service,
        figures=figures(referrals_per_week=20, sessions_per_week="40"),
    )
    scenario = service.versions.order_by("-number").first().scenarios.get()
    with pytest.raises(ValidationError) as raised:
        services.scenario_run(actor=demo.users["partner"], scenario=scenario)
    assert "referrals exceed sessions by" in raised.value.messages[0]
    assert "whatever the rebooking rule" in raised.value.messages[0]
    assert not Job.objects.filter(kind=services.JOB_KIND).exists()


def test_a_run_that_fails_leaves_the_scenario_as_it_was_and_says_why(demo, service):
    scenario = _small(service.versions.get().scenarios.get())
    services.scenario_run(actor=demo.users["partner"], scenario=scenario)
    scenario.refresh_from_db()
    before = scenario.results
    # The description changes under the scenario so that demand outruns capacity.
    Description.objects.filter(pk=scenario.description_id).update(referrals_per_week=50)
    from hct.core.jobs import job_enqueue

    job = job_enqueue(
        actor=demo.users["partner"], kind=services.JOB_KIND, params={"scenario": scenario.pk}
    )
    assert job.status == Job.Status.FAILED
    assert "referrals exceed sessions by" in job.message
    scenario.refresh_from_db()
    assert scenario.results == before


def test_export_json_and_csv_carry_inputs_and_results(demo, service):
    scenario = _small(service.versions.get().scenarios.get())
    services.scenario_run(actor=demo.users["partner"], scenario=scenario)
    scenario.refresh_from_db()
    document = json.loads(exchange.scenario_json(scenario))
    assert document["inputs"]["referrals_per_week"] == 6.0
    assert document["results"]["seeds"] == [1, 2]
    text = exchange.scenario_csv(scenario)
    assert "input,referrals_per_week,6.0" in text
    assert "measure,within_6," in text
    assert "list_size,week 5," in text


def test_import_reads_a_description_and_names_each_bad_field():
    good = {
        "name": "Talking therapies",
        "described_on": "2026-11-01",
        "referrals_per_week": 6,
        "sessions_per_week": [40, 40, 32],
        "sessions_per_course": 4,
        "change_percent": 30,
        "notice_days": 3,
        "dna_percent": 10,
        "change_rule": "keep",
        "dna_rule": "discharge",
        "dna_limit": 2,
        "sources": "Service figures",
    }
    name, read = exchange.service_from_json(json.dumps(good))
    assert name == "Talking therapies" and read.sessions_per_week == "40, 40, 32"
    bad = {**good, "referrals_per_week": "six", "change_rule": "sometimes"}
    del bad["sources"]
    with pytest.raises(ValidationError) as raised:
        exchange.service_from_json(json.dumps(bad))
    assert set(raised.value.message_dict) == {"referrals_per_week", "change_rule", "sources"}
    with pytest.raises(ValidationError):
        exchange.service_from_json("{not json")


def test_a_scenario_cited_on_a_commitment_appears_in_its_public_history(demo, service, client):
    scenario = _small(service.versions.get().scenarios.get())
    with pytest.raises(ValidationError):  # nothing to cite before a run
        services.citation_add(
            actor=demo.users["partner"], scenario=scenario, commitment=demo.commitment
        )
    services.scenario_run(actor=demo.users["partner"], scenario=scenario)
    scenario.refresh_from_db()
    services.citation_add(
        actor=demo.users["partner"],
        scenario=scenario,
        commitment=demo.commitment,
        note="Why we will keep people's place",
    )
    assert Citation.objects.filter(commitment=demo.commitment).count() == 1
    page = client.get(reverse("commitments:public-commitment", args=[demo.commitment.pk]))
    text = page.content.decode()
    assert "Waiting-list what-if cited: Talking therapies" in text
    assert (
        "Why we will keep people&#x27;s place" in text or "Why we will keep people's place" in text
    )
    assert reverse("flexibility:scenario", args=[scenario.pk]) not in text  # sign-in page unlinked


def test_citing_on_an_iceberg_item_needs_a_structure(demo, service):
    scenario = _small(service.versions.get().scenarios.get())
    services.scenario_run(actor=demo.users["partner"], scenario=scenario)
    scenario.refresh_from_db()
    item = demo.iceberg_item
    if item.level != "structures":
        with pytest.raises(ValidationError):
            services.citation_add(actor=demo.users["partner"], scenario=scenario, iceberg_item=item)
        item.level = "structures"
        item.save(update_fields=["level"])
    services.citation_add(actor=demo.users["partner"], scenario=scenario, iceberg_item=item)
    services.citation_add(
        actor=demo.users["partner"], scenario=scenario, plan_action=demo.plan_action
    )
    assert scenario.citations.count() == 2
