"""The map pages: a neighbourhood's system and a person's, their analysis, and editing links.

Facilitators see a neighbourhood's map with the actors about one person (by kind, never by
name) and exact counts; partners and the board see it without them (a published count only)
and every count of people through disclosure control. A person's map follows `person_access`:
private names only for their named facilitators and themselves.
"""

import gzip
import hashlib
import json

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from hct.core.access import deny, roles_required
from hct.core.forms import add_service_errors
from hct.core.formviews import form_page
from hct.core.roles import Role
from hct.partnership.selectors import current_partnership, neighbourhoods_in_scope
from hct.people.models import Person
from hct.people.selectors import person_access, person_get
from hct.places.selectors import neighbourhood_get
from hct.systemmap import (
    analysis,
    exchange,
    forms,
    present,
    present_analysis,
    selectors,
    services,
)
from hct.systemmap.models import Link

READERS = (Role.FACILITATOR, Role.PARTNER, Role.BOARD)
PERSON_READERS = (Role.FACILITATOR, Role.PARTNER, Role.COMMUNITY)


def neighbourhood_for(request, slug: str):
    neighbourhood = neighbourhood_get(slug)
    if neighbourhood is None:
        raise Http404("No such neighbourhood")
    if not neighbourhoods_in_scope(request.user).filter(pk=neighbourhood.pk).exists():
        raise deny(request, "neighbourhood not in scope")
    return neighbourhood


def _exact(request) -> bool:
    return request.user.role == Role.FACILITATOR


def _whose(request):
    """Whose map of a neighbourhood the reader sees: their current partnership's (two
    partnerships working in one ward each have their own); operators see every one."""
    return current_partnership(request)


def _neighbourhood_map(request, neighbourhood):
    return selectors.neighbourhood_map(
        neighbourhood, with_personal=_exact(request), partnership=_whose(request)
    )


def _crumbs(neighbourhood=None, *more):
    start = [("Home", reverse("core:home")), ("System maps", reverse("systemmap:home"))]
    if neighbourhood is not None:
        start.append((neighbourhood.name, reverse("systemmap:map", args=[neighbourhood.slug])))
    return [*start, *more]


@roles_required(READERS)
def map_home(request):
    return render(
        request,
        "systemmap/home.html",
        {
            "neighbourhoods": neighbourhoods_in_scope(request.user).order_by("name"),
            "breadcrumbs": [("Home", reverse("core:home")), ("System maps", None)],
        },
    )


def _map_context(request, shown, *, json_url: str, focus_options) -> dict:
    return {
        "shown": shown,
        "json_url": json_url,
        "focus_options": focus_options,
        "statuses": Link.Status.choices,
        "kinds": Link.Kind.choices,
        "sectors": present.SECTOR_LABELS.items(),
        "measures": present.MEASURES.items(),
        "query": request.GET.copy(),
        "actor_columns": present.ACTOR_COLUMNS,
        "link_columns": present.LINK_COLUMNS,
    }


@roles_required(READERS)
def map_neighbourhood(request, slug):
    return _neighbourhood_page(request, neighbourhood_for(request, slug))


COUNTS_SECONDS = 10 * 60
BODY_SECONDS = 10 * 60
# The body is kept with this in place of the CSRF token, which each response fills in afresh.
CSRF_STANDIN = "hctcsrfstandin0000000000000000000000000000000000000000000000000000"


