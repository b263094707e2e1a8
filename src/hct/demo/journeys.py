"""Sam's story and journey, and a dozen synthetic neighbours, in the first cycle's neighbourhood.

Sam's facts are the brief's: the life incidents behind his 2018 breakdown (childhood abuse,
chronic illness, homelessness, a tragic road accident), support from local groups and statutory
services and the gaps between them, the postman's daily chat and the daily cup of tea at the
community centre, counselling that put him to the back of the queue when he needed to change an
appointment, and what he says he needs. The words are written for the demo in his voice; dates
before 2018 are as vague as the brief, and later ones are illustrative. The other twelve people
are made up, and each is marked synthetic. Everything is created through the services (so it is
audited) and only when missing: a second run changes nothing.
"""

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model

from hct.journeys import services as journeys
from hct.journeys.models import Journey
from hct.partnership.models import Cycle
from hct.partnership.selectors import partnership_for_record
from hct.people import services as people
from hct.people.models import Person, Purpose
from hct.systemmap.models import Actor
from hct.systemmap.services import actor_create

User = get_user_model()

SAM_ALIAS = "Sam (not his real name)"
DEMO_BATCH = "demo"
CONSENT_DAY = dt.date(2025, 11, 3)  # the "story" stage of the first cycle

# Shared actors of the neighbourhood: key, name, kind.
ACTORS = (
    ("gp", "The GP practice", Actor.Kind.LOCAL_SERVICE),
    ("iapt", "Talking therapies (IAPT)", Actor.Kind.LOCAL_SERVICE),
    ("housing", "Council housing options", Actor.Kind.LOCAL_SERVICE),
    ("jobcentre", "Jobcentre", Actor.Kind.LOCAL_SERVICE),
    ("crisis", "Crisis team (acute mental health services)", Actor.Kind.ACUTE_SERVICE),
    ("ae", "Emergency department (A&E)", Actor.Kind.ACUTE_SERVICE),
    ("ward", "Mental health ward", Actor.Kind.ACUTE_SERVICE),
    ("postman", "The postman", Actor.Kind.EVERYDAY_CONTACT),
    ("centre", "The community centre", Actor.Kind.COMMUNITY_GROUP),
    ("shed", "The Men's Shed", Actor.Kind.COMMUNITY_GROUP),
    ("charity_shop", "The charity shop", Actor.Kind.COMMUNITY_GROUP),
    ("social_club", "The social club", Actor.Kind.COMMUNITY_GROUP),
    ("peer_group", "Peer support group", Actor.Kind.COMMUNITY_GROUP),
    ("advice", "Citizens Advice", Actor.Kind.COMMUNITY_GROUP),
    ("pharmacy", "The pharmacy", Actor.Kind.BUSINESS),
    ("shops", "The local shops", Actor.Kind.BUSINESS),
)

