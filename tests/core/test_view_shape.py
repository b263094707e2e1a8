"""Every view is thin (docs/views.md): it says who may come in, which form, which service or
selector, and where to go after. Read from the source, so a new view is held to it at once.

What is checked, in every views module (`src/hct/<app>/views.py`, `<app>/views/*.py`,
`<app>/*_views.py`):

- **Length.** A view is a module-level function whose first parameter is `request`. Its
  length is the number of source lines from its first statement after the docstring to its
  last line, blank lines and comments included (decorators, the `def` line and the docstring
  are not counted). It is at most `MAX_VIEW_LINES`.
- **No queries.** A views module names no `.objects` and imports no model class (an
  enumeration or constant from a models module is fine): what a page shows comes from
  selectors, what it changes goes through services.
- **One way in for forms.** No function in a views module both reads the POST and calls
  `.is_valid()`: a posted form goes through `hct.core.formviews.form_page` / `form_posted`
  (a GET form that only filters a page, such as the map's path finder, may be read by hand).

The `KNOWN_*` sets are what was there when the rule was written and is not yet moved. They may
only shrink: a test fails when an entry no longer breaks its rule, so it is taken off.
"""

import ast
import importlib
import inspect
from pathlib import Path

import pytest
from django.db import models

SRC = Path(__file__).resolve().parents[2] / "src"
MAX_VIEW_LINES = 25

