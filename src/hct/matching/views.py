"""Matching pages: a facilitator's review of proposals, each match with its decisions, offers,
a need's preferences, and a community member's own matches and what they have given back."""

from typing import cast

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from hct.core.access import deny, found, roles_required
from hct.core.forms import choice_field
from hct.core.formviews import action_posted, form_page
from hct.core.jobs import job_enqueue
from hct.core.roles import Role
from hct.matching import selectors, services
from hct.matching.forms import (
    EndForm,
    HoursForm,
    MemberHoursForm,
    MemberNeedForm,
    MemberOfferForm,
    MemberStrengthForm,
    OfferForm,
    PreferencesForm,
    RespondForm,
)
from hct.matching.jobs import RUN_JOB
from hct.people import services as people_services
from hct.people.models import Purpose
from hct.people.selectors import has_consent, person_access, person_for_user

F, C = Role.FACILITATOR, Role.COMMUNITY


def _crumbs(*more):
    return [("Home", reverse("core:home")), ("Matching", reverse("matching:home")), *more]


def _match_for(request, pk: int):
    """The match, and the sides the user speaks for: a facilitator in scope speaks for both;
    a community member for their own side(s) only."""
    match = found(selectors.match_find(pk), "No such match")
    if request.user.role == Role.FACILITATOR:
        if not selectors.matches_in_scope(request.user).filter(pk=match.pk).exists():
            raise deny(request, "match not in scope")
        return match, set(selectors.BOTH_SIDES)
    person = person_for_user(request.user)
    sides = selectors.sides_of(match, person) if person else set()
    if not sides:
        raise deny(request, "not a side of this match")
    return match, sides


@roles_required(F)
def home(request):
    return render(
        request,
        "matching/home.html",
        {
            **selectors.review_lists(request.user),
            "member_news": selectors.member_news(request.user),
            "last_run": selectors.last_run(),
            "breadcrumbs": _crumbs(),
        },
    )


@roles_required(F)
@require_POST
def run(request):
    """Matching runs as a background job; its page shows the progress and links back here."""
    job = job_enqueue(actor=request.user, kind=RUN_JOB)
    return redirect("core:job", job_id=job.pk)


@roles_required(F, C)
def match_detail(request, pk):
    match, _ = _match_for(request, pk)
    facilitator = request.user.role == Role.FACILITATOR
    views = [] if facilitator else _own_view(request, match)
    return render(
        request,
        "matching/match_detail.html",
        {
            "match": match,
            "facilitator": facilitator,
            "views": views,
            "can_answer": selectors.can_answer(match, views),
            "respond_form": RespondForm() if facilitator else None,
            "hours": selectors.match_hours(match),
            "breadcrumbs": _crumbs((f"Match {match.pk}", None))
            if facilitator
            else _mine_crumbs((f"Match {match.pk}", None)),
        },
    )


def _own_view(request, match) -> list:
    person = person_for_user(request.user)
    return selectors.seen_by(person, [match])[0][1] if person else []


def _decide(request, pk, action, done: str):
    match, _ = _match_for(request, pk)
    return action_posted(
        request,
        save=lambda _: action(actor=request.user, match=match),
        done=done,
        next_url=reverse("matching:match", args=[match.pk]),
    )


@roles_required(F)
@require_POST
def confirm(request, pk):
    return _decide(
        request,
        pk,
        services.match_confirm,
        "Confirmed. Now ask both sides whether they would like to go ahead.",
    )


@roles_required(F)
@require_POST
def decline(request, pk):
    return _decide(
        request, pk, services.match_decline, "Declined. This pair will not be proposed again."
    )


@roles_required(F, C)
@require_POST
def respond(request, pk):
    """A facilitator answers for either side; a member only for their own (from the match's
    page or from their list, to which they go back)."""
    match, sides = _match_for(request, pk)
    if request.user.role == Role.COMMUNITY and request.POST.get("side", "") not in sides:
        raise deny(request, "answering for another side")
    from_list = request.user.role == Role.COMMUNITY and request.POST.get("from") == "list"
    return action_posted(
        request,
        form=RespondForm(request.POST),
        save=lambda data: services.match_respond(
            actor=request.user, match=match, side=data["side"], accept=data["answer"] == "accept"
        ),
        done="Thank you: the answer is recorded.",
        next_url=reverse("matching:mine")
        if from_list
        else reverse("matching:match", args=[match.pk]),
    )