SAM_SHARED = (
    "I live on my own with my dog. I've been through a lot, and I want the system to work "
    "better for the next person."
)
SAM_STORY = """In 2018 I had what I can only describe as a complete mental breakdown.

It didn't come out of nowhere. There was the abuse when I was a child. There was being ill for years, on and off, with something that doesn't go away. There was being homeless. And there was the road accident: a tragic one. I was involved in it, and I still carry it.

Mostly I've coped on my own. Sometimes I've had support from local groups, and sometimes from the services: the GP, the crisis team, talking therapies. The people I met were good people. But the services don't connect with each other. You fall into the gaps between them, and you tell your story again, and again.

What helped me get well were the simple things. The postman stopping for a chat every day. A cup of tea every day at the community centre, with a friendly face.

When I needed to change a counselling appointment, I got put to the back of the queue. When you're struggling is exactly when you can't always make the time they give you.

To stay well I need company that goes both ways: people nearby who value me, and a chance to give something back. Services that bend a bit. Help getting to the shops, because I can't carry heavy loads. And someone to help look after my dog when I'm struggling."""
SAM_QUOTES = (
    "The people I met were good people. But the services don't connect with each other.",
    "What helped me get well were the simple things. The postman stopping for a chat every day. A cup of tea every day at the community centre, with a friendly face.",
    "When I needed to change a counselling appointment, I got put to the back of the queue.",
)
SAM_NEEDS = (
    (
        "companionship",
        "Company that goes both ways: people nearby who value me, and a chance to give something back.",
        "soon",
    ),
    (
        "flexible_services",
        "Counselling that doesn't put me to the back of the queue when I need to change an appointment time.",
        "soon",
    ),
    ("shopping", "Help getting to the shops. I have difficulties carrying heavy loads.", "routine"),
    ("pet_care", "Someone to help look after my dog when I'm struggling.", "soon"),
)
SAM_STRENGTHS = (
    (
        "experience",
        "I know what it's like to fall into the gaps. I can tell my story so that the system changes.",
    ),
    ("company", "Good company on a walk. My dog likes everybody."),
)
# when, actor key (or "self"/"family"), what, felt, note
SAM_TOUCHPOINTS = (
    ("the 1980s", "family", "life_event", "hindered", "Abuse in childhood."),
    ("the 2000s", "gp", "appointment", "neither", "A chronic illness, on and off for years."),
    ("the 2010s", "housing", "life_event", "hindered", "Homeless for a time."),
    ("the 2010s", "ae", "life_event", "hindered", "Involved in a tragic road accident."),
    ("2018", "crisis", "crisis", "neither", "A complete mental breakdown."),
    ("2018", "crisis", "discharge", "hindered", "Discharged by the crisis team."),
    ("October 2018", "gp", "referral", "neither", "The GP referred me to talking therapies."),
    (
        "February 2019",
        "iapt",
        "assessment",
        "hindered",
        "Assessed, after months of waiting. Told it all again.",
    ),
    ("spring 2019", "iapt", "appointment", "helped", "Counselling. The counsellor was good."),
    (
        "summer 2019",
        "iapt",
        "appointment",
        "hindered",
        "Needed to change an appointment time: put to the back of the queue.",
    ),
    ("late 2019", "postman", "community_act", "helped", "The postman stops for a chat every day."),
    (
        "late 2019",
        "centre",
        "community_act",
        "helped",
        "A cup of tea every day at the community centre, with a friendly face.",
    ),
    ("2020", "self", "self_help", "helped", "Walking the dog, every day, whatever the weather."),
    ("2021", "peer_group", "community_act", "helped", "Support from a local group."),
)
# before, after (1-based positions), kind
SAM_GAPS = (
    (2, 3, "services_didnt_talk"),
    (4, 5, "no_follow_up"),
    (6, 7, "discharged_without_support"),
    (7, 8, "long_wait"),
    (5, 8, "told_story_again"),
    (9, 10, "appointment_not_flexible"),
)
SAM_IDENTITY = {
    "name": "Sam — a demo identity, not a real person",
    "contact": "07700 900461 (a number kept for drama and demos)",
    "address": "No real address is held in the demo",
}

