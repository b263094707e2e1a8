from hct.core.roles import Role
from tests.access_rules import only, public

F, P, B = Role.FACILITATOR, Role.PARTNER, Role.BOARD


def _cycle(demo):
    return {"pk": demo.first_cycle.pk}


def _note(demo):
    return {"pk": demo.field_note.pk}


def _sam(demo):
    return {"person_pk": demo.sam.pk}


def _report(demo):
    return {"pk": demo.report_run.pk}


ACCESS = {
    # Lessons are read by partners and the board; field notes and writing are facilitators'.
    "learning:home": only([F, P, B]),
    "learning:cycles": only([F, P, B]),
    "learning:cycle": only([F, P, B], _cycle),
    "learning:field-note-create": only([F], _cycle),
    "learning:lesson-create": only([F], _cycle),
    "learning:field-note": only([F], _note),
    "learning:asset-add": only([F], _note),
    # Well-being answers: the person's named facilitators only (the demo facilitator is Sam's).
    "learning:wellbeing-record": only([F], _sam),
    "learning:wellbeing-withdraw": only([F], _sam, ok=405),  # POSTs
    # Published figures: facilitators, partners and the board; reports likewise.
    "learning:side-by-side": only([F, P, B]),
    "learning:map-change": only([F, P, B]),
    "learning:themes": only([F, P, B]),
    "learning:reports": only([F, P, B]),
    "learning:report": only([F, P, B], _report),
    "learning:report-pdf": only([F, P, B], _report),
    # Open data: anyone.
    "learning:open-data": public(),
    "learning:open-data-csv": public(),
    "learning:open-data-json": public(),
}
PUBLIC_VIEWS = {"learning:open-data", "learning:open-data-csv", "learning:open-data-json"}