def _neighbourhood_page(request, neighbourhood, *, done: str = ""):
    """Counts and one page of each table, from aggregate queries: never the whole map, which
    the drawing fetches from map.json (built once per version of the map). The page's own part
    is the same for every reader in one role, for one version of the map and one query string:
    it is kept rendered, so a second reader costs the cache and the page around it."""
    version = selectors.map_version()
    exact = _exact(request)
    whose = _whose(request)
    measured = cache.has_key(present.measures_key(neighbourhood, exact, version, whose))
    key = "systemmap:body:{}:{}:{}".format(
        present.area_key(neighbourhood, whose),
        request.user.role,
        _digest(f"{version}:{int(measured)}:{request.GET.urlencode()}"),
    )
    body = None if done else cache.get(key)
    if body is None:
        context = _neighbourhood_context(request, neighbourhood, version, done=done)
        body = render_to_string(
            "systemmap/_map_content.html",
            {**context, "csrf_token": CSRF_STANDIN},
            request=request,
        )
        if not done:
            cache.set(key, body, timeout=BODY_SECONDS)
    body = mark_safe(body.replace(CSRF_STANDIN, get_token(request)))  # noqa: S308 (our render)
    return render(
        request,
        "systemmap/map.html",
        {
            "body": body,
            "title": f"System map: {neighbourhood.name}",
            "can_edit": exact,
            "breadcrumbs": _crumbs(None, (neighbourhood.name, None)),
        },
    )


def _kept_counts(neighbourhood, exact: bool, whose, version: str):
    """The map's counts and what was said at Big Conversations, kept per version."""
    area = present.area_key(neighbourhood, whose)
    key = f"systemmap:counts:{area}:{int(exact)}:{_digest(version)}"
    counts = cache.get(key)
    if counts is None:
        counts = selectors.map_counts(neighbourhood, with_personal=exact, partnership=whose)
        cache.set(key, counts, timeout=COUNTS_SECONDS)
    key = f"systemmap:said:{area}:{_digest(version)}"
    said = cache.get(key)
    if said is None:
        said = list(selectors.conversation_evidence(neighbourhood, partnership=whose))
        cache.set(key, said, timeout=COUNTS_SECONDS)
    return counts, said


def _focus_options(neighbourhood, exact: bool, whose, focus, shown) -> list[tuple[int, str]]:
    """The actors on this page of the table, and the one in focus if it is on another."""
    options = [(row["id"], row["label"]) for row in shown.actor_rows]
    if focus and focus not in {pk for pk, _ in options}:
        focused = selectors.map_actors(
            neighbourhood, with_personal=exact, partnership=whose
        ).filter(pk=focus)
        options = [(a.pk, a.label_for(False)) for a in focused] + options
    return options


def _neighbourhood_context(request, neighbourhood, version: str, *, done: str) -> dict:
    exact = _exact(request)
    whose = _whose(request)
    counts, said = _kept_counts(neighbourhood, exact, whose, version)
    filters = present.Filters.from_query(request.GET)
    shown = present.tables(
        neighbourhood, filters, request.GET, exact=exact, version=version, partnership=whose
    )
    large = counts.actors > present.SUMMARY_ABOVE
    json_url = reverse("systemmap:map-json", args=[neighbourhood.slug])
    if large and filters.focus:
        json_url += f"?focus={filters.focus}"
    options = _focus_options(neighbourhood, exact, whose, filters.focus, shown)
    return {
        **_map_context(request, shown, json_url=json_url, focus_options=options),
        "neighbourhood": neighbourhood,
        "counts": counts,
        "large": large,
        "said": said,
        "title": f"System map: {neighbourhood.name}",
        "can_edit": exact,
        "can_export": request.user.role in (Role.FACILITATOR, Role.PARTNER),
        "personal_shown": present.people_shown(counts.personal, exact),
        "done": done,
    }


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


JSON_SECONDS = 24 * 3600  # the version moves on every change; this only bounds the cache


def _map_json(request, key: str, build):
    """The drawing's data: gzipped once per version of the map and kept, with an ETag, so a
    second request costs the version's four counts (and a 304 when the browser has it)."""
    version = selectors.map_version()
    etag = f'"{_digest(key + version)}"'
    response: HttpResponse
    if etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponseNotModified()
        response["ETag"] = etag
        return response
    cache_key = f"systemmap:json:{_digest(key + version)}"
    body = cache.get(cache_key)
    if body is None:
        data = build(version)
        body = gzip.compress(json.dumps(data, separators=(",", ":")).encode(), compresslevel=6)
        cache.set(cache_key, body, timeout=JSON_SECONDS)
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(body, content_type="application/json")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(body), content_type="application/json")
    response["ETag"] = etag
    response["Vary"] = "Accept-Encoding, Cookie"
    return response


