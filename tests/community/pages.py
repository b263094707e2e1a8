"""Every page a community member reaches from their own home, by URL name: the plain-words and
reading-level tests and the 320 px browser test walk this list, so a new community page is
added here. A page about one of the member's own records takes that record's id, found in the
demo by `page_args`."""

COMMUNITY_PAGES = [
    "core:home",
    "people:welcome",
    "people:mine",
    "people:mine-consents",
    "matching:mine",
    "matching:my-need-add",
    "matching:my-strength-add",
    "matching:offer-add",
    "conversations:mine",
    "journeys:story-help-ask",
    "conversations:mine-detail",
    "journeys:story",
    "journeys:detail",
    "commitments:my-campaigns",
    "commitments:my-campaign-start",
]


def page_args(url_name: str, world) -> list:
    """The ids a page of the member's own takes: Sam's, in the demo `world`."""
    if url_name == "conversations:mine-detail":
        return [world.sam.conversation_places.order_by("pk").first().conversation_id]
    if url_name == "journeys:story":
        return [world.sam_story.pk]
    if url_name == "journeys:detail":
        return [world.sam_journey.pk]
    return []
