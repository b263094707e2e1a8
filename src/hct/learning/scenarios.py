"""Flexible-services scenarios run per neighbourhood, for the side by side page and the reports:
one row per scenario with its headline results, and a sentence per service saying what the best
alternative would change against today's rules.

The figures are a simulation's results (means across replications), not counts of people, so
they are not rounded or hidden; the only count behind them (people who told us their
appointment was not flexible) is published by flexibility with disclosure control.
"""

from dataclasses import dataclass

from django.urls import reverse

from hct.flexibility.selectors import ScenarioHeadline, ServiceScenarios, scenario_headlines
from hct.learning.period import Period
from hct.places.models import Neighbourhood

HEAD = [
    "Neighbourhood",
    "Service",
    "Scenario",
    "Start within 6 weeks (standard 75%)",
    "Start within 18 weeks (standard 95%)",
    "Median wait (weeks)",
    "Median wait, changed an appointment (weeks)",
    "Run on",
]


@dataclass
class ScenarioRow:
    neighbourhood: str
    service: str
    scenario: str
    url: str
    cells: list[str]  # the figures after the scenario's name, in HEAD's order


@dataclass
class ScenariosRun:
    sentences: list[str]
    rows: list[ScenarioRow]


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def _weeks(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _cells(headline: ScenarioHeadline) -> list[str]:
    return [
        _percent(headline.within_6),
        _percent(headline.within_18),
        _weeks(headline.median),
        _weeks(headline.changer_median),
        f"{headline.ran_on:%d %B %Y}",
    ]


def _sentence(place: str, entry: ServiceScenarios) -> str:
    where = f"{entry.service} ({place})"
    today, best = entry.today, entry.best
    if today is None:
        return f"{where}: today's rules have not been run yet, so nothing to compare against."
    now = f"under today's rules {_percent(today.within_6)} of people start within 6 weeks"
    if best is None:
        return f"{where}: {now}; no other rule has been tried yet."
    words = (
        f"{where}: {now}; the best alternative tried, “{best.name}”, would start "
        f"{_percent(best.within_6)} within 6 weeks"
    )
    if best.changer_median is not None and today.changer_median is not None:
        words += (
            f", and people who had to change an appointment would wait a median of "
            f"{_weeks(best.changer_median)} weeks instead of {_weeks(today.changer_median)}"
        )
    return words + "."


def scenarios_run(
    neighbourhoods: list[Neighbourhood], partnerships, period: Period
) -> ScenariosRun:
    """The scenarios run up to the end of the period, in the neighbourhoods' order, today's
    rules first for each service (one query)."""
    found = scenario_headlines(neighbourhoods, partnerships=partnerships, ran_by=period.end)
    sentences, rows = [], []
    for neighbourhood in neighbourhoods:
        for entry in found.get(neighbourhood.pk, []):
            sentences.append(_sentence(neighbourhood.name, entry))
            for headline in [*([entry.today] if entry.today else []), *entry.alternatives]:
                rows.append(
                    ScenarioRow(
                        neighbourhood.name,
                        entry.service,
                        headline.name,
                        reverse("flexibility:scenario", args=[headline.pk]),
                        _cells(headline),
                    )
                )
    return ScenariosRun(sentences, rows)
