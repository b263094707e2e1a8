"""The exports of Big Conversations, shared by the pages and `hct manage export_conversation`:
contributions as CSV, and printable pages as PDF (WeasyPrint)."""

import csv
import io

from django.template.loader import render_to_string

from hct.conversations import selectors
from hct.conversations.models import Conversation
from hct.core.pdf import render_pdf

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


def pdf(template: str, context: dict, request=None) -> bytes:
    """A printable page as a tagged PDF. Its styles are in the page itself (print_base.html);
    `render_pdf` fetches nothing but our own static files."""
    html = render_to_string(template, {**context, "pdf": True}, request=request)
    return render_pdf(html)


def sensemaking_context(cycle) -> dict:
    return {"cycle": cycle, "parts": selectors.cycle_sensemaking(cycle)}
