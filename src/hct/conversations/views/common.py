"""What the conversation pages share: finding a conversation the user may see, breadcrumbs,
PDF rendering and a form page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse

from hct.conversations import selectors
from hct.conversations.models import Conversation
from hct.core.access import deny
from hct.core.forms import add_service_errors
from hct.people.views import form_page as people_form_page

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


def form_page(request, *, conversation, form, title, button, save, done, next_url, intro=""):
    """One GOV.UK form about a conversation (people's form page, with our breadcrumbs)."""
    return people_form_page(
        request,
        form=form,
        title=title,
        caption=str(conversation) if conversation else "",
        intro=intro,
        button=button,
        breadcrumbs=crumbs(conversation, (title, None)),
        save=save,
        done=done,
        next_url=next_url,
    )


def form_posted(request, form, *, save, done, next_url):
    """For a page that shows a form beside other things: on a valid POST call the service and
    redirect (its refusal goes on the form); None means render the page."""
    if form is None or request.method != "POST" or not form.is_valid():
        return None
    try:
        saved = save(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    messages.success(request, done(form.cleaned_data) if callable(done) else done)
    return redirect(next_url(saved) if callable(next_url) else next_url)


def pdf_response(request, template: str, context: dict, filename: str) -> HttpResponse:
    """The printable page as a PDF (WeasyPrint), with the same HTML the browser prints."""
    from weasyprint import HTML

    html = render_to_string(template, {**context, "pdf": True}, request=request)
    # The PDF's styles are in the page itself, so WeasyPrint fetches nothing from anywhere.
    pdf = HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _refuse_fetch(url: str, *args, **kwargs):
    raise ValueError(f"the PDF fetches nothing: {url[:60]}")
