"""Two people sign up for the last place at the same moment: one gets it, the other waits.

Each thread has its own connection and transaction, so without the lock on the conversation
row both would count the room as having a free place. PostgreSQL only: SQLite takes one
writer at a time whatever the code does, so it cannot show the race.
"""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from hct.conversations import services
from hct.conversations.models import Participant
from hct.core.roles import Role
from hct.core.services import user_create
from hct.people.services import person_create

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a race needs two writers at once: PostgreSQL"
)


@pytest.mark.django_db(transaction=True)
def test_two_sign_ups_for_the_last_place_give_one_place_and_one_wait():
    from hct.demo.services import demo_load
    from tests.conftest import DEMO_PASSWORD
    from tests.demo_world import DemoWorld

    demo_load(password=DEMO_PASSWORD)  # a transactional test starts from an empty database
    demo = DemoWorld.load()
    jo = demo.users["facilitator"]
    conversation = services.conversation_create(
        actor=jo,
        cycle=demo.first_cycle,
        number=7,
        purpose="One place left",
        date=timezone.localdate() + dt.timedelta(days=7),
        places=1,
        open_to_neighbourhood=True,
    )
    people = []
    for name in ("ana", "ben"):
        user = user_create(
            actor=None, username=name, password="a-long-enough-password-1", role=Role.COMMUNITY
        )
        lsoa = demo.first_neighbourhood.lsoas.first()
        people.append(person_create(actor=jo, alias=name.title(), home_lsoa=lsoa, user=user))

    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def sign_up(person):
        try:
            start.wait(timeout=30)
            services.participant_register(
                actor=person.user, conversation=conversation, person=person
            )
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    replies = sorted(conversation.participants.values_list("reply", flat=True))
    assert replies == sorted([Participant.Reply.COMING, Participant.Reply.WAITING])