@roles_required(F)
def end(request, pk):
    match, _ = _match_for(request, pk)
    return form_page(
        request,
        EndForm(request.POST or None),
        save=lambda data: services.match_end(actor=request.user, match=match, **data),
        done="The match has ended, with its outcome.",
        next_url=reverse("matching:match", args=[match.pk]),
        context={
            "title": "End this match",
            "caption": f"Match {match.pk}",
            "button": "End the match",
            "breadcrumbs": _crumbs(
                (f"Match {match.pk}", reverse("matching:match", args=[match.pk]))
            ),
        },
    )


@roles_required(F, C)
def hours(request, pk):
    """Hours given through an active match, logged by a facilitator or by someone in it."""
    match, sides = _match_for(request, pk)
    if request.user.role == Role.COMMUNITY:
        return _member_hours(request, match, sides)
    form = HoursForm(request.POST or None)
    if not match.two_way:
        given_by = choice_field(form, "given_by")
        given_by.choices = list(cast(list, given_by.choices))[:1]
    return form_page(
        request,
        form,
        save=lambda data: services.hours_log(actor=request.user, match=match, **data),
        done="The hours are logged.",
        next_url=reverse("matching:match", args=[match.pk]),
        context={
            "title": "Log hours given",
            "caption": f"Match {match.pk}",
            "intro": "As in a timebank: the giver's hours given are the other's hours received.",
            "button": "Log the hours",
            "breadcrumbs": _crumbs(
                (f"Match {match.pk}", reverse("matching:match", args=[match.pk]))
            ),
        },
    )


def _member_hours(request, match, sides: set[str]):
    form = MemberHoursForm(request.POST or None, match=match, sides=sides)
    return form_page(
        request,
        form,
        save=lambda data: services.hours_log(
            actor=request.user, match=match, hours=data["hours"], on=data["on"],
            given_by=form.given_by(),
        ),
        done="Thank you. The hours are logged.",
        next_url=reverse("matching:mine"),
        template="matching/member_form.html",
        context={
            "title": "Log time given or received",
            "caption": f"Match {match.pk}",
            "intro": "Write down the time you spent together. It shows what people give back.",
            "button": "Log the time",
            "consents": True,
            "breadcrumbs": _mine_crumbs((f"Match {match.pk}", None)),
        },
    )  # fmt: skip


@roles_required(F)
def offers(request):
    return render(
        request,
        "matching/offers.html",
        {
            "offers": list(selectors.offers_in_scope(request.user)),
            "breadcrumbs": _crumbs(("Offers", None)),
        },
    )


def _offer_for(request, pk: int):
    """The offer a user may pause or end: for a facilitator, one in their scope; for a
    community member, only their own (another person's offer is not found)."""
    if request.user.role == Role.COMMUNITY:
        return found(selectors.offers_of(_my_person(request)).filter(pk=pk).first())
    offer = selectors.offers_in_scope(request.user).filter(pk=pk).first()
    if offer is None:
        raise deny(request, "offer not in scope")
    return offer


def _offers_page(request) -> str:
    return "matching:mine" if request.user.role == Role.COMMUNITY else "matching:offers"


@roles_required(F, C)
@require_POST
def offer_active(request, pk):
    """Pause an offer (on holiday, unwell) or take it up again; matching skips paused offers."""
    offer = _offer_for(request, pk)
    active = request.POST.get("active") == "yes"
    return action_posted(
        request,
        save=lambda _: services.offer_set_active(actor=request.user, offer=offer, active=active),
        done="The offer is taken up again." if active else "The offer is paused.",
        next_url=reverse(_offers_page(request)),
    )


@roles_required(F, C)
@require_POST
def offer_end(request, pk):
    """End an offer for good (paused is for a while); its matches keep their history."""
    offer = _offer_for(request, pk)
    return action_posted(
        request,
        save=lambda _: services.offer_end(actor=request.user, offer=offer),
        done="The offer has ended. Thank you for your help.",
        next_url=reverse(_offers_page(request)),
    )