# The dozen synthetic neighbours: alias, what they chose to share, needs, strengths, consents
# (purposes given; "-share" means given, then withdrawn), journey title, touchpoints, gaps.
NEIGHBOURS: tuple[tuple[Any, ...], ...] = (
    (
        "Alex (synthetic)",
        "Retired, lives alone since my wife died.",
        [("companionship", "Someone to talk to in the evenings.", "soon")],
        [("skills", "I can fix most things: shelves, bikes, curtain poles.")],
        ["share_with_partners", "matching", "contact"],
        "After losing my wife",
        [
            ("January 2024", "gp", "referral", "neither", ""),
            ("May 2024", "iapt", "assessment", "hindered", ""),
            ("June 2024", "iapt", "appointment", "helped", ""),
            ("summer 2024", "shed", "community_act", "helped", ""),
        ],
        [(1, 2, "long_wait")],
    ),
    (
        "Bev (synthetic)",
        "Mum of two, works shifts.",
        [("someone_to_talk_to", "Someone who understands, at night when it's worst.", "urgent")],
        [("time", "An hour on Saturdays.")],
        ["story_at_conversation"],
        "A bad year",
        [
            ("March 2021", "crisis", "crisis", "neither", ""),
            ("April 2021", "ward", "appointment", "neither", ""),
            ("May 2021", "ward", "discharge", "hindered", ""),
            ("September 2021", "gp", "appointment", "helped", ""),
        ],
        [(3, 4, "discharged_without_support"), (1, 4, "told_story_again")],
    ),
    (
        "Chris (synthetic)",
        "Back on my feet after sofa-surfing.",
        [
            ("housing", "Somewhere settled to live.", "urgent"),
            ("money", "Help sorting out my benefits.", "soon"),
        ],
        [("practical", "I can help people move house.")],
        ["share_with_partners", "story_at_conversation", "matching"],
        "Finding somewhere to live",
        [
            ("spring 2019", "housing", "appointment", "hindered", ""),
            ("summer 2019", "advice", "community_act", "helped", ""),
            ("autumn 2019", "jobcentre", "appointment", "hindered", ""),
            ("2020", "housing", "appointment", "helped", ""),
        ],
        [(1, 3, "services_didnt_talk")],
    ),
    (
        "Dee (synthetic)",
        "Carer for my dad.",
        [("flexible_services", "Appointments I can make around Dad's care.", "soon")],
        [("experience", "I know the carers' system inside out.")],
        ["-share_with_partners", "contact"],
        "Trying to get help",
        [
            ("March 2022", "gp", "referral", "neither", ""),
            (
                "July 2022",
                "gp",
                "referral",
                "hindered",
                "Went back: the first referral had gone missing.",
            ),
            ("November 2022", "iapt", "assessment", "neither", ""),
        ],
        [(1, 2, "referral_lost"), (2, 3, "told_story_again")],
    ),
    (
        "Eli (synthetic)",
        "New to the area.",
        [("companionship", "To know a few people round here.", "routine")],
        [("time", "Happy to help in the charity shop.")],
        ["share_with_partners", "matching"],
        "Settling in",
        [
            ("2023", "centre", "community_act", "helped", ""),
            ("2023", "charity_shop", "self_help", "helped", "Volunteering on Thursdays."),
            ("2024", "postman", "community_act", "helped", ""),
        ],
        [],
    ),
    (
        "Fran (synthetic)",
        "Two buses to anywhere.",
        [("getting_about", "A lift to appointments across the city.", "soon")],
        [("company", "Good for a natter.")],
        ["share_with_partners"],
        "Appointments across town",
        [
            ("April 2023", "gp", "referral", "neither", ""),
            ("June 2023", "iapt", "appointment", "hindered", "Couldn't get there for nine."),
            ("July 2023", "iapt", "appointment", "hindered", ""),
            ("2023", "pharmacy", "community_act", "helped", "The pharmacist always asks how I am."),
        ],
        [(2, 3, "appointment_not_flexible"), (1, 2, "couldnt_get_there")],
    ),
    (
        "Gus (synthetic)",
        "Ex-forces.",
        [("someone_to_talk_to", "Someone who's been there.", "soon")],
        [("experience", "I can talk to other veterans.")],
        ["share_with_partners", "story_at_conversation"],
        "After the accident at work",
        [
            ("2020", "ae", "crisis", "neither", ""),
            ("2020", "crisis", "assessment", "hindered", ""),
            ("2021", "social_club", "community_act", "helped", ""),
        ],
        [(1, 2, "told_story_again")],
    ),
    (
        "Hana (synthetic)",
        "Student nurse.",
        [("someone_to_talk_to", "Someone outside work to talk to.", "routine")],
        [("skills", "I can help with forms.")],
        ["share_with_partners", "matching", "contact"],
        "When it worked",
        [
            ("June 2023", "gp", "referral", "helped", ""),
            ("July 2023", "iapt", "assessment", "helped", ""),
            ("August 2023", "iapt", "appointment", "helped", ""),
            ("autumn 2023", "peer_group", "community_act", "helped", ""),
        ],
        [],
    ),
    (
        "Ian (synthetic)",
        "Lost my job last year.",
        [("money", "Help with debts.", "urgent")],
        [("time", "Mornings free.")],
        ["contact"],
        "Money and mood",
        [
            ("2022", "jobcentre", "appointment", "hindered", ""),
            ("2022", "advice", "community_act", "helped", ""),
            ("2023", "gp", "appointment", "neither", ""),
        ],
        [(1, 3, "services_didnt_talk")],
    ),
    (
        "Jas (synthetic)",
        "Lives with my sister's family.",
        [("practical", "Help with the garden.", "routine")],
        [("company", "I'll sit with someone who's lonely.")],
        ["share_with_partners", "story_at_conversation", "matching"],
        "Waiting, and the people who helped",
        [
            ("2021", "family:Jas's sister", "self_help", "helped", ""),
            ("September 2021", "gp", "referral", "neither", ""),
            ("April 2022", "iapt", "assessment", "hindered", ""),
            ("2022", "neighbour:A neighbour", "community_act", "helped", ""),
        ],
        [(2, 3, "long_wait")],
    ),
    (
        "Kim (synthetic)",
        "Keeps to myself.",
        [("companionship", "A reason to get out of the house.", "soon")],
        [("skills", "I knit; I could teach it.")],
        ["story_at_conversation"],
        "Out of hospital",
        [
            ("2022", "crisis", "crisis", "neither", ""),
            ("2022", "crisis", "discharge", "hindered", ""),
            ("2023", "centre", "community_act", "helped", ""),
        ],
        [(2, 3, "discharged_without_support")],
    ),
    (
        "Lou (synthetic)",
        "Grandad of five.",
        [("pet_care", "Someone to walk the dog when my knees are bad.", "routine")],
        [("time", "I can do the school run on Tuesdays.")],
        ["share_with_partners", "matching"],
        "Nobody called back",
        [
            ("February 2024", "gp", "referral", "neither", ""),
            ("2024", "iapt", "waiting", "hindered", "Nobody called back."),
            ("2024", "postman", "community_act", "helped", ""),
        ],
        [(1, 2, "referral_lost"), (1, 2, "no_follow_up")],
    ),
)


