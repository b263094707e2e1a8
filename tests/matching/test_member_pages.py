"""A community member gives and gets help through their own pages, with the same services the
facilitator's pages use: they offer help, and see plainly when they have not said yes to
matching. Bad input gives a message on the field and saves nothing; markup shows as text."""

import pytest
from django.urls import reverse
from django.utils import timezone

from hct.core.models import AuditEvent
from hct.core.roles import Role
from hct.matching import selectors, services
from hct.matching.models import (
    ERROR_WINDOW_ORDER,
    HoursLogged,
    Match,
    NeedPreferences,
    Offer,
    Window,
)
from hct.people.models import Need, Purpose, Strength
from hct.people.services import consent_withdraw

pytestmark = pytest.mark.django_db

OFFER = {
    "kinds": ["shopping"],
    "in_their_words": "<script>alert(1)</script> I walk to the shops daily",
    "reach_km": "1.5",
    "capacity_per_week": "2",
    "weekday": "2",
    "starts": "10:00",
    "ends": "12:00",
}


def test_sam_offers_help_himself_and_it_is_his_from_his_home_area(demo, client_for):
    client = client_for(Role.COMMUNITY)
    before = set(Offer.objects.filter(person=demo.sam).values_list("pk", flat=True))
    page = client.get(reverse("matching:offer-add"))
    assert page.status_code == 200 and "What could you help with?" in page.content.decode()
    response = client.post(reverse("matching:offer-add"), OFFER, follow=True)
    assert response.redirect_chain[-1][0] == reverse("matching:mine")
    offer = Offer.objects.filter(person=demo.sam).exclude(pk__in=before).get()
    assert offer.base_lsoa == demo.sam.home_lsoa and offer.kinds == ["shopping"]
    assert not offer.background_checked  # a check is recorded by a facilitator, never claimed
    assert [str(w) for w in offer.windows.all()] == ["Wednesday 10:00–12:00"]
    assert AuditEvent.objects.filter(verb="offer.create", subject_id=str(offer.pk)).exists()
    page = response.content.decode()
    assert "Your offer of help is saved" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; I walk" in page and "<script>alert" not in page


def test_an_offer_that_ends_before_it_starts_is_refused_on_the_field(demo, client_for):
    client = client_for(Role.COMMUNITY)
    before = (Offer.objects.count(), Window.objects.count())
    response = client.post(reverse("matching:offer-add"), {**OFFER, "ends": "09:00"})
    assert response.status_code == 200
    assert ERROR_WINDOW_ORDER in response.content.decode()
    assert response.context["form"].errors["ends"] == [ERROR_WINDOW_ORDER]
    assert (Offer.objects.count(), Window.objects.count()) == before


def test_without_consent_for_matching_the_page_says_so_and_links_to_give_it(demo, client_for):
    consent_withdraw(
        actor=demo.users["facilitator"],
        person=demo.sam,
        purpose=Purpose.MATCHING,
        on=timezone.localdate(),
    )
    client = client_for(Role.COMMUNITY)
    for url in (reverse("matching:offer-add"), reverse("matching:mine")):
        page = client.get(url).content.decode()
        assert "You have not said yes to matching yet" in page
        assert "Say yes to matching" in page
        # The link goes to the member's own consents page, where one tick gives it.
        assert f'href="{reverse("people:mine-consents")}"' in page


def test_with_consent_the_page_says_nothing_about_it(demo, client_for):
    page = client_for(Role.COMMUNITY).get(reverse("matching:mine")).content.decode()
    assert "You have not said yes to matching yet" not in page


def _offer_of_sam(demo):
    return demo.sam.offers.order_by("id").first()


def test_sam_pauses_starts_again_and_ends_his_offer_but_not_anyone_elses(demo, client_for):
    client = client_for(Role.COMMUNITY)
    offer = _offer_of_sam(demo)
    client.post(reverse("matching:offer-active", args=[offer.pk]), {"active": "no"})
    offer.refresh_from_db()
    assert not offer.active and offer not in selectors.eligible_offers()
    client.post(reverse("matching:offer-active", args=[offer.pk]), {"active": "yes"})
    offer.refresh_from_db()
    assert offer.active
    response = client.post(reverse("matching:offer-end", args=[offer.pk]), follow=True)
    offer.refresh_from_db()
    assert offer.ended_on == timezone.localdate() and not offer.active
    assert "This offer ended on" in response.content.decode()
    response = client.post(
        reverse("matching:offer-active", args=[offer.pk]), {"active": "yes"}, follow=True
    )
    offer.refresh_from_db()
    assert not offer.active and services.ERROR_OFFER_ENDED in response.content.decode()
    other = Offer.objects.exclude(person=demo.sam).filter(person__isnull=False).first()
    for name in ("matching:offer-active", "matching:offer-end"):
        assert client.post(reverse(name, args=[other.pk]), {"active": "no"}).status_code == 404
    other.refresh_from_db()
    assert other.active and other.ended_on is None


def _confirmed(demo):
    services.match_run(actor=demo.users["facilitator"])
    match = Match.objects.get(need=demo.sam_shopping_need)
    return services.match_confirm(actor=demo.users["facilitator"], match=match)


