"""What a person can say yes or no to, and what each means, in plain words.

The purposes and the words a community member reads about them live side by side, so that a new
purpose cannot be added without saying, in words a child of ten could follow, what it means, who
will see what, and what changes when it is given or withdrawn. The staff pages use the short
labels; the community member's own consent page ("/me/consent/") uses the rest.
"""

from dataclasses import dataclass

from django.db import models


class Purpose(models.TextChoices):
    STORY_AT_CONVERSATION = "story_at_conversation", "Tell my story at a Big Conversation"
    SHARE_WITH_PARTNERS = "share_with_partners", "Share my story (quotes, journey) with partners"
    MATCHING = "matching", "Use my needs and offers for matching"
    CONTACT = "contact", "Contact me"


@dataclass(frozen=True)
class PlainWords:
    title: str  # the tick box's label, as the person would say it
    means: str  # what saying yes means
    who_sees: str  # who will see what
    given: str  # what the page says when they have just said yes
    withdrawn: str  # what the page says when they have just said no


PLAIN_WORDS: dict[Purpose, PlainWords] = {
    Purpose.STORY_AT_CONVERSATION: PlainWords(
        title="Tell my story at a Big Conversation",
        means=(
            "A Big Conversation is a meeting where people who live here and people who run "
            "local services talk as equals. Your story, and the steps you took to get help, "
            "can be told there."
        ),
        who_sees=(
            "Everyone at the meeting hears it. We use the name you chose, not your real name."
        ),
        given="Your story can now be told at Big Conversations.",
        withdrawn="Your story is no longer shown at Big Conversations.",
    ),
    Purpose.SHARE_WITH_PARTNERS: PlainWords(
        title="Share my story with the groups we work with",
        means=(
            "The groups we work with are the council, the NHS and local charities. They can "
            "read the words of yours we wrote down, and the steps you took to get help."
        ),
        who_sees=(
            "Their staff see the name you chose. They never see your real name, your phone "
            "number or where you live."
        ),
        given="The groups we work with can now read your story.",
        withdrawn="The groups we work with can no longer read your story.",
    ),
    Purpose.MATCHING: PlainWords(
        title="Use what I need and what I can give to find help",
        means=(
            "We look at what you need and what you can give. Then we find someone who can help "
            "you, or someone you can help."
        ),
        who_sees=(
            "Your helper sees what you need, and the person you help sees what you can give. "
            "Your facilitator sees both."
        ),
        given="We can now use what you need and what you can give to find help.",
        withdrawn="We no longer use what you need or what you can give to find help.",
    ),
    Purpose.CONTACT: PlainWords(
        title="Get in touch with me",
        means="Your facilitator can phone you, send you a text or write to you.",
        who_sees="Only your facilitator can see how to reach you.",
        given="Your facilitator can now get in touch with you.",
        withdrawn="Your facilitator will no longer get in touch with you.",
    ),
}