def journeys_demo_load(summary) -> None:
    """Sam, his story and journey, and the dozen synthetic neighbours, if they are not there."""
    cycle = Cycle.objects.select_related("neighbourhood").filter(number=1).order_by("pk").first()
    if cycle is None:
        return
    neighbourhood = cycle.neighbourhood
    facilitator = User.objects.get(username="facilitator")
    home = neighbourhood.lsoas.order_by("imd_rank").first()
    actors = _shared_actors(facilitator, neighbourhood)
    if not Person.objects.filter(user__username="sam").exists():
        _sam(facilitator, home, actors)
        summary.created.append("Sam's story and journey")
    if not Person.objects.filter(synthetic_batch=DEMO_BATCH).exists():
        lsoas = list(neighbourhood.lsoas.order_by("imd_rank"))
        for index, spec in enumerate(NEIGHBOURS):
            _neighbour(facilitator, lsoas[index % len(lsoas)], actors, spec)
        summary.created.append(f"{len(NEIGHBOURS)} synthetic neighbours with journeys")


def _shared_actors(facilitator, neighbourhood) -> dict[str, Actor]:
    found = {}
    for key, name, kind in ACTORS:
        actor = Actor.objects.filter(
            name=name, kind=kind, neighbourhood=neighbourhood, person__isnull=True
        ).first()
        found[key] = actor or actor_create(
            actor=facilitator,
            name=name,
            kind=kind,
            neighbourhood=neighbourhood,
            partnership=partnership_for_record(facilitator),
        )
    return found


def _journey(facilitator, person, title, touchpoints, gaps, actors):
    journey = journeys.journey_create(actor=facilitator, person=person, title=title)
    for when, key, what, felt, note in touchpoints:
        who, new_name, new_kind = None, "", ""
        if key == "self":
            who = Actor.objects.get(person=person, kind=Actor.Kind.PERSON)
        elif ":" in key:
            new_kind, new_name = key.split(":", 1)
        elif key == "family":
            new_kind, new_name = "family", f"{person.alias.split(' ')[0]}'s family"
        else:
            who = actors[key]
        journeys.touchpoint_add(
            actor=facilitator,
            journey=journey,
            when=when,
            who=who,
            new_actor_name=new_name,
            new_actor_kind=new_kind,
            what=what,
            felt=felt,
            note=note,
        )
    by_position = {t.position: t for t in journey.touchpoints.all()}
    for before, after, kind in gaps:
        journeys.gap_add(
            actor=facilitator,
            journey=journey,
            before=by_position[before],
            after=by_position[after],
            kind=kind,
        )
    return journey


def _sam(facilitator, home, actors) -> Journey:
    sam = people.person_create(
        actor=facilitator,
        alias=SAM_ALIAS,
        home_lsoa=home,
        shared=SAM_SHARED,
        user=User.objects.get(username="sam"),
    )
    people.identity_set(actor=facilitator, person=sam, **SAM_IDENTITY)
    for purpose in Purpose:
        people.consent_record(
            actor=facilitator,
            person=sam,
            purpose=purpose,
            given_on=CONSENT_DAY,
            how="in_person",
            note="Talked through over a cup of tea at the community centre",
        )
    for kind, words, urgency in SAM_NEEDS:
        people.need_add(
            actor=facilitator, person=sam, kind=kind, in_their_words=words, urgency=urgency
        )
    for kind, words in SAM_STRENGTHS:
        people.strength_add(actor=facilitator, person=sam, kind=kind, in_their_words=words)
    story = journeys.story_create(
        actor=facilitator, person=sam, title="My story", text=SAM_STORY, told_on=CONSENT_DAY
    )
    for quote in SAM_QUOTES:
        journeys.quote_add(actor=facilitator, story=story, text=quote, agreed_on=CONSENT_DAY)
    return _journey(
        facilitator, sam, "The system, as Sam tells it", SAM_TOUCHPOINTS, SAM_GAPS, actors
    )


def _neighbour(facilitator, lsoa, actors, spec) -> None:
    alias, shared, needs, strengths, consents, title, touchpoints, gaps = spec
    person = people.person_create(
        actor=facilitator,
        alias=alias,
        home_lsoa=lsoa,
        shared=shared,
        synthetic=True,
        synthetic_batch=DEMO_BATCH,
    )
    for purpose in consents:
        withdrawn = purpose.startswith("-")
        purpose = purpose.lstrip("-")
        people.consent_record(
            actor=facilitator, person=person, purpose=purpose, given_on=CONSENT_DAY, how="in_person"
        )
        if withdrawn:
            people.consent_withdraw(
                actor=facilitator, person=person, purpose=purpose, on=dt.date(2026, 1, 12)
            )
    for kind, words, urgency in needs:
        people.need_add(
            actor=facilitator, person=person, kind=kind, in_their_words=words, urgency=urgency
        )
    for kind, words in strengths:
        people.strength_add(actor=facilitator, person=person, kind=kind, in_their_words=words)
    _journey(facilitator, person, title, touchpoints, gaps, actors)
