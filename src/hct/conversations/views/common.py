"""What the conversation pages share: finding a conversation the user may see, breadcrumbs,
PDF rendering and what a form page about a conversation shows."""

from django.http import Http404, HttpResponse
from django.urls import reverse

from hct.conversations import selectors
from hct.conversations.models import Conversation
from hct.core.access import deny

READERS = ("facilitator", "partner", "board")


def conversation_for(request, pk: int) -> Conversation:
    """The conversation, if this user may see it (404 if there is none, 403 out of scope)."""
    try:
        conversation = selectors.conversation_get(pk)
    except Conversation.DoesNotExist:
        raise Http404("No such conversation") from None
    if not selectors.conversations_visible(request.user).filter(pk=pk).exists():
        raise deny(request, "conversation not in scope")
    return conversation


def crumbs(conversation: Conversation | None = None, *more):
    items = [("Home", reverse("core:home")), ("Big Conversations", reverse("conversations:list"))]
    if conversation is not None:
        items.append((str(conversation), reverse("conversations:detail", args=[conversation.pk])))
    return [*items, *more]


def page(conversation: Conversation | None, *, title: str, button: str, intro: str = "") -> dict:
    """What `core/form_page.html` shows for a form about a conversation: it is the caption."""
    return {
        "title": title,
        "caption": str(conversation) if conversation else "",
        "intro": intro,
        "button": button,
        "breadcrumbs": crumbs(conversation, (title, None)),
    }


def pdf_response(request, template: str, context: dict, filename: str) -> HttpResponse:
    """The printable page as a PDF, from the same HTML the browser prints."""
    from hct.conversations.exports import pdf

    response = HttpResponse(pdf(template, context, request), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
