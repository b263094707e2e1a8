"""The one way a view takes a form: bind it, call the service, show the service's refusal on the
form, say what happened, and go on — or show the page again with what is wrong.

Every view in hct that writes through a form uses one of two functions here, so the view itself
says only who may come in (its `@roles_required` and any `deny`), which form, which service and
where to go after:

`form_page` — a page that is one form::

    @roles_required(Role.FACILITATOR)
    def need_add(request, pk):
        person, _ = person_for(request, pk, need="edits_person")
        return form_page(
            request,
            NeedForm(request.POST or None),
            save=lambda data: services.need_add(actor=request.user, person=person, **data),
            done="The need has been added.",
            next_url=reverse("people:detail", args=[person.pk]),
            context={"title": "Add a need", "button": "Add need", "breadcrumbs": [...]},
        )

    The default template, ``core/form_page.html``, shows an error summary, a caption, a heading
    (`title`), an introduction and the form with one button; pass `template` for a page of its
    own (it gets ``form`` beside everything in `context`).

`form_posted` — a form beside other things on a page (a board with an "add an item" form, a
door list with a "mark as here" form). It answers the POST, or returns None when the page should
be rendered (a GET, or a POST with something wrong, whose errors are now on the form)::

    answered = form_posted(request, form, save=..., done=..., next_url=...)
    if answered:
        return answered
    return render(request, "conversations/board.html", {"form": form, ...})

`action_posted` — a button posted from another page (confirm a match, pause an offer, answer
yes or no), with or without a small form of hidden fields. There is no page of its own to show
again, so a refusal (the form's errors, or the service's) is flashed as an error message and the
user goes back to `next_url` either way::

    return action_posted(request, save=lambda _: services.offer_end(...), done="Ended.",
                         next_url=reverse("matching:offers"))

The rules all three keep:

- Nothing is called unless the request is a POST and the form is valid (an `action_posted`
  view is ``@require_POST``).
- `save` gets the form's ``cleaned_data`` and calls one service. A ``ValidationError`` it raises
  goes on the form — on the field it names when the form has that field, above the form
  otherwise — and the page is shown again (`action_posted`: flashed as an error): the service's
  transaction has changed nothing.
- On success `done` (a message, or a function of what `save` returned; None when the page
  gone to says it all, as a job's progress page does) is flashed as a success message and the user is redirected to `next_url` (a URL, or a function of what `save`
  returned, for "go to the thing just made").
"""

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render

from hct.core.forms import add_service_errors

Saved = TypeVar("Saved")

FORM_PAGE = "core/form_page.html"


def form_posted(
    request: HttpRequest,
    form: BaseForm | None,
    *,
    save: Callable[[dict[str, Any]], Saved],
    done: str | Callable[[Saved], str] | None,
    next_url: str | Callable[[Saved], str],
) -> HttpResponseRedirect | None:
    """Answer a valid POST of `form` by calling `save(cleaned_data)` and redirecting to
    `next_url` with the success message `done`; None when the page is to be rendered (a GET,
    an invalid form, or a service's refusal, now on the form). `form` may be None when this
    user is not offered the form at all: then nothing is ever saved."""
    if form is None or request.method != "POST" or not form.is_valid():
        return None
    try:
        saved = save(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    if done is not None:
        messages.success(request, done(saved) if callable(done) else done)
    return redirect(next_url(saved) if callable(next_url) else next_url)


def form_page(
    request: HttpRequest,
    form: BaseForm,
    *,
    save: Callable[[dict[str, Any]], Saved],
    done: str | Callable[[Saved], str] | None,
    next_url: str | Callable[[Saved], str],
    context: Mapping[str, object],
    template: str = FORM_PAGE,
) -> HttpResponse:
    """A page that is one form: `form_posted`'s answer to a valid POST, or else `template`
    rendered with ``form`` and `context` (for the default template: ``title``, ``button``,
    ``breadcrumbs`` and, if wanted, ``caption`` and ``intro``)."""
    answered = form_posted(request, form, save=save, done=done, next_url=next_url)
    if answered is not None:
        return answered
    return render(request, template, {**context, "form": form})


def action_posted(
    request: HttpRequest,
    *,
    save: Callable[[dict[str, Any]], Saved],
    done: str | Callable[[Saved], str] | None,
    next_url: str,
    form: BaseForm | None = None,
) -> HttpResponseRedirect:
    """Answer a button posted from another page: `save(cleaned_data)` (``{}`` without a form)
    and flash `done`; the form's errors or the service's ``ValidationError`` are flashed as
    one error message instead. Either way the user goes back to `next_url`."""
    if form is not None and not form.is_valid():
        wrong = [str(m).rstrip(".") + "." for ms in form.errors.values() for m in ms]
        messages.error(request, " ".join(wrong))
        return redirect(next_url)
    try:
        saved = save(form.cleaned_data if form is not None else {})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(next_url)
    if done is not None:
        messages.success(request, done(saved) if callable(done) else done)
    return redirect(next_url)
