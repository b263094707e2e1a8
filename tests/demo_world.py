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

    @classmethod
    def load(cls) -> "DemoWorld":
        partnership = Partnership.objects.get(name=PARTNERSHIP_NAME)
        first_cycle = Cycle.objects.select_related("neighbourhood").get(
            partnership=partnership, number=1
        )
        other = Neighbourhood.objects.filter(cycles__isnull=True).order_by("name").first()
        users = {u.username: u for u in get_user_model().objects.all()}
        return cls(partnership, first_cycle, first_cycle.neighbourhood, other, users)
