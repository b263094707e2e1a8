from hct.core.roles import Role
from tests.access_rules import only

F, P, B, C = Role.FACILITATOR, Role.PARTNER, Role.BOARD, Role.COMMUNITY
READERS = [F, P, B]


def _c(demo):
    return {"pk": demo.conversation.pk}


def _c2(demo):
    return {"pk": demo.sensemaking_conversation.pk}


def _c3(demo):
    return {"pk": demo.plan_conversation.pk}


def _participant(demo):
    return {"pk": demo.conversation.pk, "participant_pk": demo.participant.pk}


def _contribution(demo):
    return {"pk": demo.conversation.pk, "contribution_pk": demo.contribution.pk}


def _item(demo):
    return {"pk": demo.sensemaking_conversation.pk, "item_pk": demo.iceberg_item.pk}


def _evidence(demo):
    return {**_item(demo), "evidence_pk": demo.evidence.pk}


def _suggestion(demo):
    return {"pk": demo.sensemaking_conversation.pk, "suggestion_pk": demo.theme_suggestion.pk}


def _action(demo):
    return {"pk": demo.plan_conversation.pk, "action_pk": demo.plan_action.pk}


def _cycle(demo):
    return {"cycle_pk": demo.first_cycle.pk}


ACCESS = {
    # Facilitators, partners and the board of the partnership read what the conversations
    # produced (partners and the board see published, suppressed figures); only facilitators
    # in scope invite, take attendance, capture, and write.
    "conversations:list": only(READERS),
    "conversations:create": only([F]),
    "conversations:detail": only(READERS, _c),
    "conversations:edit": only([F], _c),
    "conversations:ics": only(READERS, _c),
    "conversations:participants": only([F], _c),
    "conversations:reply": only([F], _participant, ok=405),
    "conversations:places": only([F], _c),
    "conversations:door": only([F], _c),
    "conversations:attend": only([F], _participant, ok=405),
    "conversations:balance": only([F], _c),
    "conversations:centre-choose": only([F], _c),
    "conversations:centre": only([F], _c),
    "conversations:contributions": only(READERS, _c),
    "conversations:contributions-csv": only([F], _c),
    "conversations:contribution-remove": only([F], _contribution, ok=405),
    "conversations:close": only([F], _c),
    "conversations:report": only(READERS, _c),
    "conversations:report-pdf": only(READERS, _c),
    "conversations:iceberg": only(READERS, _c2),
    "conversations:item": only([F], _item),
    "conversations:item-move": only([F], _item, ok=405),
    "conversations:item-vote": only([F], _item, ok=405),
    "conversations:evidence-remove": only([F], _evidence, ok=405),
    "conversations:themes-suggest": only([F], _c2, ok=405),
    "conversations:theme-accept": only([F], _suggestion),
    "conversations:theme-drop": only([F], _suggestion, ok=405),
    "conversations:vision": only(READERS, _c2),
    "conversations:vision-write": only([F], _c2),
    "conversations:plan": only(READERS, _c3),
    "conversations:plan-summary": only([F], _c3),
    "conversations:action-add": only([F], _c3),
    "conversations:action-edit": only([F], _action),
    "conversations:action-remove": only([F], _action, ok=405),
    "conversations:sensemaking": only(READERS, _cycle),
    "conversations:sensemaking-pdf": only(READERS, _cycle),
    # A community member's own pages (Sam is invited to conversation 1). Staff use theirs;
    # tests/conversations/test_member.py tries other people's conversations on each.
    "conversations:mine": only([C]),
    "conversations:mine-detail": only([C], _c),
    "conversations:mine-register": only([C], _c, ok=405),
    "conversations:mine-reply": only([C], _c, ok=405),
    "conversations:mine-ics": only([C], _c),
}
PUBLIC_VIEWS: set[str] = set()
