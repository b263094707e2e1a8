"""Scenarios side by side: plain-words summaries, tables and charts (Vega-Lite drawn to SVG on
the server, as the learning reports are), a table beside every chart."""

from dataclasses import dataclass

from django.utils.safestring import SafeString

from hct.core.charts import vegalite_svg
from hct.flexibility import simulation
from hct.flexibility.models import ChangeRule, Scenario

RULE_PHRASES = {
    ChangeRule.BACK: "sending people to the back of the queue when they rebook",
    ChangeRule.KEEP: "keeping people's place when they rebook",
    ChangeRule.HELD_BACK: "holding back sessions for rebookings",
}


@dataclass
class Table:
    caption: str
    head: list[str]
    rows: list[list[str]]


@dataclass
class Chart:
    title: str
    svg: SafeString
    table: Table


def _m(scenario: Scenario, key: str) -> float | None:
    return scenario.results.get("measures", {}).get(key, {}).get("mean")


def _weeks(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def _with_interval(scenario: Scenario, key: str, *, percent: bool = False) -> str:
    cell = scenario.results.get("measures", {}).get(key, {})
    show = _percent if percent else _weeks
    if cell.get("mean") is None:
        return "–"
    if cell.get("low") is None:
        return show(cell["mean"])
    return f"{show(cell['mean'])} ({show(cell['low'])} to {show(cell['high'])})"


def summary(scenario: Scenario, baseline: Scenario | None) -> str:
    """One paragraph in plain words; against today's rules when there is a baseline."""
    within_6, within_18 = _m(scenario, "within_6"), _m(scenario, "within_18")
    standards = (
        f"{_percent(within_6)} start within 6 weeks (the standard is "
        f"{simulation.STANDARD_6_WEEKS:.0%}) and {_percent(within_18)} within 18 weeks "
        f"(standard {simulation.STANDARD_18_WEEKS:.0%})."
    )
    if baseline is None or baseline.pk == scenario.pk or not baseline.has_results:
        return (
            f"{scenario.name}: people wait a median of {_weeks(_m(scenario, 'median'))} weeks "
            f"(90 in 100 within {_weeks(_m(scenario, 'p90'))}); {standards}"
        )
    phrase = RULE_PHRASES.get(ChangeRule(scenario.change_rule), scenario.name)
    if scenario.extra_sessions:
        phrase += f", with {scenario.extra_sessions} more sessions a week"
    changers, was = _m(scenario, "changer_median"), _m(baseline, "changer_median")
    others, others_was = _m(scenario, "other_median"), _m(baseline, "other_median")
    parts = [phrase[0].upper() + phrase[1:] + ":"]
    if changers is not None and was is not None:
        parts.append(
            f"people who had to change an appointment wait a median of {_weeks(changers)} "
            f"weeks instead of {_weeks(was)};"
        )
    if others is not None and others_was is not None:
        difference = others - others_was
        if abs(difference) < 0.05:
            parts.append("everyone else waits about the same;")
        else:
            way = "longer" if difference > 0 else "less"
            parts.append(f"everyone else waits {abs(difference):.1f} weeks {way};")
    parts.append(standards)
    return " ".join(parts)


def comparison_table(scenarios: list[Scenario]) -> Table:
    rows = []
    for key, label, percent in [
        ("within_6", "Start within 6 weeks (standard 75%)", True),
        ("within_18", "Start within 18 weeks (standard 95%)", True),
        ("median", "Median wait (weeks)", False),
        ("p90", "90th-percentile wait (weeks)", False),
        ("changer_median", "Median wait, changed an appointment", False),
        ("changer_p90", "90th percentile, changed an appointment", False),
        ("other_median", "Median wait, did not change", False),
        ("other_p90", "90th percentile, did not change", False),
        ("discharged_per_week", "Discharged after missed appointments (a week)", False),
        ("capacity_used", "Sessions used", True),
        ("list_mean", "People on the list (mean)", False),
    ]:
        rows.append([label, *(_with_interval(s, key, percent=percent) for s in scenarios)])
    return Table(
        "Each scenario's results: the mean across replications and its 95% confidence interval",
        ["Measure", *(s.name for s in scenarios)],
        rows,
    )


_svg = vegalite_svg


def waits_chart(scenarios: list[Scenario]) -> Chart:
    groups = [
        ("median", "Median, everyone"),
        ("changer_median", "Median, changed an appointment"),
        ("other_median", "Median, did not change"),
        ("p90", "90th percentile, everyone"),
    ]
    values = [
        {"scenario": s.name, "measure": label, "weeks": round(_m(s, key) or 0, 2)}
        for s in scenarios
        for key, label in groups
        if _m(s, key) is not None
    ]
    svg = _svg(
        {
            "title": "Waits from referral to first session",
            "width": 360,
            "data": {"values": values},
            "mark": "bar",
            "encoding": {
                "y": {"field": "measure", "type": "nominal", "title": None, "sort": None},
                "yOffset": {"field": "scenario", "sort": None},
                "x": {"field": "weeks", "type": "quantitative", "title": "Weeks"},
                "color": {
                    "field": "scenario",
                    "type": "nominal",
                    "title": "Scenario",
                    "sort": None,
                },
            },
        }
    )
    table = Table(
        "Waits in weeks (mean across replications)",
        ["Wait", *(s.name for s in scenarios)],
        [[label, *(_weeks(_m(s, key)) for s in scenarios)] for key, label in groups],
    )
    return Chart("Waits from referral to first session", svg, table)


def standards_chart(scenarios: list[Scenario]) -> Chart:
    values = [
        {"scenario": s.name, "measure": label, "share": round((_m(s, key) or 0) * 100, 1)}
        for s in scenarios
        for key, label in [("within_6", "Within 6 weeks"), ("within_18", "Within 18 weeks")]
    ]
    rules = [
        {"share": 75, "measure": "Within 6 weeks"},
        {"share": 95, "measure": "Within 18 weeks"},
    ]
    svg = _svg(
        {
            "title": "Share starting within 6 and 18 weeks, against the standards",
            "width": 360,
            "layer": [
                {
                    "data": {"values": values},
                    "mark": "bar",
                    "encoding": {
                        "y": {"field": "measure", "type": "nominal", "title": None},
                        "yOffset": {"field": "scenario", "sort": None},
                        "x": {
                            "field": "share",
                            "type": "quantitative",
                            "title": "% of people",
                            "scale": {"domain": [0, 100]},
                        },
                        "color": {"field": "scenario", "type": "nominal", "sort": None},
                    },
                },
                {
                    "data": {"values": rules},
                    "mark": {"type": "tick", "color": "#d4351c", "thickness": 3},
                    "encoding": {
                        "y": {"field": "measure", "type": "nominal"},
                        "x": {"field": "share", "type": "quantitative"},
                    },
                },
            ],
        }
    )
    table = Table(
        "Share of people starting within 6 and 18 weeks (red marks: the standards, 75% and 95%)",
        ["Within", *(s.name for s in scenarios)],
        [
            ["6 weeks", *(_percent(_m(s, "within_6")) for s in scenarios)],
            ["18 weeks", *(_percent(_m(s, "within_18")) for s in scenarios)],
        ],
    )
    return Chart("Starting within 6 and 18 weeks", svg, table)


def list_chart(scenarios: list[Scenario]) -> Chart:
    values = []
    rows: dict[int, dict[str, str]] = {}
    for s in scenarios:
        for point in s.results.get("list_over_time", []):
            if point["mean"] is None:
                continue
            values.append({"scenario": s.name, "week": point["week"], "people": point["mean"]})
            if point["week"] % 13 == 0:
                rows.setdefault(point["week"], {})[s.name] = f"{point['mean']:.0f}"
    svg = _svg(
        {
            "title": "People on the waiting list, week by week (after the warm-up)",
            "width": 360,
            "height": 200,
            "data": {"values": values},
            "mark": "line",
            "encoding": {
                "x": {"field": "week", "type": "quantitative", "title": "Week"},
                "y": {"field": "people", "type": "quantitative", "title": "People waiting"},
                "color": {"field": "scenario", "type": "nominal", "sort": None},
            },
        }
    )
    table = Table(
        "People on the list every 13 weeks (mean across replications)",
        ["Week", *(s.name for s in scenarios)],
        [
            [str(week), *(cells.get(s.name, "–") for s in scenarios)]
            for week, cells in sorted(rows.items())
        ],
    )
    return Chart("How the list grows over time", svg, table)


def charts(scenarios: list[Scenario]) -> list[Chart]:
    done = [s for s in scenarios if s.has_results]
    if not done:
        return []
    return [standards_chart(done), waits_chart(done), list_chart(done)]