@roles_required(F, C)
def offer_add(request):
    """Facilitators record anyone's offer; a community member offers help themselves (the same
    service, with the offer theirs and setting out from their home area)."""
    if request.user.role == Role.COMMUNITY:
        return _member_offer_add(request)
    form = OfferForm(request.POST or None, actor=request.user)
    return form_page(
        request,
        form,
        save=lambda data: services.offer_create(actor=request.user, **form.service_arguments(data)),
        done="The offer is saved; the next matching run will use it.",
        next_url=reverse("matching:offers"),
        context={
            "title": "Add an offer of help",
            "intro": "From a person (someone who receives help can offer it too) or a group.",
            "button": "Save the offer",
            "breadcrumbs": _crumbs(("Offers", reverse("matching:offers")), ("Add", None)),
        },
    )


def _my_person(request):
    person = person_for_user(request.user)
    if person is None:
        raise Http404("No record")
    return person


def _member_offer_add(request):
    person = _my_person(request)
    form = MemberOfferForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda data: services.offer_create(
            actor=request.user,
            person=person,
            base_lsoa=person.home_lsoa,
            **form.service_arguments(data),
        ),
        done="Thank you. Your offer of help is saved.",
        next_url=reverse("matching:mine"),
        template="matching/member_form.html",
        context={
            "title": "Offer help",
            "intro": "Say what you could do, and when. We never share your address.",
            "button": "Save my offer",
            "consents": has_consent(person, Purpose.MATCHING),
            "breadcrumbs": _mine_crumbs(("Offer help", None)),
        },
    )


@roles_required(C)
def my_need_add(request):
    """A community member asks for help themselves: the same services as the facilitator's
    need and preferences pages."""
    person = _my_person(request)
    form = MemberNeedForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda data: services.need_ask(
            actor=request.user, person=person, **form.service_arguments(data)
        ),
        done="Thank you. What you need is saved. Your facilitator will see it.",
        next_url=reverse("matching:mine"),
        template="matching/member_form.html",
        context={
            "title": "Ask for help",
            "intro": "Say what would help you, and when. We never share your address.",
            "button": "Save",
            "consents": has_consent(person, Purpose.MATCHING),
            "breadcrumbs": _mine_crumbs(("Ask for help", None)),
        },
    )


@roles_required(C)
def my_strength_add(request):
    person = _my_person(request)
    return form_page(
        request,
        MemberStrengthForm(request.POST or None),
        save=lambda data: people_services.strength_add(actor=request.user, person=person, **data),
        done="Thank you. It is saved.",
        next_url=reverse("matching:mine"),
        template="matching/member_form.html",
        context={
            "title": "What you could give",
            "intro": "Everyone has something to give: a skill, some time, a friendly chat.",
            "button": "Save",
            "consents": True,
            "breadcrumbs": _mine_crumbs(("What you could give", None)),
        },
    )


def _mine_crumbs(*more):
    return [("Home", reverse("core:home")), ("Help", reverse("matching:mine")), *more]


@roles_required(F)
def preferences(request, need_pk):
    need = found(selectors.need_find(need_pk), "No such need")
    if not person_access(request.user, need.person).can_edit:
        raise deny(request, "need not editable")
    form = PreferencesForm(request.POST or None, initial=selectors.preferences_initial(need))
    return form_page(
        request,
        form,
        save=lambda data: services.need_preferences_set(
            actor=request.user, need=need, **form.service_arguments(data)
        ),
        done="Saved. The next matching run will respect it.",
        next_url=reverse("people:detail", args=[need.person_id]),
        context={
            "title": "What matching must respect",
            "caption": f"{need.person.alias}: {need.get_kind_display()}",
            "button": "Save",
            "breadcrumbs": _person_crumbs(need.person, ("Matching preferences", None)),
        },
    )


def _person_crumbs(person, *more):
    return [
        ("Home", reverse("core:home")),
        ("People", reverse("people:list")),
        (person.alias, reverse("people:detail", args=[person.pk])),
        *more,
    ]


@roles_required(C)
def mine(request):
    """A community member's help page: what they offer, their matches (answered from the list),
    the hours given back."""
    person = person_for_user(request.user)
    trail = [("Home", reverse("core:home")), ("Help", None)]
    if person is None:
        return render(request, "matching/mine.html", {"person": None, "breadcrumbs": trail})
    return render(
        request,
        "matching/mine.html",
        {
            "person": person,
            "consents": has_consent(person, Purpose.MATCHING),
            "offers": list(selectors.offers_of(person)),
            "needs": selectors.open_needs_of(person),
            "strengths": selectors.strengths_of(person),
            "matches": selectors.my_answers(person),
            "reciprocity": selectors.reciprocity(person),
            "breadcrumbs": trail,
        },
    )
