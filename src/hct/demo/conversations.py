"""The three Big Conversations of the first cycle, in the local church, as the brief tells them:
Sam's story at the centre of the first, the iceberg and a vision for a better story at the
second, the plan at the third. Loaded once: a cycle that already has conversations is left alone.
"""

import datetime as dt

from django.contrib.auth import get_user_model

from hct.conversations import services
from hct.conversations.models import AttendeeSector, Contribution, Conversation, IcebergLevel
from hct.demo.dates import FIRST_CYCLE_DATES
from hct.partnership.models import Cycle

User = get_user_model()

VENUE = "St Mary's church hall"
VENUE_HINTS = "Side door on Church Lane; step-free; tea from 5.30"
PURPOSES = {
    1: (
        "A humanising encounter",
        "Service leaders and just as many people and groups from the community, with Sam and "
        "the story he wants to tell at the centre. We drop our professional masks and share our "
        "own tough times and what has kept us strong.",
    ),
    2: (
        "Making sense",
        "Making sense of what we heard with the systems-thinking iceberg, to expose the layers "
        "at which change needs to happen, and writing together an ambitious vision for a better "
        "story.",
    ),
    3: ("The plan", "The plan itself: what we will do, at which level, who owns it and by when."),
}
AGENDA = {
    1: "17:30 Tea and cake\n18:00 Welcome: no masks tonight\n18:15 Sam's story\n"
    "19:00 Tough times and what kept us strong, in pairs\n20:00 What we heard",
    2: "18:00 Tea\n18:15 What we heard last time\n18:30 The iceberg, level by level\n"
    "19:30 A better story, written together",
    3: "18:00 Tea\n18:15 The vision\n18:30 Actions at every level\n19:45 Who will own what",
}
# name, organisation, sector, came
PEOPLE = (
    ("Steve", "Talking therapies (IAPT)", AttendeeSector.NHS, True),
    ("Priya", "Acute mental health services", AttendeeSector.NHS, True),
    ("Dan", "Transformation and partnerships", AttendeeSector.NHS, True),
    ("Dr Okafor", "Clinical psychology", AttendeeSector.NHS, True),
    ("Helen", "Public health", AttendeeSector.COUNCIL, True),
    ("Marcus", "Community resilience team", AttendeeSector.COUNCIL, True),
    ("Dr Shah", "The GP practice", AttendeeSector.GP, True),
    ("Sam", "", AttendeeSector.COMMUNITY_MEMBER, True),
    ("Ray", "The Men's Shed", AttendeeSector.COMMUNITY_GROUP, True),
    ("Bev", "The community centre", AttendeeSector.COMMUNITY_GROUP, True),
    ("Kath", "The charity shop", AttendeeSector.COMMUNITY_GROUP, True),
    ("Tony", "The Social Club", AttendeeSector.COMMUNITY_GROUP, True),
    ("Lorraine", "", AttendeeSector.COMMUNITY_MEMBER, True),
    ("Jas", "", AttendeeSector.COMMUNITY_MEMBER, True),
    ("Jo", "Grapevine", AttendeeSector.VOLUNTARY, True),
    ("Father Michael", "St Mary's", AttendeeSector.COMMUNITY_GROUP, False),
)
CONTRIBUTIONS = (
    (
        Contribution.Kind.TOUGH_TIME,
        AttendeeSector.NHS,
        "When my dad died I stopped sleeping. "
        "What kept me strong was the band: I used to play in a punk band, and we still meet up.",
    ),
    (
        Contribution.Kind.TOUGH_TIME,
        AttendeeSector.COMMUNITY_GROUP,
        "After I lost my job the "
        "Men's Shed kept me going. Somewhere to be, someone to make a cup of tea for.",
    ),
    (
        Contribution.Kind.QUOTE,
        AttendeeSector.COMMUNITY_MEMBER,
        "You tell your story again and again, to every service, and nobody joins it up.",
    ),
    (
        Contribution.Kind.NOTE,
        AttendeeSector.COMMUNITY_MEMBER,
        "Changing an appointment puts you back to the start of the waiting list.",
    ),
    (
        Contribution.Kind.NOTE,
        AttendeeSector.NHS,
        "Our waiting list rules were written for people who can always make the time we give them.",
    ),
    (
        Contribution.Kind.QUESTION,
        AttendeeSector.COUNCIL,
        "Who tells the community centre when someone is discharged?",
    ),
    (
        Contribution.Kind.NOTE,
        AttendeeSector.COMMUNITY_GROUP,
        "The postman and the cup of tea at "
        "the centre did more than any referral: simple everyday contact.",
    ),
    (
        Contribution.Kind.NOTE,
        AttendeeSector.GP,
        "We refer on and never hear back. The referral letter is where our part ends.",
    ),
)
ITEMS = (
    (
        IcebergLevel.EVENTS,
        "Sam was put to the back of the queue when he changed a counselling appointment.",
        (3, 4),
    ),
    (
        IcebergLevel.PATTERNS,
        "People tell their story again and again; referrals go one way and nothing comes back.",
        (2, 7),
    ),
    (
        IcebergLevel.STRUCTURES,
        "Waiting-list rules that punish changing a time; no route from "
        "services back to community groups.",
        (4, 5),
    ),
    (
        IcebergLevel.MENTAL_MODELS,
        "Help is what services deliver; community is nice to have, not "
        "part of the system that keeps people well.",
        (6,),
    ),
)
DOTS = (4, 7, 5, 6)  # the room's dots on each item
VISION = (
    "Sam tells his story once. When he is struggling and can't make a time, the service moves "
    "the time, not Sam. The GP, talking therapies and the community centre know each other by "
    "name, and when one lets go, another is already there. The postman's chat and the cup of "
    "tea are counted as care, and Sam has his own chance to give back."
)
ACTIONS = (
    ("Rebook without losing your place", IcebergLevel.STRUCTURES, "Head of IAPT", 1, 2),
    (
        "A named link between the GP practice and the community centre",
        IcebergLevel.PATTERNS,
        "The GP practice and the community centre",
        2,
        1,
    ),
    (
        "Count community acts as care in the partnership's story of success",
        IcebergLevel.MENTAL_MODELS,
        "Partnership board",
        3,
        0,
    ),
    (
        "A lift to the shops and a dog-walker when someone is struggling",
        IcebergLevel.EVENTS,
        "The Men's Shed",
        None,
        0,
    ),
)


