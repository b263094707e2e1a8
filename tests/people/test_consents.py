"""One service sets a person's consents, from their own page and from their facilitator's:
each purpose ticked is given, each unticked withdrawn, in one transaction, audited; a
withdrawal takes effect everywhere at once; a community member only ever changes their own."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from hct.core.models import AuditEvent
from hct.core.roles import Role
from hct.core.services import user_create
from hct.people import selectors, services
from hct.people.models import Consent, Person, Purpose
from hct.people.purposes import PLAIN_WORDS
from tests.people.helpers import facilitator, signed_in

pytestmark = pytest.mark.django_db

ALL = set(Purpose)


def _robin(demo):
    return services.person_create(
        actor=demo.users["facilitator"],
        alias="Robin (not their real name)",
        home_lsoa=demo.first_neighbourhood.lsoas.order_by("code").first(),
    )


def _current(person):
    return set(selectors.consented_purposes(Person.objects.get(pk=person.pk)))


def test_setting_consents_gives_and_withdraws_in_one_call_each_audited(demo):
    robin, by = _robin(demo), demo.users["facilitator"]
    changes = services.consents_set(robin, ["matching", "contact"], by=by, how="phone")
    assert changes.given == (Purpose.MATCHING, Purpose.CONTACT) and changes.withdrawn == ()
    assert Consent.objects.get(person=robin, purpose="matching").given_on == timezone.localdate()

    changes = services.consents_set(
        robin, ["contact", "story_at_conversation"], by=by, how="in_person"
    )
    assert changes.given == (Purpose.STORY_AT_CONVERSATION,)
    assert changes.withdrawn == (Purpose.MATCHING,)
    assert _current(robin) == {Purpose.CONTACT, Purpose.STORY_AT_CONVERSATION}
    assert not selectors.with_consent(Person.objects.filter(pk=robin.pk), "matching").exists()
    verbs = list(
        AuditEvent.objects.filter(subject_id=str(robin.pk), verb__startswith="consent.")
        .order_by("id")
        .values_list("verb", "details__purpose")
    )
    assert verbs == [
        ("consent.record", "matching"),
        ("consent.record", "contact"),
        ("consent.withdraw", "matching"),
        ("consent.record", "story_at_conversation"),
    ]
    # Asking for what is already so changes nothing and records nothing.
    assert not services.consents_set(robin, ["contact", "story_at_conversation"], by=by)


def test_a_refusal_part_way_changes_nothing(demo):
    robin, by = _robin(demo), demo.users["facilitator"]
    services.consents_set(robin, ["contact"], by=by, on=dt.date(2026, 3, 1), how="phone")
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        # Matching would be given, but contact cannot be withdrawn before it was given.
        services.consents_set(robin, ["matching"], by=by, on=dt.date(2026, 2, 1), how="phone")
    assert "before the day it was given (1 Mar 2026)" in error.value.message_dict["on"][0]
    assert _current(robin) == {Purpose.CONTACT}
    assert AuditEvent.objects.count() == before


def test_giving_needs_how_it_was_given_and_no_day_to_come(demo):
    robin, by = _robin(demo), demo.users["facilitator"]
    with pytest.raises(ValidationError) as error:
        services.consents_set(robin, ["contact"], by=by)
    assert services.ERROR_CONSENT_HOW in error.value.message_dict["how"]
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.consents_set(robin, ["contact"], by=by, on=tomorrow, how="phone")
    assert services.ERROR_GIVEN_IN_FUTURE in error.value.message_dict["on"]
    assert _current(robin) == set()
    # Only withdrawing needs no "how".
    services.consents_set(robin, ["contact"], by=by, how="phone")
    assert services.consents_set(robin, [], by=by).withdrawn == (Purpose.CONTACT,)


def test_only_the_person_or_a_named_facilitator_may_set_consents(demo):
    other_facilitator = facilitator(demo, "ffion", [demo.first_neighbourhood])
    lynne = user_create(
        actor=None, username="lynne2", password="a-long-enough-password-1", role=Role.COMMUNITY
    )
    for stranger in (other_facilitator, lynne, demo.users["partner"]):
        with pytest.raises(PermissionDenied):
            services.consents_set(demo.sam, [], by=stranger, how="phone")
    assert _current(demo.sam) == ALL
    # Sam himself: given online, by himself, today.
    services.consents_set(demo.sam, ["contact"], by=demo.sam.user)
    assert _current(demo.sam) == {Purpose.CONTACT}
    services.consents_set(demo.sam, ["contact", "matching"], by=demo.sam.user)
    consent = Consent.objects.get(person=demo.sam, purpose="matching", withdrawn_on__isnull=True)
    assert consent.how == Consent.How.ONLINE and consent.recorded_by == demo.sam.user


def test_sam_withdraws_on_his_page_and_is_told_what_changed_everywhere_at_once(client_for, demo):
    from hct.conversations.selectors import stories_to_choose

    client = client_for(Role.COMMUNITY)
    url = reverse("people:mine-consents")
    page = client.get(url).content.decode()
    for purpose in Purpose:
        words = PLAIN_WORDS[purpose]
        assert words.title in page and words.who_sees in page
        assert f'value="{purpose.value}" aria-describedby' in page
    assert page.count(" checked>") == len(Purpose)
    robin = _robin(demo)
    services.consents_set(robin, ["contact"], by=demo.users["facilitator"], how="phone")
    story_picker = stories_to_choose(demo.users["facilitator"], demo.conversation)
    assert story_picker.filter(person=demo.sam).exists()

    kept = [p.value for p in Purpose if p is not Purpose.STORY_AT_CONVERSATION]
    # A person id in the post is not a way in: the page only changes the signed-in person's own.
    response = client.post(url, {"purposes": kept, "person": robin.pk, "pk": robin.pk}, follow=True)
    body = response.content.decode()
    assert "Your story is no longer shown at Big Conversations." in body
    assert _current(demo.sam) == ALL - {Purpose.STORY_AT_CONVERSATION}
    assert _current(robin) == {Purpose.CONTACT}
    assert (
        not stories_to_choose(demo.users["facilitator"], demo.conversation)
        .filter(person=demo.sam)
        .exists()
    )
    assert body.count(" checked>") == len(Purpose) - 1

    body = client.post(url, {"purposes": kept}, follow=True).content.decode()
    assert "Nothing has changed." in body
    body = client.post(url, {"purposes": [*kept, "story_at_conversation"]}, follow=True)
    assert "Your story can now be told at Big Conversations." in body.content.decode()
    body = client.post(url, {"purposes": ["not-a-purpose"]}).content.decode()
    assert "There is a problem" in body and _current(demo.sam) == ALL


def test_a_community_member_with_no_record_has_nothing_to_change(demo):
    user = user_create(
        actor=None, username="newcomer", password="a-long-enough-password-1", role=Role.COMMUNITY
    )
    client = signed_in(user)
    url = reverse("people:mine-consents")
    assert "There is no record for you here yet" in client.get(url).content.decode()
    before = Consent.objects.count()
    assert client.post(url, {"purposes": ["contact"]}).status_code == 200
    assert Consent.objects.count() == before


def test_a_community_member_cannot_reach_anyone_elses_consents(client_for, demo):
    client = client_for(Role.COMMUNITY)
    robin = _robin(demo)
    for person in (robin, demo.sam):
        url = reverse("people:consents", args=[person.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, {"purposes": [], "on": "2026-01-05"}).status_code == 403
    assert _current(demo.sam) == ALL


def test_the_staff_page_takes_several_purposes_in_one_submit_dated_today(client_for, demo):
    client = client_for(Role.FACILITATOR)
    robin = _robin(demo)
    url = reverse("people:consents", args=[robin.pk])
    page = client.get(url).content.decode()
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in page
    response = client.post(
        url,
        {
            "purposes": ["matching", "contact", "share_with_partners"],
            "on": f"{timezone.localdate():%Y-%m-%d}",
            "how": "in_person",
        },
        follow=True,
    )
    assert _current(robin) == {Purpose.MATCHING, Purpose.CONTACT, Purpose.SHARE_WITH_PARTNERS}
    assert "Given: Contact me." in response.content.decode()
    response = client.post(url, {"purposes": ["contact"], "on": "2026-01-01"})
    body = response.content.decode()
    assert "There is a problem" in body and 'href="#id_on"' in body
    assert _current(robin) == {Purpose.MATCHING, Purpose.CONTACT, Purpose.SHARE_WITH_PARTNERS}
    body = client.post(url, {"purposes": ["contact", "story_at_conversation"], "on": "x"})
    assert "Enter a real date" in body.content.decode()


def test_my_consents_is_the_current_section_on_its_page(client_for, demo):
    from hct.core.navigation import sections_for

    current = [s["label"] for s in sections_for(demo.sam.user, "/me/consent/") if s["current"]]
    assert current == ["My consents"]
    assert [s["label"] for s in sections_for(demo.sam.user, "/me/") if s["current"]] == [
        "My record"
    ]
    home = client_for(Role.COMMUNITY).get(reverse("people:mine")).content.decode()
    assert reverse("people:mine-consents") in home
