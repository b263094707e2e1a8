import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from hct.core.models import AuditEvent
from hct.core.roles import Role
from hct.people import selectors, services
from hct.people.models import Consent, Identity, Need, Person, Purpose, Strength
from hct.places.models import Neighbourhood
from tests.people.helpers import facilitator, signed_in

pytestmark = pytest.mark.django_db


def _person(demo, **extra):
    return services.person_create(
        actor=demo.users["facilitator"],
        alias=extra.pop("alias", "Robin (not their real name)"),
        home_lsoa=demo.first_neighbourhood.lsoas.order_by("code").first(),
        **extra,
    )


def test_a_person_always_has_a_named_facilitator_and_a_home_lsoa_only(demo):
    person = _person(demo, shared="Likes gardening")
    assert list(person.facilitators.all()) == [demo.users["facilitator"]]
    with pytest.raises(ValidationError) as error:
        services.person_update(
            actor=demo.users["facilitator"],
            person=person,
            alias="Robin",
            home_lsoa=person.home_lsoa,
            shared="",
            facilitators=[],
        )
    assert services.ERROR_NEEDS_A_FACILITATOR in error.value.message_dict["facilitators"]
    with pytest.raises(ValidationError) as error:
        services.person_update(
            actor=demo.users["facilitator"],
            person=person,
            alias="Robin",
            home_lsoa=person.home_lsoa,
            shared="",
            facilitators=[demo.users["partner"]],
        )
    assert services.ERROR_NOT_A_FACILITATOR in error.value.message_dict["facilitators"]
    # A person's record has no address field at all: home is an LSOA.
    assert {f.name for f in Person._meta.get_fields()} & {"address", "postcode", "street"} == set()


def test_identity_is_encrypted_at_rest_and_each_read_is_audited(demo):
    person = _person(demo)
    services.identity_set(
        actor=demo.users["facilitator"],
        person=person,
        name="Robin Example",
        contact="07700 900123",
        address="1 Example Street",
    )
    token = Identity.objects.get(person=person).token
    assert "Robin" not in token and "Example" not in token and "07700" not in token
    before = AuditEvent.objects.filter(verb="identity.read", subject_id=str(person.pk)).count()
    details = selectors.identity_read(actor=demo.users["facilitator"], person=person)
    assert details.name == "Robin Example" and details.address == "1 Example Street"
    events = AuditEvent.objects.filter(verb="identity.read", subject_id=str(person.pk))
    assert events.count() == before + 1
    assert "Robin" not in json.dumps(events.first().details)


def test_only_named_facilitators_read_or_set_identity(demo):
    person = _person(demo)
    other = facilitator(demo, "sasha", [demo.first_neighbourhood])
    for reader in (other, demo.users["partner"], demo.users["board"], demo.users["admin"]):
        with pytest.raises(PermissionDenied):
            selectors.identity_read(actor=reader, person=person)
        with pytest.raises(PermissionDenied):
            services.identity_set(actor=reader, person=person, name="x")


def test_the_identity_page_is_for_named_facilitators_and_shows_the_details(client_for, demo):
    response = client_for(Role.FACILITATOR).get(reverse("people:identity", args=[demo.sam.pk]))
    assert "a demo identity, not a real person" in response.content.decode()
    other = facilitator(demo, "sasha", [demo.first_neighbourhood])
    assert signed_in(other).get(reverse("people:identity", args=[demo.sam.pk])).status_code == 403


