"""Vega-Lite drawn on the server to SVG (vl-convert), so a page needs no script to show a
chart and a PDF gets the same picture. Every chart in hct stands beside a table that says the
same in words, so the picture itself is hidden from assistive technology."""

from django.utils.safestring import SafeString, mark_safe

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"


def vegalite_svg(spec: dict) -> SafeString:
    import vl_convert

    spec = {
        "$schema": SCHEMA,
        # No ARIA inside the picture: the figure is one image with a name, and its words are all
        # in the table beside it.
        "config": {"aria": False, "font": "Helvetica, Arial, sans-serif", "view": {"stroke": None}},
        **spec,
    }
    svg = vl_convert.vegalite_to_svg(spec).replace(
        "<svg ", '<svg aria-hidden="true" focusable="false" ', 1
    )
    # vl-convert's own output from our numbers and labels (escaped by Vega).
    return mark_safe(svg)  # noqa: S308
