"""The demo's objects, found by their natural keys, for tests to point at."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from hct.demo.services import PARTNERSHIP_NAME
from hct.partnership.models import Cycle, Partnership
from hct.places.models import Neighbourhood


@dataclass
class DemoWorld:
    partnership: Partnership
    first_cycle: Cycle
    first_neighbourhood: Neighbourhood
    other_neighbourhood: Neighbourhood  # a ward with no cycle
    users: dict

    @property
    def job(self):
        """A finished job started by the facilitator."""
        from hct.core.models import Job

        return Job.objects.get_or_create(
            kind="test.demo",
            created_by=self.users["facilitator"],
            defaults={"status": Job.Status.DONE},
        )[0]

    @property
    def directory_service(self):
        """The demo's talking therapies (IAPT) listing: a formal service with a category."""
        from hct.demo.directory import demo_id
        from hct.directory.models import Service

        return Service.objects.get(id=demo_id("service:iapt"))

    @property
    def community_asset(self):
        """The demo's daily cup of tea at the community centre."""
        from hct.demo.directory import demo_id
        from hct.directory.models import Service

        return Service.objects.get(id=demo_id("asset:tea"))

    @property
    def import_run(self):
        """A finished import uploaded by the facilitator."""
        from hct.directory.models import ImportRun

        return ImportRun.objects.get_or_create(
            file_name="test_service.json",
            created_by=self.users["facilitator"],
            defaults={"status": ImportRun.Status.IMPORTED, "summary": {"text": "Imported."}},
        )[0]

    @property
    def invitation(self):
        """A community member's invitation made by the facilitator, waiting to be used."""
        from hct.partnership.models import Invitation
        from hct.partnership.services import invitation_create

        found = Invitation.objects.filter(invitee="Demo invitee").first()
        return (
            found
            or invitation_create(
                actor=self.users["facilitator"],
                partnership=self.partnership,
                role="community",
                invitee="Demo invitee",
            ).invitation
        )

    @property
    def facilitator_membership(self):
        return self.partnership.memberships.get(user=self.users["facilitator"])

    @property
    def sam(self):
        """Sam's person record (linked to the `sam` account)."""
        from hct.people.models import Person

        return Person.objects.get(user__username="sam")

    @property
    def sam_journey(self):
        return self.sam.journeys.get()

    @property
    def sam_story(self):
        return self.sam.stories.get()

    @property
    def sam_touchpoint(self):
        return self.sam_journey.touchpoints.order_by("position").first()

    @property
    def sam_gap(self):
        return self.sam_journey.gaps.order_by("id").first()

    @property
    def sam_quote(self):
        return self.sam_story.quotes.order_by("id").first()

    @property
    def sam_need(self):
        return self.sam.needs.order_by("id").first()

    @property
    def sam_strength(self):
        return self.sam.strengths.order_by("id").first()

    @property
    def map_link(self):
        """A link on the first neighbourhood's map between two shared actors (from Sam's
        journey)."""
        from hct.systemmap.models import Link
        from hct.systemmap.selectors import neighbourhood_actors

        shared = neighbourhood_actors(self.first_neighbourhood).filter(person__isnull=True)
        return (
            Link.objects.filter(from_actor__in=shared, to_actor__in=shared).order_by("pk").first()
        )

    @property
    def map_snapshot(self):
        """A snapshot of the first neighbourhood's map, taken by the facilitator."""
        from hct.systemmap.models import MapSnapshot
        from hct.systemmap.services import snapshot_create

        found = MapSnapshot.objects.filter(neighbourhood=self.first_neighbourhood).first()
        return found or snapshot_create(
            actor=self.users["facilitator"], neighbourhood=self.first_neighbourhood, name="Before"
        )

    @property
    def commitment(self):
        """The demo's talking therapies drop-in: owned by the NHS trust (the partner's own
        organisation), kept on time."""
        from hct.commitments.models import Commitment

        return Commitment.objects.get(title__startswith="A talking therapies drop-in")

    @property
    def commitment_update(self):
        """The drop-in's update marking it done."""
        return self.commitment.updates.get(status_after="done")

    @property
    def question(self):
        """The demo community member's question on the drop-in, answered by the NHS trust."""
        return self.commitment.public_comments.get(kind="question")

    @property
    def campaign(self):
        """Lift Me Up, the demo's community campaign on fly-tipping."""
        from hct.commitments.models import Campaign

        return Campaign.objects.get(title="Lift Me Up")

    @property
    def conversation(self):
        """The first cycle's first Big Conversation (Sam's story at the centre)."""
        return self.first_cycle.conversations.get(number=1)

    @property
    def sensemaking_conversation(self):
        """The second: the iceberg and the vision."""
        return self.first_cycle.conversations.get(number=2)

    @property
    def plan_conversation(self):
        """The third: the plan."""
        return self.first_cycle.conversations.get(number=3)

    @property
    def participant(self):
        return self.conversation.participants.order_by("id").first()

    @property
    def contribution(self):
        return self.conversation.contributions.order_by("id").first()

    @property
    def iceberg_item(self):
        return self.sensemaking_conversation.iceberg_items.order_by("id").first()

    @property
    def evidence(self):
        return self.iceberg_item.evidence.order_by("id").first()

    @property
    def theme_suggestion(self):
        from hct.conversations.models import ThemeSuggestion

        return ThemeSuggestion.objects.get_or_create(
            conversation=self.sensemaking_conversation,
            label="waiting, list, appointment",
            defaults={"terms": ["waiting", "list", "appointment"], "passages": []},
        )[0]

    @property
    def plan_action(self):
        return self.plan_conversation.plan.actions.order_by("position").first()

    @property
    def sam_shopping_need(self):
        return self.sam.needs.get(kind="shopping")

    @property
    def sam_match(self):
        """The proposal for Sam's shopping, from a matching run if none has been made yet."""
        from hct.matching.models import Match
        from hct.matching.services import match_run

        found = Match.objects.filter(need=self.sam_shopping_need).order_by("-id").first()
        if found is None:
            match_run(actor=self.users["facilitator"])
            found = Match.objects.get(need=self.sam_shopping_need)
        return found

    @property
    def field_note(self):
        """The first cycle's latest field note (calling the raffle at the Social Club)."""
        from hct.learning.models import FieldNote

        return FieldNote.objects.filter(cycle=self.first_cycle).order_by("-written_on").first()

    @property
    def report_run(self):
        """A finished board report of the demo partnership (made without a job)."""
        import datetime as dt

        from hct.learning.models import ReportRun

        return ReportRun.objects.get_or_create(
            partnership=self.partnership,
            kind=ReportRun.Kind.BOARD,
            period_start=dt.date(2025, 9, 1),
            period_end=dt.date(2026, 9, 1),
            defaults={"status": ReportRun.Status.DONE, "html": "<p>Report</p>", "pdf": b"%PDF-1.4"},
        )[0]

    @property
    def flexible_service(self):
        """A talking therapies waiting list described by the partner, with today's rules."""
        from tests.flexibility.helpers import describe

        return describe(self.users["partner"], self.partnership, self.first_neighbourhood)

    @property
    def flexible_scenario(self):
        """Today's rules on the demo talking therapies waiting list (not run)."""
        return self.flexible_service.versions.get().scenarios.get()

    @classmethod
    def load(cls) -> "DemoWorld":
        partnership = Partnership.objects.get(name=PARTNERSHIP_NAME)
        first_cycle = Cycle.objects.select_related("neighbourhood").get(
            partnership=partnership, number=1
        )
        other = Neighbourhood.objects.filter(cycles__isnull=True).order_by("name").first()
        users = {u.username: u for u in get_user_model().objects.all()}
        return cls(partnership, first_cycle, first_cycle.neighbourhood, other, users)
