"""Writes, as JSON on its last line, the pages each kind of Locust user visits, with ids read
from the load test's database (run by load/run.py in the site's environment)."""

import json
import os

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hct.settings")
    django.setup()
    from hct.commitments.models import Commitment
    from hct.commitments.selectors import public_neighbourhoods
    from hct.conversations.models import Conversation
    from hct.core.models import User
    from hct.partnership.models import Membership
    from hct.people.models import Person

    facilitator = User.objects.get(username="facilitator")
    board = User.objects.get(username="board")
    scope = Membership.objects.get(user=facilitator).neighbourhoods.order_by("slug")
    # The busiest neighbourhood in the facilitator's scope: St Michael's in the synthetic city.
    busiest = max(scope, key=lambda n: (n.slug == "st-michaels", n.slug))
    person = Person.objects.filter(home_lsoa__neighbourhoods=busiest).order_by("pk").first()
    commitment = Commitment.objects.order_by("pk").first()
    # A neighbourhood with a public page (one where a commitment has been made).
    public = public_neighbourhoods().order_by("slug").first()
    conversation = Conversation.objects.order_by("pk").first()
    pages = {
        "anonymous": [
            ["about", "/about/"],
            ["public commitments", "/commitments/public/"],
            ["public commitment", f"/commitments/public/{commitment.pk}/"],
            ["public neighbourhood", f"/commitments/public/neighbourhoods/{public.slug}/"],
            ["open data", "/learning/open-data/"],
            ["ORUK services (API)", "/api/oruk/services"],
        ],
        "facilitator": [
            ["home", "/"],
            ["people", "/people/"],
            ["person", f"/people/{person.pk}/"],
            ["journeys", "/journeys/"],
            ["gap analysis", "/gap-analysis/"],
            ["system map", f"/map/{busiest.slug}/"],
            ["system map data", f"/map/{busiest.slug}/map.json"],
            ["neighbourhood profile", f"/places/neighbourhoods/{busiest.slug}/"],
            ["where next", "/places/where-next/"],
            ["conversations", "/conversations/"],
            ["conversation", f"/conversations/{conversation.pk}/"],
            ["commitments", "/commitments/"],
            ["matching", "/matching/"],
        ],
        "board": [
            ["home", "/"],
            ["learning", "/learning/"],
            ["side by side", "/learning/side-by-side/"],
            ["what we keep hearing", "/learning/what-we-keep-hearing/"],
            ["reports", "/learning/reports/"],
            ["commitments", "/commitments/"],
        ],
    }
    users = {"facilitator": facilitator.username, "board": board.username}
    print(json.dumps({"pages": pages, "users": users}))


if __name__ == "__main__":
    main()
