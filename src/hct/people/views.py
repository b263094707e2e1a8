import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from hct.core.access import deny, found, roles_required
from hct.core.formviews import form_page, form_posted
from hct.core.roles import Role
from hct.partnership.selectors import current_partnership
from hct.partnership.views import remember_to_show
from hct.people import selectors, services
from hct.people.access import person_for
from hct.people.forms import (
    ConsentsForm,
    IdentityForm,
    MetForm,
    MyConsentsForm,
    NeedForm,
    PersonForm,
    PersonInviteForm,
    StrengthForm,
)
from hct.people.models import Need, Person, Purpose
from hct.people.purposes import PLAIN_WORDS
from hct.people.registry import registered
from hct.people.selectors import Access

PERSON_VIEWERS = (Role.FACILITATOR, Role.PARTNER, Role.COMMUNITY)


def crumbs(person: Person | None = None, *more):
    items = [("Home", reverse("core:home")), ("People", reverse("people:list"))]
    if person is not None:
        items.append((person.alias, reverse("people:detail", args=[person.pk])))
    return [*items, *more]


@roles_required(Role.FACILITATOR)
def person_list(request):
    mine = request.GET.get("mine") == "1"
    people = selectors.people_in_scope(request.user)
    if mine:
        people = selectors.people_named_to(people, request.user)
    page = Paginator(selectors.person_list(people, named_by=request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "people/person_list.html",
        {
            "page": page,
            "mine": mine,
            "breadcrumbs": [("Home", reverse("core:home")), ("People", None)],
        },
    )


@roles_required(Role.FACILITATOR)
def person_create(request):
    return form_page(
        request,
        PersonForm(
            request.POST or None, actor=request.user, initial={"facilitators": [request.user.pk]}
        ),
        save=lambda data: services.person_create(
            actor=request.user, partnership=current_partnership(request), **data
        ),
        done="The person has been added.",
        next_url=lambda person: reverse("people:detail", args=[person.pk]),
        context={
            "title": "Add a person",
            "intro": (
                "Start with the name they want to be known by, and what they chose to share. Who "
                "they are (name, contact, address) is recorded separately, encrypted."
            ),
            "button": "Add person",
            "breadcrumbs": crumbs(None, ("Add a person", None)),
        },
    )


def _sections(request, person: Person, access: Access) -> list[str]:
    return [
        mark_safe(html)  # noqa: S308 - each section renders its own template, escaped there
        for data in registered()
        if data.section is not None and (html := data.section(request, person, access))
    ]


def _render_person(request, person: Person, access: Access, breadcrumbs):
    person = selectors.person_detail(person)
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "access": access,
            "consents": selectors.consent_summary(person) if access.sees_story else [],
            "identity_held": access.sees_identity and selectors.identity_held(person),
            "sections": _sections(request, person, access),
            "breadcrumbs": breadcrumbs,
        },
    )


@roles_required(PERSON_VIEWERS)
def person_detail(request, pk):
    person, access = person_for(request, pk)
    if access is Access.OWN:
        return redirect("people:mine")
    trail = crumbs(person)
    if access is Access.SHARED:
        trail = [("Home", reverse("core:home")), (person.alias, None)]
    else:
        trail[-1] = (person.alias, None)
    return _render_person(request, person, access, trail)


@roles_required(Role.COMMUNITY)
def mine(request):
    person = selectors.person_for_user(request.user)
    trail = [("Home", reverse("core:home")), ("My record", None)]
    if person is None:
        return render(request, "people/mine_empty.html", {"breadcrumbs": trail})
    return _render_person(request, person, Access.OWN, trail)


@roles_required(Role.FACILITATOR)
def person_edit(request, pk):
    person, _ = person_for(request, pk, need="can_edit")
    initial = selectors.person_edit_initial(person)
    return form_page(
        request,
        PersonForm(request.POST or None, actor=request.user, person=person, initial=initial),
        save=lambda data: services.person_update(actor=request.user, person=person, **data),
        done="The record has been changed.",
        next_url=reverse("people:detail", args=[person.pk]),
        context={
            "title": f"Change {person.alias}’s record",
            "button": "Save changes",
            "breadcrumbs": crumbs(person, ("Change", None)),
        },
    )


