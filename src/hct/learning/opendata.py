"""Open data: the published (suppressed, rounded) figures per neighbourhood, as CSV and JSON,
with a data dictionary. Built from the same published figures as the side-by-side page, so no
number leaves here that disclosure control did not pass."""

import csv
import io

from hct.core.disclosure import SUPPRESSED, Published
from hct.journeys.models import Gap
from hct.learning.figures import MEASURE_LABELS, MEASURES, Period
from hct.learning.present import SideBySide

DISCLOSURE = (
    "Counts from 1 to 7 are shown as * and every other count is rounded to the nearest 5; "
    "further cells are shown as * where a hidden one could be worked out from a total. "
    "Percentages and mean changes are * where the counts behind them are."
)


def published() -> tuple[SideBySide, Period]:
    """Every neighbourhood where a partnership works, from its first cycle's start to today."""
    from hct.learning.figures import figures_for
    from hct.learning.present import side_by_side
    from hct.learning.selectors import default_period, neighbourhoods_with_cycles

    neighbourhoods = neighbourhoods_with_cycles()
    period = Period(*default_period(neighbourhoods))
    return side_by_side(figures_for(neighbourhoods, period), period), period


def dictionary() -> list[dict[str, str]]:
    """Each column: its name, what it means, and its type."""
    columns = [
        ("neighbourhood", "The neighbourhood's name", "text"),
        (
            "neighbourhood_slug",
            "The neighbourhood's short name, as in this site's addresses",
            "text",
        ),
        ("cycle_stage", "The stage of the partnership's cycle there", "text"),
        (
            "people_heard",
            "People living there whose story or service journey was first recorded in the period",
            "count",
        ),
    ]
    columns += [
        (f"gaps_{kind}", f"Gaps between services recorded in the period: {label}", "count")
        for kind, label in Gap.Kind.choices
    ]
    columns += [
        ("gaps_total", "Gaps between services recorded in the period, all types", "count"),
        ("field_notes", "Field notes the team wrote while diving in", "count"),
        ("assets_found", "Community assets the team found", "count"),
        ("lessons", "Entries in the learning log", "count"),
        (
            "wellbeing_baselines",
            "People first asked the ONS well-being questions in the period",
            "count",
        ),
        (
            "wellbeing_pairs",
            "People asked a second time in the period (with a first answer to compare)",
            "count",
        ),
    ]
    columns += [
        (
            f"change_{name}",
            f"Mean change from first to latest answer, 0–10 scale: {MEASURE_LABELS[name]}",
            "number (one decimal place, signed)",
        )
        for name in MEASURES
    ]
    columns += [
        (
            "lonely_often_first_pct",
            "Of the people asked twice: share often or always lonely at first",
            "percentage",
        ),
        ("lonely_often_later_pct", "… and at their latest answer", "percentage"),
    ]
    from hct.learning.columns import columns as extra

    columns += [(c.key, c.description, "count") for c in extra()]
    return [{"column": c, "description": d, "type": t} for c, d, t in columns]


def _value(published: Published | str):
    if isinstance(published, str):
        return published if published == SUPPRESSED else float(published)
    return SUPPRESSED if published.suppressed else published.value


def rows(side: SideBySide) -> list[dict]:
    result = []
    for row in side.rows:
        record = {
            "neighbourhood": row.name,
            "neighbourhood_slug": row.slug,
            "cycle_stage": row.stage,
            "people_heard": _value(row.people_heard),
        }
        for (kind, _), cell in zip(side.gap_kinds, row.gaps, strict=True):
            record[f"gaps_{kind}"] = _value(cell)
        record.update(
            gaps_total=_value(row.gap_total),
            field_notes=_value(row.field_notes),
            assets_found=_value(row.assets_found),
            lessons=_value(row.lessons),
            wellbeing_baselines=_value(row.wellbeing.baselines),
            wellbeing_pairs=_value(row.wellbeing.pairs),
        )
        for name in MEASURES:
            record[f"change_{name}"] = _value(row.wellbeing.change[name])
        record["lonely_often_first_pct"] = _value(row.wellbeing.lonely_before)
        record["lonely_often_later_pct"] = _value(row.wellbeing.lonely_after)
        for column, cell in zip(side.extra, row.extra, strict=True):
            record[column.key] = _value(cell)
        result.append(record)
    return result


def as_csv(side: SideBySide) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=[c["column"] for c in dictionary()], lineterminator="\n"
    )
    writer.writeheader()
    writer.writerows(rows(side))
    return out.getvalue()


def as_json(side: SideBySide, period: Period) -> dict:
    return {
        "title": "Healthy Communities Together: figures by neighbourhood",
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "disclosure_control": DISCLOSURE,
        "suppressed_marker": SUPPRESSED,
        "dictionary": dictionary(),
        "neighbourhoods": rows(side),
    }
