"""The exports of Big Conversations, shared by the pages and `hct manage export_conversation`:
contributions as CSV, and printable pages as PDF (WeasyPrint)."""

import csv
import io

from django.template.loader import render_to_string

from hct.conversations import selectors
from hct.conversations.models import Conversation

CSV_HEADER = ["id", "kind", "text", "speaker_sector", "speaker_name", "recorded_at"]


def _cell(value: str) -> str:
    """Text as typed, but never a formula when opened in a spreadsheet (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def contributions_csv(conversation: Conversation) -> tuple[str, int]:
    """The conversation's contributions, oldest first; a speaker's name only if they agreed."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    rows = 0
    for c in selectors.contributions(conversation):
        writer.writerow(
            [
                c.pk,
                c.kind,
                _cell(c.text),
                c.speaker_sector,
                _cell(c.speaker_name if c.name_agreed else ""),
                c.created_at.isoformat(),
            ]
        )
        rows += 1
    return out.getvalue(), rows


def _refuse_fetch(url: str, *args, **kwargs):
    raise ValueError(f"the PDF fetches nothing: {url[:60]}")


def pdf(template: str, context: dict, request=None) -> bytes:
    """A printable page as PDF. Its styles are in the page itself (print_base.html), so
    WeasyPrint fetches nothing from anywhere."""
    from weasyprint import HTML

    html = render_to_string(template, {**context, "pdf": True}, request=request)
    return HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()


def sensemaking_context(cycle) -> dict:
    return {"cycle": cycle, "parts": selectors.cycle_sensemaking(cycle)}