def _view_of(request) -> tuple[str, int | None]:
    focus = request.GET.get("focus", "")
    if focus.isdigit() and len(focus) < 12:
        return "focus", int(focus)
    view = request.GET.get("view", "")
    return (view if view in ("all", "groups") else ""), None


@roles_required(READERS)
def map_neighbourhood_json(request, slug):
    """?view=all every actor, ?view=groups the summary, ?focus=<actor> one actor's
    neighbourhood; by default the summary above SUMMARY_ABOVE actors and every actor below."""
    neighbourhood = neighbourhood_for(request, slug)
    exact = _exact(request)
    whose = _whose(request)
    view, focus = _view_of(request)

    def build(version):
        system = _neighbourhood_map(request, neighbourhood)
        present.keep_measures(neighbourhood, exact, version, present.measures(system), whose)
        if view == "focus" and focus is not None:
            return present.neighbourhood_of(system, focus, exact=exact)
        if view == "groups" or (not view and len(system.nodes) > present.SUMMARY_ABOVE):
            return present.groups(system, exact=exact)
        return present.elements(system, exact=exact)

    area = present.area_key(neighbourhood, whose)
    return _map_json(request, f"n{area}:{int(exact)}:{view}:{focus}", build)


def _person_for(request, person_pk: int):
    try:
        person = person_get(person_pk)
    except Person.DoesNotExist as error:
        raise Http404("No such person") from error
    access = person_access(request.user, person)
    if not access.sees_person:
        raise deny(request, "person not visible")
    return person, access


@roles_required(PERSON_READERS)
def map_person(request, person_pk):
    person, access = _person_for(request, person_pk)
    system = selectors.person_map(person, sees_private_names=access.sees_private_names)
    title = f"{person.alias}'s map" if access.sees_private_names else "A person's map"
    # a person's map is small: built whole, its tables not paged
    shown = present.show(system, present.Filters.from_query(request.GET), exact=_exact(request))
    return render(
        request,
        "systemmap/map.html",
        {
            **_map_context(
                request,
                shown,
                focus_options=[(n.id, n.label) for n in system.nodes],
                json_url=reverse("systemmap:person-json", args=[person.pk]),
            ),
            "person": person,
            "title": title,
            "rings_first": True,
            "can_edit": False,
            "breadcrumbs": [("Home", reverse("core:home")), (title, None)],
        },
    )


@roles_required(PERSON_READERS)
def map_person_json(request, person_pk):
    person, access = _person_for(request, person_pk)
    names = access.sees_private_names

    def build(version):
        return present.elements(selectors.person_map(person, sees_private_names=names), exact=True)

    return _map_json(request, f"p{person.pk}:{int(names)}", build)


@roles_required(READERS)
def map_analysis(request, slug):
    neighbourhood = neighbourhood_for(request, slug)
    system = _neighbourhood_map(request, neighbourhood)
    path_form = forms.PathForm(request.GET or None, actors=system.nodes)
    path = {"route": None, "reach": None}
    if path_form.is_bound and path_form.is_valid():
        data = path_form.cleaned_data
        path = present_analysis.path_shown(system, data["source"], data["target"])
    shown = present_analysis.analysis_shown(system, analysis.analyse(system), exact=_exact(request))
    return render(
        request,
        "systemmap/analysis.html",
        {
            **shown,
            **path,
            "neighbourhood": neighbourhood,
            "path_form": path_form,
            "breadcrumbs": _crumbs(neighbourhood, ("Analysis", None)),
        },
    )


