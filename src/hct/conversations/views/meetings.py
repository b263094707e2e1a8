"""Big Conversations as meetings: the list, one conversation, its invitation, who is invited,
replies, the door, places held per sector, and the live balance of the room."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from hct.conversations import selectors, services
from hct.conversations.forms import (
    CodeForm,
    ConversationForm,
    CreateForm,
    HeldPlacesForm,
    InviteForm,
    ParticipantForm,
)
from hct.conversations.models import Participant
from hct.conversations.views.common import (
    READERS,
    conversation_for,
    crumbs,
    ics_response,
    page,
)
from hct.core.access import roles_required
from hct.core.disclosure import publish_count
from hct.core.formviews import form_page, form_posted
from hct.core.roles import Role


@roles_required(*READERS)
def conversation_list(request):
    return render(
        request,
        "conversations/list.html",
        {
            "conversations": selectors.conversation_list(request.user),
            "can_create": request.user.role == Role.FACILITATOR,
            "breadcrumbs": [("Home", reverse("core:home")), ("Big Conversations", None)],
        },
    )


@roles_required(Role.FACILITATOR)
def conversation_create(request):
    cycles = selectors.cycles_visible(request.user).select_related("partnership", "neighbourhood")
    form = CreateForm(request.POST or None, cycles=cycles)
    return form_page(
        request,
        form,
        save=lambda data: services.conversation_create(actor=request.user, **data),
        done="The conversation is planned.",
        next_url=lambda c: reverse("conversations:detail", args=[c.pk]),
        context=page(None, title="Plan a Big Conversation", button="Save the conversation"),
    )


@roles_required(Role.FACILITATOR)
def conversation_edit(request, pk):
    conversation = conversation_for(request, pk)
    initial = {name: getattr(conversation, name) for name in services.CONVERSATION_FIELDS}
    return form_page(
        request,
        ConversationForm(request.POST or None, initial=initial),
        save=lambda data: services.conversation_update(
            actor=request.user, conversation=conversation, **data
        ),
        done="The conversation has been saved.",
        next_url=reverse("conversations:detail", args=[pk]),
        context=page(conversation, title="Change the conversation", button="Save the conversation"),
    )


@roles_required(*READERS)
def conversation_detail(request, pk):
    conversation = conversation_for(request, pk)
    facilitator = request.user.role == Role.FACILITATOR
    figures = selectors.closing_figures(conversation)
    centre = selectors.story_at_centre(conversation)
    return render(
        request,
        "conversations/detail.html",
        {
            "conversation": conversation,
            "facilitator": facilitator,
            "balance": selectors.balance(conversation) if facilitator else None,
            "attendees": figures["attendees"]
            if facilitator
            else publish_count(figures["attendees"]),
            "contributions": figures["contributions"]
            if facilitator
            else publish_count(figures["contributions"]),
            "figures": figures,
            "centre": centre,
            "closing": getattr(conversation, "closing", None),
            "breadcrumbs": [*crumbs(), (str(conversation), None)],
        },
    )


@roles_required(*READERS)
def invitation_ics(request, pk):
    conversation = conversation_for(request, pk)
    return ics_response(
        request,
        conversation,
        back=reverse("conversations:detail", args=[pk]),
        breadcrumbs=crumbs(conversation, ("Invitation", None)),
    )


def _participant(conversation, participant_pk) -> Participant:
    participant = Participant.objects.filter(conversation=conversation, pk=participant_pk).first()
    if participant is None:
        raise Http404("No such participant")
    return participant


@roles_required(Role.FACILITATOR)
def participants(request, pk):
    conversation = conversation_for(request, pk)
    form = InviteForm(
        request.POST or None,
        partners=conversation.cycle.partnership.partners.all(),
        people=selectors.people_to_invite(request.user, conversation),
    )
    done = form_posted(
        request,
        form,
        save=lambda data: services.participant_invite(
            actor=request.user, conversation=conversation, **data
        ),
        done=lambda participant: f"{participant.name} is invited.",
        next_url=reverse("conversations:participants", args=[pk]),
    )
    if done:
        return done
    return render(
        request,
        "conversations/participants.html",
        {
            "conversation": conversation,
            "participants": selectors.participants(conversation),
            "balance": selectors.balance(conversation),
            "form": form,
            "breadcrumbs": crumbs(conversation, ("Invitations", None)),
        },
    )


@roles_required(Role.FACILITATOR)
@require_POST
def participant_reply(request, pk, participant_pk):
    conversation = conversation_for(request, pk)
    participant = _participant(conversation, participant_pk)
    coming = request.POST.get("reply") == "coming"
    participant = services.participant_reply(
        actor=request.user, participant=participant, coming=coming
    )
    messages.success(request, f"{participant.name}: {participant.get_reply_display().lower()}.")
    return redirect("conversations:participants", pk=pk)


@roles_required(Role.FACILITATOR)
def door(request, pk):
    """Attendance at the door, on a phone: one button per person, a walk-in form, the balance."""
    conversation = conversation_for(request, pk)
    sent = request.POST.get("form") if request.method == "POST" else None
    code_form = CodeForm(request.POST if sent == "code" else None, prefix="door")
    done = form_posted(
        request,
        code_form if sent == "code" else None,
        save=lambda data: services.participant_attend_by_code(
            actor=request.user, conversation=conversation, code=data["code"]
        ),
        done="Welcome: they are marked as here.",
        next_url=lambda p: reverse("conversations:door", args=[pk]) + f"#p-{p.pk}",
    )
    if done:
        return done
    form = ParticipantForm(request.POST if sent == "walk_in" else None, prefix="walk_in")
    done = form_posted(
        request,
        form,
        save=lambda data: services.participant_walk_in(
            actor=request.user, conversation=conversation, **data
        ),
        done=lambda participant: f"{participant.name} is here.",
        next_url=reverse("conversations:door", args=[pk]),
    )
    if done:
        return done
    return render(
        request,
        "conversations/door.html",
        {
            "conversation": conversation,
            "participants": selectors.participants(conversation),
            "balance": selectors.balance(conversation),
            "form": form,
            "code_form": code_form,
            "breadcrumbs": crumbs(conversation, ("At the door", None)),
        },
    )


@roles_required(Role.FACILITATOR)
@require_POST
def attend(request, pk, participant_pk):
    conversation = conversation_for(request, pk)
    participant = _participant(conversation, participant_pk)
    try:
        if request.POST.get("undo"):
            services.participant_unattend(actor=request.user, participant=participant)
            messages.success(request, f"{participant.name} is no longer marked as here.")
        else:
            services.participant_attend(actor=request.user, participant=participant)
            messages.success(request, f"{participant.name} is here.")
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect(reverse("conversations:door", args=[pk]) + f"#p-{participant.pk}")


@roles_required(Role.FACILITATOR)
def balance(request, pk):
    """The balance panel alone, for the door page to refresh every few seconds (htmx)."""
    conversation = conversation_for(request, pk)
    return render(
        request,
        "conversations/_balance.html",
        {"conversation": conversation, "balance": selectors.balance(conversation), "live": True},
    )


@roles_required(Role.FACILITATOR)
def held_places(request, pk):
    conversation = conversation_for(request, pk)
    current = {h.sector: h.places for h in conversation.held_places.all()}
    form = HeldPlacesForm(request.POST or None, current=current)
    return form_page(
        request,
        form,
        save=lambda data: services.places_hold(
            actor=request.user, conversation=conversation, held=form.held()
        ),
        done="The places are held.",
        next_url=reverse("conversations:participants", args=[pk]),
        context=page(
            conversation,
            title="Hold places for each sector",
            button="Hold these places",
            intro="Places held for a sector go to nobody else, so that community people and groups "
            "are as many as the service leaders in the room."
            + (f" The room holds {conversation.places}." if conversation.places else ""),
        ),
    )