def test_sam_answers_a_confirmed_match_from_his_list_and_his_facilitator_is_told(demo, client_for):
    match = _confirmed(demo)
    client = client_for(Role.COMMUNITY)
    page = client.get(reverse("matching:mine")).content.decode()
    assert "Waiting for your answer" in page and "Yes, I would like this" in page
    response = client.post(
        reverse("matching:respond", args=[match.pk]),
        {"side": "need", "answer": "accept", "from": "list"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("matching:mine")
    match.refresh_from_db()
    assert match.need_side_accepted is True
    assert "You said yes. Waiting for the other side" in response.content.decode()
    home = client_for(Role.FACILITATOR).get(reverse("matching:home")).content.decode()
    assert "What people did themselves" in home and "said yes to a match" in home


def test_a_member_sees_and_answers_only_their_own_matches(demo, client_for):
    _confirmed(demo)
    sam = demo.sam
    other = (
        Match.objects.exclude(need__person=sam)
        .exclude(partner_need__person=sam)
        .exclude(offer__person=sam)
        .first()
    )
    client = client_for(Role.COMMUNITY)
    assert client.get(reverse("matching:match", args=[other.pk])).status_code == 403
    assert client.get(reverse("matching:hours", args=[other.pk])).status_code == 403
    response = client.post(
        reverse("matching:respond", args=[other.pk]), {"side": "need", "answer": "decline"}
    )
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.need_side_accepted is None


def test_sam_logs_hours_received_and_impossible_hours_are_refused(demo, client_for):
    match = _confirmed(demo)
    facilitator = demo.users["facilitator"]
    services.match_respond(actor=facilitator, match=match, side="need", accept=True)
    services.match_respond(actor=facilitator, match=match, side="offer", accept=True)
    client = client_for(Role.COMMUNITY)
    url = reverse("matching:hours", args=[match.pk])
    page = client.get(url).content.decode()
    assert "I received the time" in page and "I gave the time" not in page
    today = timezone.localdate().isoformat()
    for hours, message in (("-1", "Hours must be more than 0"), ("25", "Hours must be at most 24")):
        response = client.post(url, {"hours": hours, "on": today, "direction": "received"})
        assert response.context["form"].errors["hours"] == [message]
    assert not HoursLogged.objects.filter(match=match).exists()
    client.post(url, {"hours": "20", "on": today, "direction": "received"})
    entry = HoursLogged.objects.get(match=match)
    assert entry.receiver == demo.sam and entry.giver == match.offer.person
    # The same giver cannot give more than 24 hours in one day, however it is split.
    response = client.post(url, {"hours": "5", "on": today, "direction": "received"})
    assert response.context["form"].errors["hours"] == [services.ERROR_DAY_FULL]
    assert HoursLogged.objects.filter(match=match).count() == 1
    assert "You have given 0.0 hours and received 20.0 hours" in (
        client.get(reverse("matching:mine")).content.decode()
    )


def test_sam_asks_for_help_with_times_and_preferences_in_one_go(demo, client_for):
    client = client_for(Role.COMMUNITY)
    url = reverse("matching:my-need-add")
    data = {
        "kind": "shopping", "in_their_words": "<b>Heavy</b> bags", "urgency": "routine",
        "weekday": "4", "starts": "14:00", "ends": "13:00", "max_km": "2",
        "needs_carrying": "on",
    }  # fmt: skip
    before = (Need.objects.count(), NeedPreferences.objects.count(), Window.objects.count())
    response = client.post(url, data)
    assert response.context["form"].errors["ends"] == [ERROR_WINDOW_ORDER]
    assert (Need.objects.count(), NeedPreferences.objects.count(), Window.objects.count()) == (
        before
    )
    response = client.post(url, {**data, "ends": "16:00"}, follow=True)
    need = demo.sam.needs.order_by("-id").first()
    assert need.in_their_words == "<b>Heavy</b> bags" and need.preferences.needs_carrying
    assert need.preferences.max_km == 2 and [str(w) for w in need.windows.all()] == [
        "Friday 14:00–16:00"
    ]
    assert "&lt;b&gt;Heavy&lt;/b&gt; bags" in response.content.decode()
    assert AuditEvent.objects.filter(verb="need.add", subject_id=str(need.pk)).exists()


def test_sam_says_what_he_could_give(demo, client_for):
    client = client_for(Role.COMMUNITY)
    kind = Strength.Kind.values[0]
    response = client.post(
        reverse("matching:my-strength-add"),
        {"kind": kind, "in_their_words": "I fix bikes"},
        follow=True,
    )
    assert demo.sam.strengths.filter(in_their_words="I fix bikes").exists()
    assert "I fix bikes" in response.content.decode()
    response = client.post(reverse("matching:my-strength-add"), {"kind": kind})
    assert "in_their_words" in response.context["form"].errors


def test_a_facilitator_ends_an_offer_through_the_same_service(demo, client_for):
    client = client_for(Role.FACILITATOR)
    offer = _offer_of_sam(demo)
    response = client.post(reverse("matching:offer-end", args=[offer.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("matching:offers")
    offer.refresh_from_db()
    assert offer.ended_on == timezone.localdate()
    assert "(ended)" in response.content.decode()
    assert AuditEvent.objects.filter(verb="offer.end", subject_id=str(offer.pk)).count() == 1