# Editing: facilitators, within their scope; every edit goes through a service and is audited.


def _shared_actors(request, neighbourhood):
    actors = selectors.neighbourhood_actors(neighbourhood, _whose(request))
    return actors.filter(person__isnull=True)


def _link_in(request, neighbourhood, pk: int) -> Link:
    actors = selectors.neighbourhood_actors(neighbourhood, _whose(request))
    return get_object_or_404(
        selectors.links_of(_whose(request))
        .filter(from_actor__in=actors, to_actor__in=actors)
        .select_related("from_actor", "to_actor")
        .distinct(),
        pk=pk,
    )


@roles_required(Role.FACILITATOR)
def link_add(request, slug):
    neighbourhood = neighbourhood_for(request, slug)
    form = forms.LinkForm(request.POST or None, actors=_shared_actors(request, neighbourhood))
    return form_page(
        request,
        form,
        save=lambda data: services.link_create(
            actor=request.user, partnership=_whose(request), **data
        ),
        done="Link added",
        next_url=reverse("systemmap:map", args=[slug]),
        context={
            "title": "Add a link",
            "caption": neighbourhood.name,
            "intro": "A link someone knows of that no journey shows yet. What you say of its status "
            "stands until someone changes it.",
            "button": "Add the link",
            "breadcrumbs": _crumbs(neighbourhood, ("Add a link", None)),
        },
    )


@roles_required(Role.FACILITATOR)
def link_edit(request, slug, pk):
    neighbourhood = neighbourhood_for(request, slug)
    link = _link_in(request, neighbourhood, pk)
    form = forms.LinkChangeForm(request.POST or None, link=link)
    return form_page(
        request,
        form,
        save=lambda data: services.link_update(
            actor=request.user, link=link, **forms.LinkChangeForm.changes(data)
        ),
        done="Link changed",
        next_url=reverse("systemmap:map", args=[slug]),
        context={
            "title": "Change a link",
            "caption": f"{link.from_actor.label_for(False)} → {link.to_actor.label_for(False)}",
            "intro": "Journeys keep a link's status up to date unless you set it here; tick the last "
            "box to hand it back to them.",
            "button": "Save the link",
            "breadcrumbs": _crumbs(neighbourhood, ("Change a link", None)),
        },
    )


@roles_required(Role.FACILITATOR)
@require_POST
def link_status(request, slug, pk):
    """Change a link's status from its row in the links table. With htmx the tables come back
    in place (the page keeps its filters and the change is announced); without JavaScript it is
    an ordinary post that returns to the map."""
    neighbourhood = neighbourhood_for(request, slug)
    link = _link_in(request, neighbourhood, pk)
    status = request.POST.get("status", "")
    if status not in Link.Status.values:
        done = "Choose a status from the list"
    else:
        services.link_update(actor=request.user, link=link, status=status)
        done = (
            f"The link from {link.from_actor.label_for(False)} to "
            f"{link.to_actor.label_for(False)} is now {link.get_status_display().lower()}"
        )
    if request.htmx:
        return _neighbourhood_page(request, neighbourhood, done=done)
    if status in Link.Status.values:
        messages.success(request, done)
    else:
        messages.error(request, done)
    return redirect(reverse("systemmap:map", args=[slug]) + "#links")


@roles_required(Role.FACILITATOR)
@require_POST
def link_remove(request, slug, pk):
    neighbourhood = neighbourhood_for(request, slug)
    services.link_remove(
        actor=request.user, link=_link_in(request, neighbourhood, pk), neighbourhood=neighbourhood
    )
    messages.success(request, "Link removed")
    return redirect("systemmap:map", slug=slug)


