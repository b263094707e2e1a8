"""Reads for Big Conversations, and who may see them.

Facilitators and partners see the conversations of the cycles in their neighbourhoods (in the
partnerships they belong to); board members those of their partnerships. Only facilitators
change anything. Figures shown to partners and the board pass disclosure control (views).

One module per part of a conversation: `base` (who sees what, the balance of the room, the
story at the centre, the closing figures), `iceberg` (the board, evidence, themes), `plan` (the
vision, the plan, the cycle's sensemaking) and `member` (a community member's own places).
Everything is named here too, so callers say `selectors.balance(...)`.
"""

from hct.conversations.selectors.base import (
    WARNING_FEWER_COMMUNITY,
    WARNING_SURFACE_ONLY,
    Balance,
    Centre,
    balance,
    balances_for,
    closing_figures,
    contributions,
    conversation_get,
    conversation_list,
    conversations_visible,
    cycle_dates,
    participants,
    partnership_of,
    people_of_partnership,
    stories_to_choose,
    story_at_centre,
)
from hct.conversations.selectors.iceberg import (
    actors_by_pk,
    citable,
    evidence_choices,
    iceberg_board,
    item_evidence,
    item_get,
    item_in,
    map_actors,
    other_items,
    theme_corpus,
    theme_suggestions,
)
from hct.conversations.selectors.member import (
    MyPlace,
    my_conversations,
    my_place,
    open_to,
    people_to_invite,
)
from hct.conversations.selectors.plan import (
    PlanView,
    cycle_items,
    cycle_sensemaking,
    plan_detail,
    vision_revisions,
)
from hct.partnership.selectors import cycles_visible

__all__ = [
    "WARNING_FEWER_COMMUNITY",
    "WARNING_SURFACE_ONLY",
    "Balance",
    "Centre",
    "MyPlace",
    "PlanView",
    "actors_by_pk",
    "balance",
    "balances_for",
    "citable",
    "closing_figures",
    "contributions",
    "conversation_get",
    "conversation_list",
    "conversations_visible",
    "cycle_dates",
    "cycle_items",
    "cycle_sensemaking",
    "cycles_visible",
    "evidence_choices",
    "iceberg_board",
    "item_evidence",
    "item_get",
    "item_in",
    "map_actors",
    "my_conversations",
    "my_place",
    "open_to",
    "other_items",
    "participants",
    "partnership_of",
    "people_of_partnership",
    "people_to_invite",
    "plan_detail",
    "stories_to_choose",
    "story_at_centre",
    "theme_corpus",
    "theme_suggestions",
    "vision_revisions",
]