# (module, function) of views longer than MAX_VIEW_LINES, not yet split.
KNOWN_LONG: set[tuple[str, str]] = {
    ("hct.commitments.views.campaigns", "my_campaign_start"),
    ("hct.commitments.views.campaigns", "review"),
    ("hct.commitments.views.public", "public_commitment"),
    ("hct.commitments.views.staff", "commitment_report"),
    ("hct.conversations.views.iceberg", "_item_posted"),
    ("hct.conversations.views.iceberg", "board"),
    ("hct.conversations.views.meetings", "door"),
    ("hct.conversations.views.meetings", "participants"),
    ("hct.conversations.views.plan", "vision_write"),
    ("hct.conversations.views.record", "_report_context"),
    ("hct.conversations.views.record", "centre"),
    ("hct.conversations.views.record", "centre_choose"),
    ("hct.flexibility.views", "scenario_cite"),
    ("hct.flexibility.views", "scenario_create"),
    ("hct.flexibility.views", "service_create"),
    ("hct.flexibility.views", "service_import"),
    ("hct.flexibility.views", "service_revise"),
    ("hct.journeys.views.journey", "_after_edit"),
    ("hct.journeys.views.journey", "touchpoint_edit"),
    ("hct.journeys.views.transfer", "journeys_import"),
    ("hct.learning.views", "asset_add"),
    ("hct.learning.views", "map_change"),
    ("hct.learning.views", "report_list"),
    ("hct.learning.views", "wellbeing_record"),
    ("hct.partnership.views", "charter_revise"),
    ("hct.partnership.views", "cycle_detail"),
    ("hct.partnership.views", "invitation_new"),
    ("hct.partnership.views", "membership_edit"),
    ("hct.partnership.views", "membership_end"),
    ("hct.people.join_views", "join_details"),
    ("hct.people.views", "consents"),
    ("hct.people.views", "identity"),
    ("hct.people.views", "mine_consents"),
    ("hct.places.views", "where_next"),
    ("hct.systemmap.views", "_neighbourhood_page"),
    ("hct.systemmap.views", "history"),
    ("hct.systemmap.views", "map_import"),
    ("hct.systemmap.views", "snapshot_compare"),
    ("hct.systemmap.views", "snapshots"),
}
# (module, line text) of `.objects` and model-class imports in views modules, not yet moved.
KNOWN_QUERYING: set[tuple[str, str]] = {
    ("hct.commitments.views.campaigns", "import Campaign"),
    ("hct.commitments.views.public", "import Commitment"),
    ("hct.commitments.views.scrutiny", "import Commitment"),
    ("hct.commitments.views.scrutiny", "import PublicComment"),
    ("hct.commitments.views.staff", "import Commitment"),
    ("hct.conversations.views.common", "import Conversation"),
    ("hct.conversations.views.iceberg", "import IcebergItem"),
    ("hct.conversations.views.iceberg", "import ThemeSuggestion"),
    ("hct.conversations.views.meetings", "import Participant"),
    (
        "hct.conversations.views.meetings",
        "participant = Participant.objects.filter(conversation=conversation, pk=participant_pk).first()",
    ),
    ("hct.conversations.views.member", "import Participant"),
    ("hct.conversations.views.member", "import Person"),
    (
        "hct.conversations.views.plan",
        "PlanAction.objects.filter(plan__conversation=conversation, pk=action_pk)",
    ),
    (
        "hct.conversations.views.plan",
        'cycle = Cycle.objects.filter(pk=cycle_pk).select_related("partnership", "neighbourhood").first()',
    ),
    ("hct.conversations.views.plan", "import Cycle"),
    ("hct.conversations.views.plan", "import PlanAction"),
    ("hct.conversations.views.record", "contribution = Contribution.objects.filter("),
    ("hct.conversations.views.record", "import Contribution"),
    ("hct.conversations.views.record", "import Journey"),
    (
        "hct.conversations.views.record",
        'journeys = Journey.objects.filter(person__in=stories.values("person")).select_related("person")',
    ),
    ("hct.core.views", "import Job"),
    ("hct.core.views", "job = Job.objects.filter(pk=job_id).first()"),
    ("hct.flexibility.views", "Scenario.objects.filter(description__service=service).update("),
    ("hct.flexibility.views", "if not Scenario.objects.filter(pk=pk).exists():"),
    ("hct.flexibility.views", "if not Service.objects.filter(pk=pk).exists():"),
    ("hct.flexibility.views", "import Partner"),
    ("hct.flexibility.views", "import Scenario"),
    ("hct.flexibility.views", "import Service"),
    (
        "hct.flexibility.views",
        "partners = Partner.objects.filter(partnership__in=partnerships_for(request.user))",
    ),
    (
        "hct.journeys.views.analysis",
        "Neighbourhood.objects.filter(cycles__partnership__in=partnerships_for(request.user))",
    ),
    ("hct.journeys.views.analysis", "import Neighbourhood"),
    (
        "hct.journeys.views.analysis",
        "neighbourhood = Neighbourhood.objects.filter(slug=slug).first()",
    ),
    (
        "hct.journeys.views.analysis",
        "only_here = Neighbourhood.objects.filter(pk=neighbourhood.pk)",
    ),
    ("hct.journeys.views.common", "import Journey"),
    ("hct.journeys.views.common", "import Story"),
    ("hct.journeys.views.journey", 'Touchpoint.objects.select_related("actor", "journey__person")'),
    (
        "hct.journeys.views.journey",
        "analysis.gap_analysis(Journey.objects.filter(pk=journey.pk)), suppressed=False",
    ),
    ("hct.journeys.views.journey", "gap = Gap.objects.filter(journey=journey, pk=gap_pk).first()"),
    ("hct.journeys.views.journey", "import Gap"),
    ("hct.journeys.views.journey", "import Journey"),
    ("hct.journeys.views.journey", "import Touchpoint"),
    (
        "hct.journeys.views.stories",
        "help_request = StoryHelpRequest.objects.filter(person=person, pk=help_pk).first()",
    ),
    ("hct.journeys.views.stories", "import Quote"),
    ("hct.journeys.views.stories", "import StoryHelpRequest"),
    (
        "hct.journeys.views.stories",
        "quote = Quote.objects.filter(story=story, pk=quote_pk).first()",
    ),
    ("hct.journeys.views.transfer", "import Journey"),
    (
        "hct.journeys.views.transfer",
        'return _export(request, Journey.objects.filter(pk=journey.pk), f"journey-{journey.uuid}")',
    ),
    ("hct.learning.views", "ReportRun.objects.filter(partnership__in=partnerships)"),
    ("hct.learning.views", "if not Cycle.objects.filter(pk=pk).exists():"),
    ("hct.learning.views", "import Cycle"),
    ("hct.learning.views", "import Job"),
    ("hct.learning.views", "import ReportRun"),
    (
        "hct.learning.views",
        "job = Job.objects.filter(pk=run.job_id).first() if run.job_id else None",
    ),
    (
        "hct.learning.views",
        'run = ReportRun.objects.select_related("partnership").filter(pk=pk).first()',
    ),
    ("hct.partnership.views", "import CharterRevision"),
    ("hct.partnership.views", "import Cycle"),
    ("hct.partnership.views", "import Partnership"),
    ("hct.partnership.views", "partnership = Partnership.objects.get(slug=slug)"),
    ("hct.people.join_views", "import Invitation"),
    ("hct.people.join_views", "import PersonInvitation"),
    (
        "hct.people.join_views",
        "invitation = Invitation.objects.filter(pk=request.session.get(JOINING)).first()",
    ),
    (
        "hct.people.join_views",
        "link = PersonInvitation.objects.filter(invitation=invitation).first()",
    ),
    ("hct.people.views", "import Need"),
    ("hct.people.views", "import Person"),
    (
        "hct.systemmap.views",
        'for link in Link.objects.filter(pk__in=link_ids).select_related("from_actor", "to_actor")',
    ),
    ("hct.systemmap.views", "import Link"),
    ("hct.systemmap.views", "import Person"),
    (
        "hct.systemmap.views",
        "str(a.pk): a.label_for(False) for a in selectors.Actor.objects.filter(pk__in=actor_ids)",
    ),
}
# (module, function) of views binding a form by hand, not yet on hct.core.formviews.
KNOWN_HAND_FORMS: set[tuple[str, str]] = {
    ("hct.conversations.views.iceberg", "item_move"),
    ("hct.core.views", "sign_in"),
    ("hct.flexibility.views", "scenario_cite"),
    ("hct.flexibility.views", "scenario_create"),
    ("hct.flexibility.views", "service_create"),
    ("hct.flexibility.views", "service_import"),
    ("hct.flexibility.views", "service_revise"),
    ("hct.journeys.views.journey", "gap_add"),
    ("hct.journeys.views.journey", "touchpoint_add"),
    ("hct.journeys.views.journey", "touchpoint_move"),
    ("hct.journeys.views.transfer", "journeys_import"),
    ("hct.learning.views", "asset_add"),
    ("hct.learning.views", "field_note_create"),
    ("hct.learning.views", "lesson_create"),
    ("hct.learning.views", "report_list"),
    ("hct.learning.views", "wellbeing_record"),
    ("hct.partnership.views", "charter_revise"),
    ("hct.partnership.views", "cycle_detail"),
    ("hct.people.join_views", "join"),
    ("hct.people.join_views", "join_details"),
    ("hct.people.views", "need_met"),
    ("hct.systemmap.views", "map_import"),
    ("hct.systemmap.views", "snapshots"),
}


