"""Report sections: each a title and a function from the report's scope to its content.

A report (board or funder) is a list of section keys. Apps built later add their own section
with `register(ReportSection(...))` and name it in `REPORTS` (conversations: balance at the Big
Conversations; commitments: made, kept on time, overdue; matching: needs met, hours given back).
Every number a section shows is a `Published` value from `hct.core.disclosure` (or text made
from one), and a chart is always drawn beside the table of the same figures.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.utils.safestring import SafeString

from hct.core.charts import vegalite_svg
from hct.core.disclosure import SUPPRESSED
from hct.learning.figures import MEASURE_LABELS, MEASURES, NeighbourhoodFigures, Period, figures_for
from hct.learning.present import SideBySide, side_by_side
from hct.partnership.models import Partnership
from hct.places.models import Neighbourhood


@dataclass
class Table:
    caption: str
    head: list[str]
    rows: list[list[str]]
    foot: list[str] | None = None


@dataclass
class Chart:
    title: str
    svg: SafeString
    table: Table


@dataclass
class Item:
    """A short piece of text with its heading: a lesson, a quote."""

    heading: str
    text: str
    detail: str = ""


@dataclass
class SectionContent:
    key: str
    title: str
    intro: list[str] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)


@dataclass
class ReportScope:
    partnership: Partnership
    neighbourhoods: list[Neighbourhood]
    period: Period

    @cached_property
    def figures(self) -> list[NeighbourhoodFigures]:
        return figures_for(self.neighbourhoods, self.period)

    @cached_property
    def published(self) -> SideBySide:
        return side_by_side(self.figures, self.period)


@dataclass(frozen=True)
class ReportSection:
    key: str
    title: str
    build: Callable[[ReportScope], SectionContent]


_sections: dict[str, ReportSection] = {}
# report -> section key -> position (lower comes first)
REPORTS: dict[str, dict[str, int]] = {"board": {}, "funder": {}}


def register(section: ReportSection, *, reports: dict[str, int]) -> None:
    """Add a section to the reports named, each at the position given (lower comes first)."""
    _sections[section.key] = section
    for report, position in reports.items():
        REPORTS.setdefault(report, {})[section.key] = position


def sections_of(report: str) -> list[ReportSection]:
    placed = REPORTS.get(report, {})
    return [_sections[key] for key in sorted(placed, key=lambda k: (placed[k], k))]


# Charts: Vega-Lite drawn on the server to SVG, so the page needs no script and the PDF the same
# picture. Only published values are drawn; a hidden value is left out of the chart and shown
# as * in the table beside it.


def bar_chart(title: str, points: list[tuple[str, int | float | None]], *, axis: str) -> SafeString:
    values = [{"label": label, "value": value} for label, value in points if value is not None]
    return vegalite_svg(
        {
            "title": title,
            "width": 420,
            "height": {"step": 22},
            "data": {"values": values},
            "mark": {"type": "bar", "color": "#1d70b8"},
            "encoding": {
                "y": {"field": "label", "type": "nominal", "sort": None, "title": None},
                "x": {"field": "value", "type": "quantitative", "title": axis},
            },
        }
    )


def _n(published) -> str:
    return published.display


def _stage_dates(stage_dates: list[tuple[str, str]]) -> str:
    return "; ".join(f"{label}: {day}" for label, day in stage_dates if day) or "–"


def summary(scope: ReportScope) -> SectionContent:
    p = scope.published
    return SectionContent(
        "summary",
        "At a glance",
        intro=[
            f"{scope.partnership.name}, {scope.period}. Figures are published with disclosure "
            "control: counts from 1 to 7 are shown as *, others are rounded to the nearest 5, "
            "and further cells are hidden where a hidden one could be worked out from a total.",
        ],
        tables=[
            Table(
                "Across the partnership",
                ["Figure", "Count"],
                [
                    ["Neighbourhoods", str(len(p.rows))],
                    ["People heard (a story or a journey recorded)", _n(p.people_heard_total)],
                    ["Gaps between services recorded", _n(p.gap_total)],
                    ["Field notes written", _n(p.field_notes_total)],
                    ["Community assets found", _n(p.assets_found_total)],
                    ["Lessons logged", _n(p.lessons_total)],
                    ["People asked about their well-being twice", _n(p.wellbeing_total.pairs)],
                ],
            )
        ],
    )


def cycles(scope: ReportScope) -> SectionContent:
    rows = [[row.name, row.stage, _stage_dates(row.stage_dates)] for row in scope.published.rows]
    return SectionContent(
        "cycles",
        "Where each neighbourhood is in the cycle",
        tables=[
            Table("Cycle stage and dates", ["Neighbourhood", "Stage now", "Stages began"], rows)
        ],
    )


def people_heard(scope: ReportScope) -> SectionContent:
    p = scope.published
    table = Table(
        "People heard, by neighbourhood",
        ["Neighbourhood", "People heard"],
        [[row.name, _n(row.people_heard)] for row in p.rows],
        ["Total", _n(p.people_heard_total)],
    )
    chart = bar_chart(
        "People heard",
        [(row.name, row.people_heard.value) for row in p.rows],
        axis="People (rounded to 5)",
    )
    return SectionContent(
        "people_heard",
        "People heard",
        intro=["People whose story or service journey was first recorded in the period."],
        charts=[Chart("People heard, by neighbourhood", chart, table)],
    )


def gaps(scope: ReportScope) -> SectionContent:
    p = scope.published
    head = ["Neighbourhood", *[label for _, label in p.gap_kinds], "All gaps"]
    rows = [[row.name, *[_n(c) for c in row.gaps], _n(row.gap_total)] for row in p.rows]
    foot = ["Total", *[_n(c) for c in p.gap_kind_totals], _n(p.gap_total)]
    by_kind = Table(
        "Gaps by type, across the partnership",
        ["Type of gap", "Gaps"],
        [
            [label, _n(total)]
            for (_, label), total in zip(p.gap_kinds, p.gap_kind_totals, strict=True)
        ],
        ["All gaps", _n(p.gap_total)],
    )
    chart = bar_chart(
        "Gaps by type",
        [
            (label, total.value)
            for (_, label), total in zip(p.gap_kinds, p.gap_kind_totals, strict=True)
        ],
        axis="Gaps (rounded to 5)",
    )
    return SectionContent(
        "gaps",
        "Where the system failed to connect",
        intro=["Gaps between services recorded in people's journeys during the period."],
        charts=[Chart("Gaps by type", chart, by_kind)],
        tables=[Table("Gaps by type and neighbourhood", head, rows, foot)],
    )


def wellbeing(scope: ReportScope) -> SectionContent:
    p = scope.published
    head = [
        "Neighbourhood",
        "People asked twice",
        *[MEASURE_LABELS[m] for m in MEASURES],
        "Often lonely, first",
        "Often lonely, later",
    ]
    rows = [
        [
            row.name,
            _n(row.wellbeing.pairs),
            *[row.wellbeing.change[m] for m in MEASURES],
            _n(row.wellbeing.lonely_before),
            _n(row.wellbeing.lonely_after),
        ]
        for row in p.rows
    ]
    total = p.wellbeing_total
    foot = [
        "All",
        _n(total.pairs),
        *[total.change[m] for m in MEASURES],
        _n(total.lonely_before),
        _n(total.lonely_after),
    ]
    overall = Table(
        "Mean change across the partnership, from the first answer to the latest",
        ["Question", "Mean change (0–10 scale)"],
        [[MEASURE_LABELS[m], total.change[m]] for m in MEASURES],
    )
    points = [
        (MEASURE_LABELS[m], None if total.change[m] == SUPPRESSED else float(total.change[m]))
        for m in MEASURES
    ]
    charts = [
        Chart(
            "Mean change in well-being",
            bar_chart("Mean change in well-being", points, axis="Change (points out of 10)"),
            overall,
        )
    ]
    return SectionContent(
        "wellbeing",
        "How people are doing",
        intro=[
            "The ONS personal well-being questions (0–10) and the ONS loneliness question, "
            "asked with consent when someone is first heard and again later. A change is the "
            "mean of each person's latest answer minus their first; it is shown only where the "
            "number of people behind it is shown. For anxiety, a fall is an improvement.",
        ],
        charts=charts,
        tables=[Table("Well-being change by neighbourhood", head, rows, foot)],
    )


def team_work(scope: ReportScope) -> SectionContent:
    p = scope.published
    table = Table(
        "The team's work, by neighbourhood",
        ["Neighbourhood", "Field notes", "Community assets found", "Lessons logged"],
        [[row.name, _n(row.field_notes), _n(row.assets_found), _n(row.lessons)] for row in p.rows],
        ["Total", _n(p.field_notes_total), _n(p.assets_found_total), _n(p.lessons_total)],
    )
    chart = bar_chart(
        "Community assets found",
        [(row.name, row.assets_found.value) for row in p.rows],
        axis="Assets (rounded to 5)",
    )
    return SectionContent(
        "team_work",
        "Diving in: being useful, and what we found",
        charts=[Chart("Community assets found, by neighbourhood", chart, table)],
    )


# Groups of registered columns with a section of their own (`group_section`); `method` shows
# the rest, so no figure is in a report twice.
_own_sections: set[str] = set()


def _group_table(p: SideBySide, group: str, indexes: list[int]) -> Table:
    return Table(
        f"{group}, by neighbourhood",
        ["Neighbourhood", *[p.extra[i].label for i in indexes]],
        [[row.name, *[_n(row.extra[i]) for i in indexes]] for row in p.rows],
        ["Total", *[_n(p.extra[i].total) for i in indexes]],
    )


def group_section(key: str, title: str, group: str, intro: list[str]) -> ReportSection:
    """A section of one group of registered columns: a chart of the group's published totals
    with their table beside it, and the same figures by neighbourhood."""
    _own_sections.add(group)

    def build(scope: ReportScope) -> SectionContent:
        p = scope.published
        indexes = [i for i, column in enumerate(p.extra) if column.group == group]
        if not indexes:
            return SectionContent(key, title, intro=["Nothing is recorded yet."])
        totals = Table(
            f"{title}, all neighbourhoods",
            ["Figure", "Count"],
            [[p.extra[i].label, _n(p.extra[i].total)] for i in indexes],
        )
        chart = bar_chart(
            title,
            [(p.extra[i].label, p.extra[i].total.value) for i in indexes],
            axis="Count (rounded to 5)",
        )
        return SectionContent(
            key,
            title,
            intro=intro,
            charts=[Chart(f"{title}, all neighbourhoods", chart, totals)],
            tables=[_group_table(p, group, indexes)],
        )

    return ReportSection(key, title, build)


def method(scope: ReportScope) -> SectionContent:
    """The figures other apps register (`hct.learning.columns`) that have no section of their
    own, one table per group."""
    p = scope.published
    groups: dict[str, list[int]] = {}
    for index, column in enumerate(p.extra):
        if column.group not in _own_sections:
            groups.setdefault(column.group, []).append(index)
    tables = [_group_table(p, group, indexes) for group, indexes in groups.items()]
    return SectionContent(
        "method",
        "Conversations, commitments and practical help",
        intro=[] if tables else ["Nothing more is recorded from the other parts of the method."],
        tables=tables,
    )


ANONYMOUS = "[someone]"


def alias_pattern(neighbourhood_ids: list[int]) -> "re.Pattern[str] | None":
    """The aliases of the people of these neighbourhoods (each as typed, and the part before
    a bracket: "Sam (not his real name)" and "Sam"), as whole words."""
    from hct.people.models import Person

    names: set[str] = set()
    aliases = Person.objects.filter(home_lsoa__neighbourhoods__in=neighbourhood_ids).values_list(
        "alias", flat=True
    )
    for alias in aliases:
        names.add(alias.strip())
        names.add(alias.split("(")[0].strip())
    names = {n for n in names if len(n) >= 2}
    if not names:
        return None
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def redact(text: str, pattern: "re.Pattern[str] | None") -> str:
    return pattern.sub(ANONYMOUS, text) if pattern else text


def lessons(scope: ReportScope) -> SectionContent:
    """The learning log, in the partnership's own words, with any person's alias taken out:
    a report never names anyone."""
    from hct.learning.selectors import lessons_in

    pattern = alias_pattern([n.pk for n in scope.neighbourhoods])
    items = []
    for lesson in lessons_in(scope.partnership.pk, scope.period.start, scope.period.end):
        learned = redact(lesson.learned, pattern)
        items.append(
            Item(
                f"{lesson.cycle.neighbourhood.name}: {learned[:120]}",
                learned,
                f"Next time: {redact(lesson.differently, pattern)}",
            )
        )
    return SectionContent(
        "lessons",
        "What we learned",
        intro=[] if items else ["No lessons were logged in this period."],
        items=items,
    )


def voices(scope: ReportScope) -> SectionContent:
    """Quotes people agreed to, only while their consent to share with partners is current, and
    never with their alias: "someone in <neighbourhood>"."""
    from hct.journeys.models import Quote
    from hct.people.models import Purpose
    from hct.people.selectors import current_consents, lsoas_in

    items = []
    for neighbourhood in scope.neighbourhoods:
        here = lsoas_in(Neighbourhood.objects.filter(pk=neighbourhood.pk)).values("pk")
        consenting = current_consents(Purpose.SHARE_WITH_PARTNERS).values("person_id")
        quotes = Quote.objects.filter(
            story__person__home_lsoa__in=here,
            story__person__in=consenting,
            agreed_on__lte=scope.period.end,
        ).order_by("agreed_on", "id")[:3]
        items += [Item(f"Someone in {neighbourhood.name}", q.text) for q in quotes]
    return SectionContent(
        "voices",
        "In their own words",
        intro=[
            "Passages people agreed may be quoted, shown while they agree to share with partners, "
            "and never with their name."
        ]
        if items
        else ["No one has agreed to a quote being shared yet."],
        items=items,
    )


def flexible_scenarios(scope: ReportScope) -> SectionContent:
    """The flexible-services scenarios run per neighbourhood, with a link to each."""
    from django.utils.html import format_html

    from hct.learning.scenarios import HEAD, scenarios_run

    found = scenarios_run(scope.neighbourhoods, [scope.partnership], scope.period)
    if not found.rows:
        return SectionContent(
            "flexible_scenarios",
            "Flexible services: what if the service kept your place?",
            intro=["No flexible-services scenarios were run in these neighbourhoods yet."],
        )
    rows = [
        [
            row.neighbourhood,
            row.service,
            format_html('<a class="govuk-link" href="{}">{}</a>', row.url, row.scenario),
            *row.cells,
        ]
        for row in found.rows
    ]
    return SectionContent(
        "flexible_scenarios",
        "Flexible services: what if the service kept your place?",
        intro=[
            "What-if simulations of a service's waiting list, run with the people who run it: "
            "today's rules against the alternatives tried. Each figure is the mean across the "
            "simulation's replications; the scenario's page has the 95% confidence intervals.",
            *found.sentences,
        ],
        tables=[Table("Scenarios run, by neighbourhood and service", HEAD, rows)],
    )


def register_builtin() -> None:
    builtin = [
        (ReportSection("summary", "At a glance", summary), {"board": 0, "funder": 0}),
        (ReportSection("cycles", "Where each neighbourhood is", cycles), {"board": 10}),
        (ReportSection("people_heard", "People heard", people_heard), {"board": 20, "funder": 10}),
        (ReportSection("gaps", "Gaps", gaps), {"board": 30, "funder": 20}),
        (
            ReportSection("wellbeing", "How people are doing", wellbeing),
            {"board": 40, "funder": 30},
        ),
        (ReportSection("team_work", "Diving in", team_work), {"board": 50, "funder": 40}),
        (
            ReportSection("method", "Conversations, commitments", method),
            {"board": 45, "funder": 35},
        ),
        (
            ReportSection("flexible_scenarios", "Flexible services", flexible_scenarios),
            {"board": 49, "funder": 39},
        ),
        (ReportSection("voices", "In their own words", voices), {"funder": 50}),
        (ReportSection("lessons", "What we learned", lessons), {"board": 90, "funder": 90}),
    ]
    for section, reports in builtin:
        register(section, reports=reports)