def conversations_demo_load(summary) -> None:
    cycle = (
        Cycle.objects.select_related("partnership", "neighbourhood")
        .filter(number=1)
        .order_by("pk")
        .first()
    )
    if cycle is None or Conversation.objects.filter(cycle=cycle).exists():
        return
    from hct.people.models import Person

    facilitator = User.objects.get(username="facilitator")
    sam = Person.objects.filter(user__username="sam").first()
    conversations = {}
    for number, stage in ((1, "bc1"), (2, "bc2"), (3, "bc3")):
        title, purpose = PURPOSES[number]
        conversations[number] = services.conversation_create(
            actor=facilitator,
            cycle=cycle,
            number=number,
            title=title,
            purpose=purpose,
            venue=VENUE,
            venue_hints=VENUE_HINTS,
            date=dt.date.fromisoformat(FIRST_CYCLE_DATES[stage]) + dt.timedelta(days=7),
            starts_at=dt.time(18, 0),
            ends_at=dt.time(20, 30),
            places=40,
            agenda=AGENDA[number],
        )
    first, second, third = conversations[1], conversations[2], conversations[3]
    services.places_hold(
        actor=facilitator,
        conversation=first,
        held={AttendeeSector.COMMUNITY_MEMBER: 6, AttendeeSector.COMMUNITY_GROUP: 6},
    )
    for name, organisation, sector, came in PEOPLE:
        participant = services.participant_invite(
            actor=facilitator,
            conversation=first,
            name=name,
            organisation=organisation,
            sector=sector,
            # Sam's place is linked to his record, so he sees it on his own page.
            person=sam if name == "Sam" else None,
        )
        services.participant_reply(actor=facilitator, participant=participant, coming=came)
        if came:
            services.participant_attend(actor=facilitator, participant=participant)
    if sam is not None:
        story, journey = sam.stories.first(), sam.journeys.first()
        for conversation in (first, second):
            services.centre_set(
                actor=facilitator, conversation=conversation, story=story, journey=journey
            )
    captured = [
        services.contribution_add(
            actor=facilitator, conversation=first, kind=kind, speaker_sector=sector, text=text
        )
        for kind, sector, text in CONTRIBUTIONS
    ]
    services.closing_write(
        actor=facilitator,
        conversation=first,
        summary=(
            "Fifteen of us in St Mary's hall: as many from the community as from the services. "
            "Sam told his story. Steve, the Head of IAPT, and the Men's Shed leader found they "
            "share a King Crimson T-shirt; Steve was in a punk band. We heard about the gaps "
            "between services and the simple things that kept Sam well."
        ),
    )
    items = []
    for (level, text, cites), dots in zip(ITEMS, DOTS, strict=True):
        item = services.item_add(actor=facilitator, conversation=second, level=level, text=text)
        for _ in range(dots):
            item = services.item_vote(actor=facilitator, item=item, change=1)
        for index in cites:
            services.evidence_add(actor=facilitator, item=item, contribution=captured[index - 1])
        items.append(item)
    services.vision_write(
        actor=facilitator,
        conversation=second,
        text=VISION,
        note="Written together at the second conversation",
        answers=items,
    )
    plan = services.plan_for(actor=facilitator, conversation=third)
    services.plan_summary_write(
        actor=facilitator,
        plan=plan,
        summary=(
            "From Sam's story to a better one: services that bend, links that hold between the "
            "GP, talking therapies and the community, and everyday community acts counted as care."
        ),
    )
    for title, level, owner, item_number, months in ACTIONS:
        services.action_add(
            actor=facilitator,
            plan=plan,
            title=title,
            level=level,
            owner=owner,
            due_on=third.date + dt.timedelta(days=30 * months) if months else None,
            items=[items[item_number]] if item_number is not None else [],
        )
    summary.created.append("three Big Conversations with an iceberg, a vision and a plan")
