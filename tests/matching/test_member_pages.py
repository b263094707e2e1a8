"""A community member gives and gets help through their own pages, with the same services the
facilitator's pages use: they offer help, and see plainly when they have not said yes to
matching. Bad input gives a message on the field and saves nothing; markup shows as text."""

import pytest
from django.urls import reverse
from django.utils import timezone

from hct.core.models import AuditEvent
from hct.core.roles import Role
from hct.matching.models import ERROR_WINDOW_ORDER, Offer, Window
from hct.people.models import Purpose
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


def test_with_consent_the_page_says_nothing_about_it(demo, client_for):
    page = client_for(Role.COMMUNITY).get(reverse("matching:mine")).content.decode()
    assert "You have not said yes to matching yet" not in page