@roles_required(Role.FACILITATOR)
def identity(request, pk):
    """Who the person is: read (and audited) only here, only by a named facilitator."""
    person, _ = person_for(request, pk, need="sees_identity")
    form = IdentityForm(request.POST or None)
    answered = form_posted(
        request,
        form,
        save=lambda data: services.identity_set(actor=request.user, person=person, **data),
        done="Who they are has been saved, encrypted.",
        next_url=reverse("people:identity", args=[person.pk]),
    )
    if answered:
        return answered
    details = None
    if request.method != "POST":
        details = selectors.identity_read(actor=request.user, person=person)
        form = IdentityForm(
            initial={"name": details.name, "contact": details.contact, "address": details.address}
        )
    return render(
        request,
        "people/identity.html",
        {
            "person": person,
            "details": details,
            "form": form,
            "breadcrumbs": crumbs(person, ("Who they are", None)),
        },
    )


@roles_required(Role.FACILITATOR)
def consents(request, pk):
    person, _ = person_for(request, pk, need="can_edit")
    detail = selectors.person_detail(person)
    form = ConsentsForm(request.POST or None, current=selectors.consented_purposes(detail))
    answered = form_posted(
        request,
        form,
        save=lambda data: services.consents_set(
            person,
            data["purposes"],
            by=request.user,
            on=data["on"],
            how=data["how"],
            note=data["note"],
        ),
        done=lambda changes: _changed(changes, staff=True),
        next_url=reverse("people:consents", args=[person.pk]),
    )
    if answered:
        return answered
    return render(
        request,
        "people/consents.html",
        {
            "person": detail,
            "consents": selectors.consent_summary(detail),
            "form": form,
            "breadcrumbs": crumbs(person, ("Consent", None)),
        },
    )


def _changed(changes: services.ConsentChanges, *, staff: bool = False) -> str:
    """What a consent change did, in the words its page speaks."""
    if not changes:
        return "Nothing has changed."
    if staff:
        said = [f"Given: {p.label}." for p in changes.given]
        said += [f"Withdrawn, everywhere, from now on: {p.label}." for p in changes.withdrawn]
    else:
        said = [PLAIN_WORDS[p].withdrawn for p in changes.withdrawn]
        said += [PLAIN_WORDS[p].given for p in changes.given]
    return " ".join(said)


@roles_required(Role.COMMUNITY)
def mine_consents(request):
    """The person says yes or no to each purpose themselves. The form names no person: it
    only ever changes the consents of the person linked to the signed-in account."""
    person = selectors.person_for_user(request.user)
    trail = [("Home", reverse("core:home")), ("My consents", None)]
    if person is None:
        return render(
            request, "people/mine_empty.html", {"breadcrumbs": trail, "title": "My consents"}
        )
    current = selectors.consented_purposes(person)
    form = MyConsentsForm(request.POST or None, current=current)
    answered = form_posted(
        request,
        form,
        save=lambda data: services.consents_set(person, data["purposes"], by=request.user),
        done=_changed,
        next_url=reverse("people:mine-consents"),
    )
    if answered:
        return answered
    return render(
        request,
        "people/mine_consents.html",
        {
            "form": form,
            "purposes": [
                {"value": p.value, "words": PLAIN_WORDS[p], "given": p in current} for p in Purpose
            ],
            "breadcrumbs": trail,
        },
    )


def _words_form(request, person, *, form, title, button, save):
    return form_page(
        request,
        form,
        save=save,
        done="Saved.",
        next_url=reverse("people:detail", args=[person.pk]),
        context={
            "title": title,
            "caption": person.alias,
            "intro": "Write it as they say it.",
            "button": button,
            "breadcrumbs": crumbs(person, (title, None)),
        },
    )


@roles_required(Role.FACILITATOR)
def need_add(request, pk):
    person, _ = person_for(request, pk, need="can_edit")
    return _words_form(
        request,
        person,
        form=NeedForm(request.POST or None),
        title="Add something they need",
        button="Add need",
        save=lambda data: services.need_add(actor=request.user, person=person, **data),
    )


