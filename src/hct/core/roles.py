"""The five roles of DESIGN.md, and who may see what.

A role says what kind of thing a user may see; scope (which partnership and neighbourhoods) is kept
by `partnership` memberships and checked by each app's selectors.
"""

from django.db import models


class Role(models.TextChoices):
    COMMUNITY = "community", "Community member"
    FACILITATOR = "facilitator", "Facilitator"
    PARTNER = "partner", "Partner"
    BOARD = "board", "Board member"
    ADMIN = "admin", "Administrator"


ALL_ROLES = frozenset(Role)
STAFF_ROLES = frozenset({Role.FACILITATOR, Role.PARTNER, Role.BOARD, Role.ADMIN})
PARTNERSHIP_ROLES = frozenset({Role.FACILITATOR, Role.PARTNER, Role.BOARD})
# Who may describe a service and run flexibility scenarios: read by flexibility's views and by
# the gap analysis (journeys, below flexibility), which links to starting one.
SCENARIO_WRITERS = frozenset({Role.FACILITATOR, Role.PARTNER})
