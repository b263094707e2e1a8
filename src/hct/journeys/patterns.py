"""Signifiers across many stories: a ternary plot per triad and a bar chart per dyad, each
with a table beside it, every count through disclosure control (`core.disclosure`).

A triad's triangle is cut into DIVISIONS² small triangles; each story falls in one, and what is
published is how many stories each small triangle holds (1–7 hidden, the rest rounded to 5,
with secondary suppression), never a story's own point.
"""

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.safestring import SafeString

from hct.core.charts import vegalite_svg
from hct.core.disclosure import Published, publish_series
from hct.journeys.models import Signifier
from hct.journeys.weights import WHOLE

DIVISIONS = 3
DYAD_BINS = 5
HEIGHT = math.sqrt(3) / 2


def triad_cell(a: int, b: int, c: int, n: int = DIVISIONS) -> tuple[int, int, int]:
    """The small triangle a point (thousandths summing to 1000) falls in, named by the floor of
    each weight in steps of 1/n: floors summing to n-1 point up, to n-2 point down."""
    return tuple(min(w * n // WHOLE, n - 1) for w in (a, b, c))  # type: ignore[return-value]


def triad_cells(n: int = DIVISIONS) -> list[tuple[int, int, int]]:
    """Every small triangle, corner A's first."""
    return sorted(
        (
            (i, j, k)
            for i in range(n)
            for j in range(n)
            for k in range(n)
            if i + j + k in (n - 1, n - 2)
        ),
        reverse=True,
    )


def cell_centre(cell: tuple[int, int, int], n: int = DIVISIONS) -> tuple[float, float, float]:
    offset = 1 / 3 if sum(cell) == n - 1 else 2 / 3
    return tuple((w + offset) / n for w in cell)  # type: ignore[return-value]


def to_xy(a: float, b: float, c: float) -> tuple[float, float]:
    """Corner A bottom left, B bottom right, C at the top."""
    return b + c / 2, c * HEIGHT


@dataclass(frozen=True)
class Row:
    words: str
    count: Published


@dataclass(frozen=True)
class Pattern:
    signifier: Signifier
    rows: list[Row]
    total: Published
    svg: SafeString


def _cell_words(signifier: Signifier, cell: tuple[int, int, int]) -> str:
    shares = cell_centre(cell)
    parts = [
        f"{label} about {round(share * 100)}%"
        for label, share in zip(signifier.labels, shares, strict=True)
    ]
    return ", ".join(parts)


def triad_pattern(signifier: Signifier, points: Iterable[tuple[int, ...]]) -> Pattern:
    counts = Counter(triad_cell(*point) for point in points)
    cells = triad_cells()
    published, total = publish_series({cell: counts.get(cell, 0) for cell in cells})
    rows = [Row(_cell_words(signifier, cell), published[cell]) for cell in cells]
    corners = [(0, 0), (1, 0), (0.5, HEIGHT)]
    outline = [{"x": x, "y": y, "order": i} for i, (x, y) in enumerate([*corners, corners[0]])]
    labels = [
        {"x": 0, "y": -0.06, "text": signifier.label_a, "align": "left"},
        {"x": 1, "y": -0.06, "text": signifier.label_b, "align": "right"},
        {"x": 0.5, "y": HEIGHT + 0.04, "text": signifier.label_c, "align": "center"},
    ]
    dots = []
    for cell in cells:
        value = published[cell].value
        if value:
            x, y = to_xy(*cell_centre(cell))
            dots.append({"x": x, "y": y, "stories": value})
    scale = {"domain": [-0.15, 1.15], "nice": False}
    axis = None
    svg = vegalite_svg(
        {
            "title": signifier.question,
            "width": 300,
            "height": 280,
            "layer": [
                {
                    "data": {"values": outline},
                    "mark": {"type": "line", "color": "#505a5f"},
                    "encoding": {
                        "x": {"field": "x", "type": "quantitative", "scale": scale, "axis": axis},
                        "y": {
                            "field": "y",
                            "type": "quantitative",
                            "scale": {"domain": [-0.12, 1.0], "nice": False},
                            "axis": axis,
                        },
                        "order": {"field": "order"},
                    },
                },
                {
                    "data": {"values": dots},
                    "mark": {"type": "circle", "color": "#1d70b8", "opacity": 0.8},
                    "encoding": {
                        "x": {"field": "x", "type": "quantitative"},
                        "y": {"field": "y", "type": "quantitative"},
                        "size": {
                            "field": "stories",
                            "type": "quantitative",
                            "scale": {"range": [60, 1200]},
                            "legend": {"title": "Stories"},
                        },
                    },
                },
                {
                    "data": {"values": labels},
                    "mark": {"type": "text", "fontSize": 12, "color": "#0b0c0c"},
                    "encoding": {
                        "x": {"field": "x", "type": "quantitative"},
                        "y": {"field": "y", "type": "quantitative"},
                        "text": {"field": "text"},
                        "align": {"field": "align"},
                    },
                },
            ],
        }
    )
    return Pattern(signifier, rows, total, svg)


def dyad_bin(slider: int, bins: int = DYAD_BINS) -> int:
    return min(slider * bins // WHOLE, bins - 1)


def dyad_pattern(signifier: Signifier, sliders: Iterable[int]) -> Pattern:
    counts = Counter(dyad_bin(s) for s in sliders)
    names = [
        f"Closest to ‘{signifier.label_a}’",
        f"Nearer ‘{signifier.label_a}’",
        "In the middle",
        f"Nearer ‘{signifier.label_b}’",
        f"Closest to ‘{signifier.label_b}’",
    ]
    published, total = publish_series({i: counts.get(i, 0) for i in range(DYAD_BINS)})
    rows = [Row(names[i], published[i]) for i in range(DYAD_BINS)]
    values = [
        {"where": names[i], "stories": published[i].value}
        for i in range(DYAD_BINS)
        if published[i].value is not None
    ]
    svg = vegalite_svg(
        {
            "title": signifier.question,
            "width": 300,
            "height": {"step": 22},
            "data": {"values": values},
            "mark": {"type": "bar", "color": "#1d70b8"},
            "encoding": {
                "y": {"field": "where", "type": "nominal", "sort": names, "title": None},
                "x": {"field": "stories", "type": "quantitative", "title": "Stories"},
            },
        }
    )
    return Pattern(signifier, rows, total, svg)