@roles_required(Role.FACILITATOR)
def need_edit(request, pk, need_pk):
    person, _ = person_for(request, pk, need="can_edit")
    need = found(selectors.need_of(person, need_pk))
    return _words_form(
        request,
        person,
        form=NeedForm(
            request.POST or None,
            initial={
                "kind": need.kind,
                "in_their_words": need.in_their_words,
                "urgency": need.urgency,
            },
        ),
        title="Change a need",
        button="Save need",
        save=lambda data: services.need_update(actor=request.user, need=need, **data),
    )


@roles_required(Role.FACILITATOR)
@require_POST
def need_met(request, pk, need_pk):
    person, _ = person_for(request, pk, need="can_edit")
    need = found(selectors.need_of(person, need_pk))
    if need.status == Need.Status.MET:
        services.need_reopen(actor=request.user, need=need)
        messages.success(request, "The need is open again.")
    else:
        form = MetForm(request.POST)
        on = form.cleaned_data["on"] if form.is_valid() else timezone.localdate()
        services.need_mark_met(actor=request.user, need=need, on=on)
        messages.success(request, "The need is marked as met.")
    return redirect("people:detail", pk=person.pk)


@roles_required(Role.FACILITATOR)
def strength_add(request, pk):
    person, _ = person_for(request, pk, need="can_edit")
    return _words_form(
        request,
        person,
        form=StrengthForm(request.POST or None),
        title="Add something they can give back",
        button="Add",
        save=lambda data: services.strength_add(actor=request.user, person=person, **data),
    )


@roles_required(Role.FACILITATOR)
def strength_edit(request, pk, strength_pk):
    person, _ = person_for(request, pk, need="can_edit")
    strength = found(selectors.strength_of(person, strength_pk))
    return _words_form(
        request,
        person,
        form=StrengthForm(
            request.POST or None,
            initial={"kind": strength.kind, "in_their_words": strength.in_their_words},
        ),
        title="Change what they can give back",
        button="Save",
        save=lambda data: services.strength_update(actor=request.user, strength=strength, **data),
    )


def _export_response(request, person: Person) -> HttpResponse:
    try:
        document = selectors.person_export(actor=request.user, person=person)
    except PermissionDenied:
        raise deny(request, "export") from None
    response = HttpResponse(
        json.dumps(document, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="person-{person.uuid}.json"'
    return response


@roles_required(Role.FACILITATOR)
def person_export(request, pk):
    person, _ = person_for(request, pk, need="sees_identity")
    return _export_response(request, person)


@roles_required(Role.COMMUNITY)
def mine_export(request):
    person = selectors.person_for_user(request.user)
    if person is None:
        raise Http404("No record")
    return _export_response(request, person)


@roles_required(Role.FACILITATOR)
def person_erase(request, pk):
    person, _ = person_for(request, pk, need="can_edit")
    if request.method == "POST":
        if request.POST.get("confirm") != "erase":
            messages.error(request, "Tick the box to confirm the erasure.")
            return redirect("people:erase", pk=person.pk)
        services.person_erase(actor=request.user, person=person)
        messages.success(request, "The person has been erased everywhere.")
        return redirect("people:list")
    return render(
        request,
        "people/erase.html",
        {"person": person, "breadcrumbs": crumbs(person, ("Erase", None))},
    )


@roles_required(Role.FACILITATOR)
def person_invite(request, pk):
    """A named facilitator invites a person already recorded to join and see their record."""
    person, _ = person_for(request, pk, need="can_edit")
    return form_page(
        request,
        PersonInviteForm(request.POST or None),
        save=lambda data: _invite(request, person, data),
        done=f"The invitation for {person.alias} is ready.",
        next_url=lambda issued: reverse(
            "partnership:invitation",
            args=[issued.invitation.partnership.slug, issued.invitation.pk],
        ),
        context={
            "title": f"Invite {person.alias} to join",
            "intro": (
                f"{person.alias} gets a link and a short code to read out. When they join, "
                "they choose whether their account can see what you have written down with "
                "them. Until they say yes, it stays with you."
            ),
            "button": "Make the invitation",
            "breadcrumbs": crumbs(person, ("Invite to join", None)),
        },
    )


def _invite(request, person, data):
    issued = services.person_invite(actor=request.user, person=person, **data)
    remember_to_show(request, issued)
    return issued