def test_rotating_keys_reencrypts_every_identity(demo, settings):
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    old = settings.HCT_IDENTITY_KEYS[0]
    person = _person(demo)
    services.identity_set(actor=demo.users["facilitator"], person=person, name="Robin Example")
    new = Fernet.generate_key().decode()
    settings.HCT_IDENTITY_KEYS = [new, old]
    call_command("rotate_identity_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.HCT_IDENTITY_KEYS = [new]  # the old key is gone: everything must read with the new
    assert selectors.identity_read(actor=demo.users["facilitator"], person=person).name == (
        "Robin Example"
    )
    assert selectors.identity_read(actor=demo.users["facilitator"], person=demo.sam).name
    settings.HCT_IDENTITY_KEYS = [old]
    from hct.people.identity import IdentityKeyError

    with pytest.raises(IdentityKeyError):
        selectors.identity_read(actor=demo.users["facilitator"], person=person)


def test_consent_is_per_purpose_with_history_and_withdrawal_works_at_once(demo):
    person = _person(demo)
    actor = demo.users["facilitator"]
    assert not selectors.has_consent(person, Purpose.MATCHING)
    services.consent_record(
        actor=actor, person=person, purpose="matching", given_on=dt.date(2026, 1, 5), how="phone"
    )
    assert selectors.has_consent(person, Purpose.MATCHING)
    assert not selectors.has_consent(person, Purpose.CONTACT)
    assert selectors.with_consent(Person.objects.all(), "matching").filter(pk=person.pk).exists()
    with pytest.raises(ValidationError) as error:
        services.consent_record(
            actor=actor,
            person=person,
            purpose="matching",
            given_on=dt.date(2026, 1, 6),
            how="phone",
        )
    assert services.ERROR_CONSENT_ALREADY_GIVEN in error.value.message_dict["purpose"]
    services.consent_withdraw(
        actor=actor, person=person, purpose="matching", on=dt.date(2026, 2, 1)
    )
    assert not selectors.has_consent(person, Purpose.MATCHING)
    assert (
        not selectors.with_consent(Person.objects.all(), "matching").filter(pk=person.pk).exists()
    )
    # Given again later: a new record; the withdrawn one stays as history.
    services.consent_record(
        actor=actor, person=person, purpose="matching", given_on=dt.date(2026, 3, 1), how="written"
    )
    assert Consent.objects.filter(person=person, purpose="matching").count() == 2
    with pytest.raises(ValidationError):
        services.consent_withdraw(
            actor=actor, person=person, purpose="contact", on=dt.date(2026, 3, 1)
        )
    with pytest.raises(ValidationError) as error:
        services.consent_withdraw(
            actor=actor, person=person, purpose="matching", on=dt.date(2025, 1, 1)
        )
    assert "cannot be withdrawn before" in str(error.value)


def test_the_database_allows_only_one_current_consent_per_purpose(demo):
    person = _person(demo)
    Consent.objects.create(
        person=person, purpose="contact", given_on=dt.date(2026, 1, 1), how="phone"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.create(
            person=person, purpose="contact", given_on=dt.date(2026, 1, 2), how="phone"
        )


def test_consent_cannot_be_given_in_the_future(demo):
    with pytest.raises(ValidationError):
        services.consent_record(
            actor=demo.users["facilitator"],
            person=_person(demo),
            purpose="contact",
            given_on=dt.date.today() + dt.timedelta(days=2),
            how="phone",
        )


def test_recording_and_withdrawing_consent_through_the_page(client_for, demo):
    client = client_for(Role.FACILITATOR)
    person = _person(demo)
    url = reverse("people:consents", args=[person.pk])
    response = client.post(url, {"purposes": ["contact"], "on": "2026-01-05", "how": "phone"})
    assert response.status_code == 302
    assert selectors.has_consent(person, "contact")
    response = client.post(url, {"purposes": [], "on": "2026-02-01"})
    assert response.status_code == 302
    assert not selectors.has_consent(person, "contact")
    response = client.post(url, {"purposes": ["matching"], "on": "2026-02-01", "how": ""})
    body = response.content.decode()
    assert "There is a problem" in body and services.ERROR_CONSENT_HOW in body


def test_needs_and_strengths_in_their_words_escaped_on_the_page(client_for, demo):
    client = client_for(Role.FACILITATOR)
    person = _person(demo)
    words = "Someone to walk <b>Rex</b> & me 🐕 <script>alert(1)</script>"
    response = client.post(
        reverse("people:need-add", args=[person.pk]),
        {"kind": "pet_care", "in_their_words": words, "urgency": "soon"},
    )
    assert response.status_code == 302
    client.post(
        reverse("people:strength-add", args=[person.pk]),
        {"kind": "time", "in_their_words": "Tuesdays — any time"},
    )
    body = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert "Someone to walk &lt;b&gt;Rex&lt;/b&gt; &amp; me 🐕 &lt;script&gt;" in body
    assert "<script>alert(1)" not in body
    assert "Tuesdays — any time" in body
    need = Need.objects.get(person=person)
    client.post(reverse("people:need-met", args=[person.pk, need.pk]), {"on": "2026-04-01"})
    need.refresh_from_db()
    assert need.status == Need.Status.MET and need.met_on == dt.date(2026, 4, 1)
    assert Strength.objects.filter(person=person).count() == 1


def test_a_facilitator_adds_a_person_through_the_page(client_for, demo):
    lsoa = demo.first_neighbourhood.lsoas.order_by("code").first()
    response = client_for(Role.FACILITATOR).post(
        reverse("people:create"),
        {
            "alias": "Jay (not their real name)",
            "shared": "Plays darts",
            "home_lsoa": lsoa.pk,
            "facilitators": [demo.users["facilitator"].pk],
        },
    )
    assert response.status_code == 302
    person = Person.objects.get(alias="Jay (not their real name)")
    assert person.home_lsoa == lsoa
    # An LSOA outside the facilitator's neighbourhoods is not offered.
    outside = (
        Neighbourhood.objects.filter(kind="ward")
        .exclude(pk__in=demo.users["facilitator"].memberships.values("neighbourhoods"))
        .first()
        .lsoas.first()
    )
    response = client_for(Role.FACILITATOR).post(
        reverse("people:create"),
        {"alias": "Kit", "home_lsoa": outside.pk, "facilitators": [demo.users["facilitator"].pk]},
    )
    assert "Select a valid choice" in response.content.decode()


def test_the_person_list_makes_a_constant_number_of_queries(
    client_for, demo, django_assert_max_num_queries
):
    client = client_for(Role.FACILITATOR)
    client.get(reverse("people:list"))
    for index in range(30):
        _person(demo, alias=f"Person {index}")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("people:list"))
    assert "Person 29" in response.content.decode() or "Person 3" in response.content.decode()


def test_a_community_member_sees_their_own_record_only(client_for, demo):
    client = client_for(Role.COMMUNITY)
    body = client.get(reverse("people:mine")).content.decode()
    assert "Sam (not his real name)" in body
    assert "My story" in body and "someone to help look after my dog" in body.lower()
    assert "What I can give back" in body
    other = Person.objects.filter(synthetic_batch="demo").first()
    assert client.get(reverse("people:detail", args=[other.pk])).status_code == 403
    assert other.alias not in body
    export = json.loads(client.get(reverse("people:mine-export")).content)
    assert export["person"]["alias"] == "Sam (not his real name)"


def test_right_of_access_export_holds_everything_and_is_audited(client_for, demo):
    response = client_for(Role.FACILITATOR).get(reverse("people:export", args=[demo.sam.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    document = json.loads(response.content)
    assert document["identity"]["name"].startswith("Sam")
    assert {n["kind"] for n in document["needs"]} == {
        "companionship",
        "flexible_services",
        "shopping",
        "pet_care",
    }
    assert {c["purpose"] for c in document["consents"]} == set(Purpose.values)
    assert document["stories_and_journeys"]["stories"][0]["text"].startswith("In 2018")
    journey = document["stories_and_journeys"]["journeys"][0]
    assert len(journey["touchpoints"]) == 14 and len(journey["gaps"]) == 6
    assert "Sam's family" in {a["name"] for a in document["actors"]}
    assert AuditEvent.objects.filter(verb="person.export", subject_id=str(demo.sam.pk)).exists()


@pytest.mark.parametrize(
    ("keys", "message"),
    [("", "HCT_IDENTITY_KEYS must be set in production"), ("not-a-key", "not a Fernet key")],
)
def test_production_refuses_to_start_without_identity_keys(keys, message):
    import os
    import subprocess
    import sys

    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "HCT_ENV": "production",
        "HCT_SECRET_KEY": "x7#k2!q9" * 8,
        "HCT_ALLOWED_HOSTS": "hct.example.org",
        "HCT_IDENTITY_KEYS": keys,
    }
    result = subprocess.run(
        [sys.executable, "-m", "hct", "manage", "check"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert message in result.stderr


def test_a_bad_withdrawal_date_is_summarised_and_linked_to_its_field(client_for, demo):
    response = client_for(Role.FACILITATOR).post(
        reverse("people:consents", args=[demo.sam.pk]),
        {"purposes": [], "on": "not a date"},
    )
    body = response.content.decode()
    assert 'href="#id_on"' in body and 'id="id_on"' in body
    assert selectors.has_consent(demo.sam, "contact")