@roles_required(Role.FACILITATOR)
def actor_add(request, slug):
    neighbourhood = neighbourhood_for(request, slug)
    form = forms.ActorForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda data: services.actor_create(
            actor=request.user, neighbourhood=neighbourhood, partnership=_whose(request), **data
        ),
        done="Actor added",
        next_url=reverse("systemmap:map", args=[slug]),
        context={
            "title": "Add an actor",
            "caption": neighbourhood.name,
            "intro": "A group, business or service in this neighbourhood's system. Family, friends "
            "and neighbours belong to a person's record: add them from their journey.",
            "button": "Add the actor",
            "breadcrumbs": _crumbs(neighbourhood, ("Add an actor", None)),
        },
    )


# Import and export


@roles_required(Role.FACILITATOR, Role.PARTNER)
def map_export(request, slug, format):
    neighbourhood = neighbourhood_for(request, slug)
    if format not in exchange.FORMATS:
        raise Http404("No such format")
    extension, media_type = exchange.FORMATS[format]
    data = exchange.map_export(
        actor=request.user, neighbourhood=neighbourhood, format=format, partnership=_whose(request)
    )
    response = HttpResponse(data, content_type=media_type)
    response["Content-Disposition"] = f'attachment; filename="{slug}-map.{extension}"'
    return response


MAX_UPLOAD = 10 * 1024 * 1024


@roles_required(Role.FACILITATOR)
def map_import(request, slug):
    neighbourhood = neighbourhood_for(request, slug)
    form = forms.MapImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_UPLOAD:
                raise exchange.ImportRefused(["The file is larger than 10 MB"])
            plan = exchange.read(upload.read(), upload.name)
            report = exchange.map_import(actor=request.user, neighbourhood=neighbourhood, plan=plan)
        except exchange.ImportRefused as refused:
            shown = refused.errors[:20]
            if len(refused.errors) > 20:
                shown.append(f"… and {len(refused.errors) - 20} more problems")
            form.add_error("file", [f"{upload.name}: {error}" for error in shown])
        else:
            messages.success(request, report.text)
            return redirect("systemmap:map", slug=slug)
    return render(
        request,
        "systemmap/import.html",
        {
            "form": form,
            "neighbourhood": neighbourhood,
            "formats": exchange.FORMATS,
            "breadcrumbs": _crumbs(neighbourhood, ("Import", None)),
        },
    )


# Snapshots and history


