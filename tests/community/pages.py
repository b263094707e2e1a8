"""Every page a community member reaches from their own home, by URL name: the plain-words test
(and, later, the 320 px browser test) walks this list, so a new community page is added here."""

COMMUNITY_PAGES = [
    "core:home",
    "people:welcome",
    "people:mine",
    "people:mine-consents",
    "matching:mine",
    "conversations:mine",
    "journeys:story-help-ask",
]