def views_modules() -> list[Path]:
    app_dirs = sorted(p for p in (SRC / "hct").iterdir() if p.is_dir())
    found: list[Path] = []
    for app in app_dirs:
        found += [app / "views.py"] if (app / "views.py").exists() else []
        found += sorted((app / "views").glob("*.py")) if (app / "views").is_dir() else []
        found += sorted(app.glob("*_views.py"))
    return found


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(SRC).with_suffix("").parts)


def parsed(path: Path) -> ast.Module:
    return ast.parse(path.read_text(), filename=str(path))


def views_in(tree: ast.Module) -> list[ast.FunctionDef]:
    return [
        node
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        and node.args.args
        and node.args.args[0].arg == "request"
    ]


def view_lines(view: ast.FunctionDef) -> int:
    body = view.body
    first = body[0]
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
        and len(body) > 1
    ):
        body = body[1:]
    return (body[-1].end_lineno or body[-1].lineno) - body[0].lineno + 1


def long_views() -> set[tuple[str, str]]:
    return {
        (module_name(path), view.name)
        for path in views_modules()
        for view in views_in(parsed(path))
        if view_lines(view) > MAX_VIEW_LINES
    }


def querying_lines() -> set[tuple[str, str]]:
    """`.objects` anywhere, and any `from … import ModelClass`, in a views module."""
    found: set[tuple[str, str]] = set()
    for path in views_modules():
        source = path.read_text().splitlines()
        for node in ast.walk(parsed(path)):
            if isinstance(node, ast.Attribute) and node.attr == "objects":
                found.add((module_name(path), source[node.lineno - 1].strip()))
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported = importlib.import_module(node.module)
                for alias in node.names:
                    value = getattr(imported, alias.name, None)
                    if inspect.isclass(value) and issubclass(value, models.Model):
                        found.add((module_name(path), f"import {alias.name}"))
    return found


def hand_forms() -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for path in views_modules():
        for function in ast.walk(parsed(path)):
            if not isinstance(function, ast.FunctionDef) or "POST" not in ast.unparse(function):
                continue
            for node in ast.walk(function):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "is_valid"
                ):
                    found.add((module_name(path), function.name))
    return found


def test_the_views_modules_are_found():
    names = {module_name(path) for path in views_modules()}
    assert {"hct.people.views", "hct.conversations.views.iceberg", "hct.people.join_views"} <= names


def test_view_lines_counts_the_body_without_its_docstring():
    tree = ast.parse(
        'def view(request):\n    """Doc\n    string."""\n    a = 1\n\n    # why\n    return a\n'
    )
    assert view_lines(views_in(tree)[0]) == 4


@pytest.mark.parametrize(
    ("found", "known", "rule"),
    [
        (long_views, KNOWN_LONG, f"views longer than {MAX_VIEW_LINES} lines"),
        (querying_lines, KNOWN_QUERYING, "views querying models (use a selector)"),
        (hand_forms, KNOWN_HAND_FORMS, "forms bound by hand (use hct.core.formviews)"),
    ],
    ids=["length", "queries", "forms"],
)
def test_views_stay_thin(found, known, rule):
    now = found()
    new = sorted(now - known)
    fixed = sorted(known - now)
    assert not new, f"{rule}: {new}"
    assert not fixed, f"no longer {rule}, take them off the KNOWN list: {fixed}"
