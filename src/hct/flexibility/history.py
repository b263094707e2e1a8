"""Scenarios cited on a commitment, as entries in its history (public and private)."""

from django.urls import reverse

from hct.commitments.models import Commitment
from hct.commitments.selectors.base import Event
from hct.flexibility.present import summary
from hct.flexibility.selectors import citations_on_commitment


def commitment_events(commitment: Commitment, public: bool) -> list[Event]:
    events = []
    for citation in citations_on_commitment(commitment):
        scenario = citation.scenario
        service = scenario.description.service
        today = scenario.description.scenarios.order_by("id").first()
        text = summary(scenario, today)
        if citation.note:
            text = f"{citation.note}\n\n{text}"
        seeds = scenario.results.get("seeds", [])
        seed_text = f"seeds {seeds[0]}–{seeds[-1]}" if seeds else ""
        events.append(
            Event(
                citation.created_at.date(),
                "evidence",
                f"Waiting-list what-if cited: {service.name}, “{scenario.name}”",
                text,
                evidence=(
                    f"Simulated with {scenario.library_version}, {scenario.replications} "
                    f"replications, {seed_text}, from description version "
                    f"{scenario.description.number} ({scenario.description.sources})"
                ),
                # The scenario's own page needs sign-in: link it only on the partnership's pages.
                href="" if public else reverse("flexibility:scenario", args=[scenario.pk]),
                order=citation.pk,
            )
        )
    return events
