"""Joining: the public pages where an invitee types their code or opens their link, chooses a
username and password, and lands on a welcome page (issue 13, item 1; issue 14, item 4).

They live in `people`, the first app that knows both invitations (partnership) and people, so
that an invitation naming a person's record can offer to tie the new account to it.
"""

import time

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.contrib.auth import login
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from hct.core.access import public
from hct.core.forms import add_service_errors
from hct.core.middleware import SIGNED_IN_AT
from hct.core.roles import Role
from hct.core.services import audit_record
from hct.partnership.forms import JoinCodeForm, JoinForm
from hct.partnership.models import Invitation
from hct.partnership.selectors import invitation_for_secret, partnerships_for
from hct.partnership.services import invitation_check
from hct.people import selectors, services
from hct.people.models import PersonInvitation

# The invitation being used, between the code page and the details page.
JOINING = "hct_joining_invitation"
# Wrong codes count towards the same lockout as wrong passwords, under this name from one
# address: guessing codes from one place stops after a few tries.
CODE_CREDENTIALS = {"username": "join code"}
_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _locked(request) -> bool:
    return AxesProxyHandler.is_locked(request, credentials=CODE_CREDENTIALS)


def _refused(request) -> None:
    user_login_failed.send(sender=__name__, credentials=CODE_CREDENTIALS, request=request)
    audit_record(actor=None, verb="invitation.code_refused")


def _code_form_saying(error: ValidationError) -> JoinCodeForm:
    """The code page's form, empty, with why the invitation cannot be used above it."""
    form = JoinCodeForm({"code": ""})
    form.is_valid()
    form.errors.clear()
    form.add_error(None, error.messages)
    return form


def _start(request, invitation: Invitation):
    request.session[JOINING] = invitation.pk
    return redirect("people:join-details")


@public
@never_cache
def join(request):
    """Type the code from an invitation."""
    if _locked(request):
        return render(request, "core/locked_out.html", status=429)
    form = JoinCodeForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                invitation = invitation_check(invitation_for_secret(form.cleaned_data["code"]))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return _start(request, invitation)
        _refused(request)
    return render(request, "people/join.html", {"form": form})


@public
@never_cache
def join_link(request, token):
    """Open the link from an invitation: straight on to choosing a username and password."""
    if _locked(request):
        return render(request, "core/locked_out.html", status=429)
    try:
        invitation = invitation_check(invitation_for_secret(token), field="__all__")
    except ValidationError as error:
        _refused(request)
        form = _code_form_saying(error)
        return render(request, "people/join.html", {"form": form, "bad_link": True})
    return _start(request, invitation)


def _details_form(request, link: PersonInvitation | None) -> JoinForm:
    form = JoinForm(request.POST or None)
    if link is not None:
        form.fields["link_record"] = forms.BooleanField(
            required=False,
            label=(
                "Yes, link my account to what my facilitator has written down with me, "
                "so I can see it and change it"
            ),
            help_text=(
                "If you leave this empty, you start with nothing, and your facilitator keeps "
                "what they wrote. You can ask them to link it later."
            ),
        )
    return form


@public
@never_cache
@sensitive_post_parameters("password", "password_again")
def join_details(request):
    """Choose a username and password (the usual rules) and, if the invitation names a record
    already kept about the person, say whether to link it."""
    invitation = Invitation.objects.filter(pk=request.session.get(JOINING)).first()
    if invitation is None:
        return redirect("people:join")
    try:
        invitation_check(invitation)
    except ValidationError as error:
        request.session.pop(JOINING, None)
        return render(request, "people/join.html", {"form": _code_form_saying(error)})
    link = PersonInvitation.objects.filter(invitation=invitation).first()
    form = _details_form(request, link)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.person_join(
                invitation=invitation,
                username=data["username"],
                password=data["password"],
                first_name=data["first_name"],
                link_record=data.get("link_record", False),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session.pop(JOINING, None)
            login(request, user, backend=_BACKEND)
            request.session[SIGNED_IN_AT] = time.time()
            audit_record(actor=user, verb="auth.sign_in", subject=user)
            return redirect("people:welcome")
    return render(
        request,
        "people/join_details.html",
        {"form": form, "invitation": invitation, "names_a_record": link is not None},
    )


def welcome(request):
    """Where someone lands after joining: what they can do now, in plain words."""
    user = request.user
    return render(
        request,
        "people/welcome.html",
        {
            "partnerships": list(partnerships_for(user)) if user.role != Role.ADMIN else [],
            "person": selectors.person_for_user(user) if user.role == Role.COMMUNITY else None,
            "breadcrumbs": [("Home", reverse("core:home")), ("Welcome", None)],
        },
    )
