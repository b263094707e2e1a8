"""What the conversation pages share: finding a conversation the user may see, breadcrumbs,
PDF rendering and what a form page about a conversation shows."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from hct.conversations import selectors, services
from hct.conversations.models import Conversation
from hct.core.access import deny
from hct.core.roles import Role

READERS = (Role.FACILITATOR, Role.PARTNER, Role.BOARD)


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


def ics_response(request, conversation: Conversation, *, back: str, breadcrumbs) -> HttpResponse:
    """The calendar invitation as a download, for staff and members alike; a page saying why
    not when the conversation has no time yet."""
    try:
        body = services.invitation_ics(conversation, host=request.get_host().split(":")[0])
    except ValidationError as error:
        return render(
            request,
            "conversations/refused.html",
            {
                "title": "No invitation yet",
                "message": error.messages[0],
                "conversation": conversation,
                "back": back,
                "breadcrumbs": breadcrumbs,
            },
            status=409,
        )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="big-conversation-{conversation.number}.ics"'
    )
    return response
