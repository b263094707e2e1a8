"""A community member starts a campaign through the service the facilitator's page uses; a
facilitator checks it from the moderation queue before it is public; others support it once;
an organisation's yes to an ask is a commitment whose public history says where it came from.
Words that name a person on record are refused on the field, from either page."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hct.commitments import campaigns
from hct.commitments.models import Ask, Campaign, Commitment, Review, Supporter
from hct.core.models import AuditEvent
from hct.core.roles import Role
from hct.core.services import user_create
from hct.people.names import ERROR_NAMES_A_PERSON
from hct.people.services import identity_set, person_create
from tests.people.helpers import signed_in

pytestmark = pytest.mark.django_db

START = "commitments:my-campaign-start"
GOOD = {
    "title": "Clean up the river path",
    "about": "Rubbish is dumped by the bridge. We want it cleared, and kept clear.",
    "led_by": "River path neighbours",
    "ask_0_to_whom": "The council's parks team",
    "ask_0_what": "Clear the rubbish within a week of it being reported.",
}


def _member(demo, username: str):
    user = user_create(
        actor=None, username=username, password="a-long-enough-password-1", role=Role.COMMUNITY
    )
    person = person_create(
        actor=demo.users["facilitator"],
        alias=username.title(),
        home_lsoa=demo.first_neighbourhood.lsoas.first(),
        user=user,
    )
    return user, person


@pytest.fixture
def lynne(demo):
    return _member(demo, "lynne")[0]


def _start(client, demo, **changes):
    data = {**GOOD, "neighbourhood": demo.first_neighbourhood.pk, **changes}
    return client.post(reverse(START), data)


def _started(lynne, demo) -> Campaign:
    return campaigns.campaign_create(
        actor=lynne,
        neighbourhood=demo.first_neighbourhood,
        title=GOOD["title"],
        about=GOOD["about"],
        led_by=GOOD["led_by"],
        asks=[campaigns.AskDraft(GOOD["ask_0_to_whom"], GOOD["ask_0_what"])],
    )


def test_a_member_starts_a_campaign_that_waits_to_be_checked(demo, lynne):
    response = _start(signed_in(lynne), demo)
    campaign = Campaign.objects.get(title=GOOD["title"])
    assert response.status_code == 302
    assert response["Location"] == reverse("commitments:campaign", args=[campaign.slug])
    assert campaign.review == Review.WAITING
    assert campaign.created_by == lynne
    assert campaign.partnership == demo.partnership
    assert [(a.to_whom, a.what) for a in campaign.asks.all()] == [
        (GOOD["ask_0_to_whom"], GOOD["ask_0_what"])
    ]
    verbs = set(
        AuditEvent.objects.filter(actor=lynne, verb__startswith="campaign.").values_list(
            "verb", flat=True
        )
    )
    assert verbs == {"campaign.create", "campaign.ask"}
    # Not public yet: the public list leaves it out and nobody else finds its page.
    page = reverse("commitments:campaign", args=[campaign.slug])
    assert GOOD["title"] not in Client().get(reverse("commitments:public-index")).content.decode()
    assert Client().get(page).status_code == 404
    other, _ = _member(demo, "owen")
    assert signed_in(other).get(page).status_code == 404
    mine = signed_in(lynne).get(page).content.decode()
    assert "A facilitator will check it" in mine
    listed = signed_in(lynne).get(reverse("commitments:my-campaigns")).content.decode()
    assert GOOD["title"] in listed and "Waiting for a facilitator to check it" in listed


def test_nobody_can_support_a_campaign_before_it_is_public(demo, lynne):
    campaign = _started(lynne, demo)
    with pytest.raises(ValidationError) as caught:
        campaigns.campaign_support(actor=demo.users["sam"], campaign=campaign)
    assert caught.value.messages == [campaigns.ERROR_NOT_PUBLIC_YET]


def test_a_facilitator_makes_it_public_from_the_moderation_queue(demo, lynne, client_for):
    campaign = _started(lynne, demo)
    facilitator = client_for(Role.FACILITATOR)
    queue = facilitator.get(reverse("commitments:moderation")).content.decode()
    review = reverse("commitments:campaign-review", args=[campaign.slug])
    assert review in queue
    response = facilitator.post(review, {"decision": "approve"})
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.review == Review.APPROVED
    assert campaign.reviewed_by == demo.users["facilitator"]
    assert AuditEvent.objects.filter(verb="campaign.review", subject_id=str(campaign.pk)).exists()
    assert GOOD["title"] in Client().get(reverse("commitments:public-index")).content.decode()
    assert review not in facilitator.get(reverse("commitments:moderation")).content.decode()
    # Checked once: a second decision is refused.
    with pytest.raises(ValidationError) as caught:
        campaigns.campaign_review(
            actor=demo.users["facilitator"], campaign=campaign, approve=False, reason="No"
        )
    assert caught.value.messages == [campaigns.ERROR_ALREADY_REVIEWED]


def test_keeping_it_from_the_public_needs_a_reason_the_member_sees(demo, lynne, client_for):
    campaign = _started(lynne, demo)
    review = reverse("commitments:campaign-review", args=[campaign.slug])
    response = client_for(Role.FACILITATOR).post(review, {"decision": "decline", "reason": ""})
    assert response.status_code == 200
    assert "Say why it is not shown" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.review == Review.WAITING
    client_for(Role.FACILITATOR).post(
        review, {"decision": "decline", "reason": "It is about one shop, not the place"}
    )
    listed = signed_in(lynne).get(reverse("commitments:my-campaigns")).content.decode()
    assert "It is about one shop, not the place" in listed


def test_only_facilitators_of_the_neighbourhood_check_campaigns(demo, lynne, client_for):
    campaign = _started(lynne, demo)
    for user in (demo.users["partner"], demo.users["sam"], lynne):
        with pytest.raises(ValidationError):
            campaigns.campaign_review(actor=user, campaign=campaign, approve=True)
    review = reverse("commitments:campaign-review", args=[campaign.slug])
    assert signed_in(lynne).get(review).status_code == 403
    assert client_for(Role.PARTNER).get(review).status_code == 403


def test_the_member_adds_asks_to_their_own_campaign_only(demo, lynne, client_for):
    campaign = _started(lynne, demo)
    add = reverse("commitments:campaign-ask-add", args=[campaign.slug])
    today = timezone.localdate().isoformat()
    response = signed_in(lynne).post(
        add, {"to_whom": "The police", "what": "Walk the path at night", "asked_on": today}
    )
    assert response.status_code == 302
    assert campaign.asks.count() == 2
    # Sam did not start it: the form and the service refuse him.
    sam = client_for(Role.COMMUNITY)
    assert sam.get(add).status_code == 403
    assert sam.post(add, {"to_whom": "X", "what": "Y", "asked_on": today}).status_code == 403
    with pytest.raises(ValidationError) as caught:
        campaigns.ask_add(
            actor=demo.users["sam"],
            campaign=campaign,
            to_whom="X",
            what="Y",
            asked_on=timezone.localdate(),
        )
    assert caught.value.messages == [campaigns.ERROR_NOT_YOUR_CAMPAIGN]
    # Nor can Lynne add to Lift Me Up, which she did not start.
    lift = reverse("commitments:campaign-ask-add", args=[demo.campaign.slug])
    assert signed_in(lynne).get(lift).status_code == 403
    assert campaign.asks.count() == 2


@pytest.mark.parametrize(
    ("field", "words"),
    [
        ("about", "Sam keeps finding rubbish by the bridge."),
        ("title", "Justice for lynne"),
        ("ask_0_what", "Ask Margaret Hollis to stop dumping."),
        ("ask_0_to_whom", "Sam"),
    ],
)
def test_a_campaign_that_names_someone_on_record_is_refused_on_the_field(demo, lynne, field, words):
    # Margaret Hollis is the name in an (encrypted) identity record; Sam and Lynne are aliases.
    _, person = _member(demo, "mh")
    identity_set(actor=demo.users["facilitator"], person=person, name="Margaret Hollis")
    before = (Campaign.objects.count(), Ask.objects.count())
    response = _start(signed_in(lynne), demo, **{field: words})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[field] == [ERROR_NAMES_A_PERSON]
    assert (Campaign.objects.count(), Ask.objects.count()) == before


def test_the_staff_page_refuses_a_name_through_the_same_service(demo, client_for):
    before = Campaign.objects.count()
    response = client_for(Role.FACILITATOR).post(
        reverse("commitments:campaign-create"),
        {
            "neighbourhood": demo.first_neighbourhood.pk,
            "title": "Bins for the bridge",
            "led_by": "Sam and friends",
            "about": "",
            "started_on": timezone.localdate().isoformat(),
            "supporters_elsewhere": 0,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["led_by"] == [ERROR_NAMES_A_PERSON]
    assert Campaign.objects.count() == before


def test_ordinary_words_that_contain_a_name_are_not_a_name(demo, lynne):
    # "Samples" and "Salsamba" contain "Sam", but not as a word.
    campaign = campaigns.campaign_create(
        actor=lynne,
        neighbourhood=demo.first_neighbourhood,
        title="Water samples",
        about="Test the river: salsamba night raised the money.",
        led_by="River friends",
    )
    assert campaign.pk


def test_every_field_says_what_is_missing_and_nothing_is_saved(demo, lynne):
    before = Campaign.objects.count()
    response = signed_in(lynne).post(reverse(START), {"title": "", "about": "  "})
    errors = response.context["form"].errors
    assert errors["title"] == ["Give the campaign a name"]
    assert errors["about"] == ["Say what you want to change, and why"]
    assert errors["led_by"] == ["Say which group is leading it"]
    assert errors["ask_0_to_whom"] == ["Say which organisation you are asking"]
    assert errors["ask_0_what"] == ["Say what you are asking them to do"]
    assert Campaign.objects.count() == before


def test_html_in_a_campaign_is_shown_as_text(demo, lynne, client_for):
    script = "<script>alert('x')</script>"
    _start(signed_in(lynne), demo, title=f"Bins {script}", about=f"Why {script}")
    campaign = Campaign.objects.get(title__startswith="Bins")
    html = signed_in(lynne).get(reverse("commitments:campaign", args=[campaign.slug]))
    html = html.content.decode()
    assert script not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    review = client_for(Role.FACILITATOR).get(
        reverse("commitments:campaign-review", args=[campaign.slug])
    )
    assert script not in review.content.decode()


def test_a_member_outside_any_partnership_s_neighbourhood_cannot_start_one(demo):
    user = user_create(
        actor=None, username="far", password="a-long-enough-password-1", role=Role.COMMUNITY
    )
    person_create(
        actor=demo.users["facilitator"],
        alias="Far",
        home_lsoa=demo.other_neighbourhood.lsoas.first(),
        user=user,
    )
    assert signed_in(user).get(reverse(START)).status_code == 403
    with pytest.raises(ValidationError) as caught:
        campaigns.campaign_create(
            actor=user,
            neighbourhood=demo.first_neighbourhood,
            title="Elsewhere",
            led_by="A group",
        )
    assert caught.value.message_dict["neighbourhood"] == [campaigns.ERROR_NOT_YOUR_NEIGHBOURHOOD]


def test_others_support_it_once_it_is_public(demo, lynne):
    campaign = _started(lynne, demo)
    campaigns.campaign_review(actor=demo.users["facilitator"], campaign=campaign, approve=True)
    sam = signed_in(demo.users["sam"])
    support = reverse("commitments:campaign-support", args=[campaign.slug])
    assert sam.post(support, {"support": "yes"}).status_code == 302
    again = sam.post(support, {"support": "yes"})
    assert campaigns.ERROR_ALREADY_SUPPORTING in again.content.decode()
    assert Supporter.objects.filter(campaign=campaign).count() == 1
    listed = sam.get(reverse("commitments:my-campaigns")).content.decode()
    assert GOOD["title"] in listed


def test_an_organisation_s_yes_is_a_commitment_with_its_history(demo, lynne, client_for):
    campaign = _started(lynne, demo)
    campaigns.campaign_review(actor=demo.users["facilitator"], campaign=campaign, approve=True)
    ask = campaign.asks.get()
    partner = client_for(Role.PARTNER)
    page = partner.get(reverse("commitments:campaign", args=[campaign.slug])).content.decode()
    record = f"{reverse('commitments:create')}?ask={ask.pk}"
    assert record in page
    form = partner.get(record).context["form"]
    assert form.initial["in_reply_to"] == ask.pk
    assert form.initial["neighbourhood"] == demo.first_neighbourhood.pk
    owner = demo.commitment.owner  # the partner's own organisation
    today = timezone.localdate()
    response = partner.post(
        record,
        {
            "neighbourhood": demo.first_neighbourhood.pk,
            "title": "Clear the river path within a week of a report",
            "owner": owner.pk,
            "lead_role": "Head of parks",
            "in_reply_to": ask.pk,
            "made_on": today.isoformat(),
            "due_on": (today + dt.timedelta(days=60)).isoformat(),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    commitment = Commitment.objects.get(in_reply_to=ask)
    public = Client().get(reverse("commitments:public-commitment", args=[commitment.pk]))
    html = public.content.decode()
    assert f"Asked for by the campaign {GOOD['title']}" in html
    assert reverse("commitments:campaign", args=[campaign.slug]) in html
    shown = Client().get(reverse("commitments:campaign", args=[campaign.slug])).content.decode()
    assert "Clear the river path within a week of a report" in shown


def test_a_commitment_cannot_answer_an_ask_of_a_campaign_not_yet_public(demo, lynne, client_for):
    campaign = _started(lynne, demo)
    ask = campaign.asks.get()
    form = client_for(Role.PARTNER).get(f"{reverse('commitments:create')}?ask={ask.pk}")
    form = form.context["form"]
    assert "in_reply_to" not in form.initial
    assert ask not in form.fields["in_reply_to"].queryset
