"""The demo's offers of help and what matching must respect about Sam's needs, so that a
matching run proposes help with his shopping and someone to look after his dog, and two-way
company between Sam and Alex. The demo does not run matching: a facilitator does, and decides.

Idempotent: offers are made only when the demo has none.
"""

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from hct.demo.directory import demo_id
from hct.directory.models import Service
from hct.matching.models import NeedPreferences, Offer
from hct.matching.services import need_preferences_set, offer_create
from hct.people.models import Need, Person

DEMO_BATCH = "demo"
SATURDAY, TUESDAY = 5, 1


def _t(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


@transaction.atomic
def matching_demo_load(summary) -> None:
    sam = Person.objects.filter(user__username="sam").select_related("home_lsoa").first()
    if sam is None or Offer.objects.filter(synthetic_batch=DEMO_BATCH).exists():
        return
    facilitator = get_user_model().objects.get(username="facilitator")
    people = {p.alias: p for p in Person.objects.filter(synthetic_batch=DEMO_BATCH)}
    chris, alex = people.get("Chris (synthetic)"), people.get("Alex (synthetic)")
    shed = Service.objects.filter(id=demo_id("asset:shed")).first()
    offers: list[dict[str, Any]] = [
        dict(
            person=chris,
            kinds=[Need.Kind.SHOPPING, Need.Kind.GETTING_ABOUT],
            in_their_words="I can carry the heavy bags and walk to the shops with you.",
            base_lsoa=chris.home_lsoa if chris else sam.home_lsoa,
            reach_km=4,
            capacity_per_week=2,
            can_carry_shopping=True,
            windows=[(SATURDAY, _t("09:00"), _t("13:00")), (TUESDAY, _t("10:00"), _t("12:00"))],
        ),
        dict(
            group_name="Neighbourhood dog walkers (synthetic)",
            kinds=[Need.Kind.PET_CARE],
            in_their_words="We walk and mind dogs when their people are struggling.",
            base_lsoa=sam.home_lsoa,
            reach_km=3,
            capacity_per_week=3,
            dog_friendly=True,
            background_checked=True,
        ),
        dict(
            group_name="The Men's Shed",
            service=shed,
            kinds=[Need.Kind.COMPANIONSHIP, Need.Kind.PRACTICAL],
            in_their_words="Working side by side; a brew and a chat.",
            base_lsoa=sam.home_lsoa,
            reach_km=5,
            capacity_per_week=4,
            background_checked=True,
        ),
        # Sam gives back: good company on a walk, with his dog.
        dict(
            person=sam,
            kinds=[Need.Kind.COMPANIONSHIP],
            in_their_words="Good company on a walk. My dog likes everybody.",
            base_lsoa=sam.home_lsoa,
            reach_km=2,
            capacity_per_week=1,
            dog_friendly=True,
        ),
    ]
    for spec in offers:
        if "person" in spec and spec["person"] is None:
            continue
        offer_create(actor=facilitator, synthetic_batch=DEMO_BATCH, **spec)
    for need in sam.needs.all():
        if NeedPreferences.objects.filter(need=need).exists():
            continue
        if need.kind == Need.Kind.SHOPPING:
            need_preferences_set(actor=facilitator, need=need, max_km=4, needs_carrying=True)
        elif need.kind == Need.Kind.PET_CARE:
            need_preferences_set(actor=facilitator, need=need, max_km=3, needs_dog_friendly=True)
        elif need.kind == Need.Kind.COMPANIONSHIP:
            need_preferences_set(actor=facilitator, need=need, max_km=5, two_way=True)
    if alex is not None:
        for need in alex.needs.filter(kind=Need.Kind.COMPANIONSHIP):
            need_preferences_set(actor=facilitator, need=need, max_km=5, two_way=True)
    summary.created.append("offers of help (people and groups) for matching")