@roles_required(READERS)
def snapshots(request, slug):
    """The named snapshots of this map; facilitators take new ones."""
    neighbourhood = neighbourhood_for(request, slug)
    form = forms.SnapshotForm(request.POST or None)
    if request.method == "POST":
        if not _exact(request):
            raise deny(request, "only facilitators take snapshots")
        if form.is_valid():
            try:
                snapshot = services.snapshot_create(
                    actor=request.user,
                    neighbourhood=neighbourhood,
                    name=form.cleaned_data["name"],
                    partnership=_whose(request),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Snapshot “{snapshot.name}” kept")
                return redirect("systemmap:snapshots", slug=slug)
    return render(
        request,
        "systemmap/snapshots.html",
        {
            "neighbourhood": neighbourhood,
            "snapshots": selectors.snapshots_of(neighbourhood, _whose(request)).select_related(
                "created_by"
            ),
            "form": form,
            "can_edit": _exact(request),
            "breadcrumbs": _crumbs(neighbourhood, ("Snapshots", None)),
        },
    )


@roles_required(READERS)
def snapshot_compare(request, slug, pk):
    """A snapshot beside the map now, or beside another snapshot (?with=)."""
    neighbourhood = neighbourhood_for(request, slug)
    whose = _whose(request)
    kept = selectors.snapshots_of(neighbourhood, whose)
    earlier = get_object_or_404(kept, pk=pk)
    other_pk = request.GET.get("with", "")
    later = None
    if other_pk.isdigit():
        later = get_object_or_404(kept, pk=int(other_pk))
    comparison = selectors.snapshots_compare(
        earlier.data, later.data if later else selectors.snapshot_data(neighbourhood, whose)
    )
    return render(
        request,
        "systemmap/snapshot_compare.html",
        {
            "neighbourhood": neighbourhood,
            "earlier": earlier,
            "later": later,
            "comparison": comparison,
            "others": kept.exclude(pk=pk),
            "counts": [
                ("Links whose status changed", comparison.count("changed")),
                ("Links added", comparison.count("added")),
                ("Links removed", comparison.count("removed")),
            ],
            "breadcrumbs": _crumbs(
                neighbourhood,
                ("Snapshots", reverse("systemmap:snapshots", args=[slug])),
                (earlier.name, None),
            ),
        },
    )


VERBS = {
    "link.create": "Added a link",
    "link.update": "Changed a link",
    "link.mark": "A journey marked a link",
    "link.remove": "Removed a link",
    "actor.create": "Added an actor",
    "actor.update": "Changed an actor",
    "map.import": "Imported a map",
    "map.export": "Exported the map",
    "map.snapshot": "Kept a snapshot",
}


# ids the history names in its "To what" column rather than listing
HISTORY_HIDDEN = {"from_actor", "to_actor", "kind", "neighbourhood"}


@roles_required(Role.FACILITATOR)
def history(request, slug):
    neighbourhood = neighbourhood_for(request, slug)
    events = list(selectors.map_history(neighbourhood, partnership=_whose(request)))
    link_ids = [int(e.subject_id) for e in events if e.subject_type == "systemmap.link"]
    actor_ids = [int(e.subject_id) for e in events if e.subject_type == "systemmap.actor"]
    # a removed link is named from its ends, which its event keeps
    ends = [e for e in events if e.subject_type == "systemmap.link" and "from_actor" in e.details]
    actor_ids += [e.details[end] for e in ends for end in ("from_actor", "to_actor")]
    links = {
        str(link.pk): f"{link.from_actor.label_for(False)} → {link.to_actor.label_for(False)} "
        f"({link.get_kind_display()})"
        for link in Link.objects.filter(pk__in=link_ids).select_related("from_actor", "to_actor")
    }
    actors = {
        str(a.pk): a.label_for(False) for a in selectors.Actor.objects.filter(pk__in=actor_ids)
    }
    kinds = dict(Link.Kind.choices)
    for e in ends:
        if e.subject_id not in links and {e.details["from_actor"], e.details["to_actor"]} <= {
            int(pk) for pk in actors
        }:
            links[e.subject_id] = (
                f"{actors[str(e.details['from_actor'])]} → {actors[str(e.details['to_actor'])]} "
                f"({kinds.get(e.details.get('kind'), e.details.get('kind'))})"
            )
    rows = [
        {
            "at": e.at,
            "who": (e.actor.get_full_name() or e.actor.username) if e.actor else "hct",
            "role": e.actor_role,
            "what": VERBS.get(e.verb, e.verb),
            "subject": links.get(e.subject_id)
            if e.subject_type == "systemmap.link"
            else actors.get(e.subject_id)
            if e.subject_type == "systemmap.actor"
            else neighbourhood.name,
            "details": ", ".join(
                f"{k.replace('_', ' ')}: {v if not isinstance(v, list) else ', '.join(map(str, v))}"
                for k, v in e.details.items()
                if k not in HISTORY_HIDDEN
            ),
        }
        for e in events
    ]
    return render(
        request,
        "systemmap/history.html",
        {
            "neighbourhood": neighbourhood,
            "rows": rows,
            "breadcrumbs": _crumbs(neighbourhood, ("History", None)),
        },
    )


@roles_required(Role.FACILITATOR)
@require_POST
def directory_sync(request, slug):
    neighbourhood = neighbourhood_for(request, slug)
    result = services.directory_actors_sync(actor=request.user, neighbourhood=neighbourhood)
    messages.success(
        request,
        f"From the directory: {result.created} new actor{'s' if result.created != 1 else ''}, "
        f"{result.matched} matched by name, {result.already} already on the map.",
    )
    return redirect("systemmap:map", slug=slug)
