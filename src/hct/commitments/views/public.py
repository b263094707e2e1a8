"""The public accountability pages: no sign-in, no person, no story text.

What was promised, by which organisation and role, by when, how far along, what is overdue, and
each organisation's record of keeping its word; with an Atom feed and open data (CSV, JSON).
"""

import csv
import json

from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.safestring import mark_safe

from hct.commitments import selectors
from hct.commitments.models import OPEN_STATUSES, Commitment
from hct.commitments.scrutiny import may_moderate
from hct.commitments.services import may_report
from hct.core.access import found, public

CACHE_SECONDS = 10 * 60  # also bounds how long a renamed organisation shows its old name


def _crumbs(*more):
    return [
        ("Home", reverse("core:home")),
        ("Keeping our word", reverse("commitments:public-index")),
        *more,
    ]


@public
def public_index(request):
    return render(
        request,
        "commitments/public/index.html",
        {
            **selectors.public_index(),
            "campaigns": list(selectors.campaigns_public()),
            "breadcrumbs": [*_crumbs()[:-1], ("Keeping our word", None)],
        },
    )


def _page_number(request) -> int:
    # Only a small whole number reaches the cache key, whatever was typed.
    value = request.GET.get("page", "1")
    return int(value) if value.isdigit() and len(value) < 6 else 1


def _show(request) -> str:
    show = request.GET.get("show", "all")
    return show if show in selectors.SHOW_CHOICES else "all"


def _cached_body(request, kind: str, subject, commitments, build, template: str) -> str:
    """The page's figures and list, rendered once per version of its commitments.

    Public pages are read far more than commitments change, and the figures aggregate every
    commitment of the place; the version (one indexed query) moves on every write and at midnight.
    """
    page_number, show = _page_number(request), _show(request)
    version = selectors.public_version(commitments)
    key = f"commitments:public:{kind}:{subject.pk}:{version}:{show}:{page_number}"
    body = cache.get(key)
    if body is None:
        context = {
            "data": build(subject, page_number=page_number, show=show),
            "show_choices": [(k, v[0]) for k, v in selectors.SHOW_CHOICES.items()],
            "open_statuses": OPEN_STATUSES,
        }
        body = render_to_string(template, context)
        cache.set(key, body, timeout=CACHE_SECONDS)
    return mark_safe(body)  # noqa: S308 (rendered by our own template, every value escaped)


@public
def public_neighbourhood(request, slug):
    neighbourhood = found(selectors.public_neighbourhood_get(slug))
    body = _cached_body(
        request,
        "neighbourhood",
        neighbourhood,
        selectors.commitments_made_in(neighbourhood),
        selectors.public_neighbourhood,
        "commitments/public/_neighbourhood_body.html",
    )
    return render(
        request,
        "commitments/public/neighbourhood.html",
        {
            "neighbourhood": neighbourhood,
            "body": body,
            "breadcrumbs": _crumbs((neighbourhood.name, None)),
        },
    )


@public
def public_organisation(request, pk):
    partner = found(selectors.public_organisation_get(pk))
    body = _cached_body(
        request,
        "organisation",
        partner,
        selectors.commitments_owned_by(partner),
        selectors.public_organisation,
        "commitments/public/_organisation_body.html",
    )
    return render(
        request,
        "commitments/public/organisation.html",
        {"partner": partner, "body": body, "breadcrumbs": _crumbs((partner.name, None))},
    )


@public
def public_commitment(request, pk):
    try:
        commitment = selectors.public_commitment(pk)
    except Commitment.DoesNotExist:
        raise Http404("No such commitment") from None
    return render(
        request,
        "commitments/public/commitment.html",
        {
            "commitment": commitment,
            "parts": selectors.commitment_parts(commitment),
            "history": selectors.history_with_feedback(commitment, public=True),
            "overdue": commitment.is_overdue(selectors.today()),
            "questions": selectors.questions(commitment),
            "can_answer": may_report(request.user, commitment),
            "can_moderate": may_moderate(request.user, commitment),
            "breadcrumbs": _crumbs(
                (
                    commitment.neighbourhood.name,
                    reverse(
                        "commitments:public-neighbourhood", args=[commitment.neighbourhood.slug]
                    ),
                ),
                (commitment.title, None),
            ),
        },
    )


class CommitmentsFeed(Feed):
    """Atom: promises made, milestones reached and status changes, newest first."""

    feed_type = Atom1Feed
    author_name = "Healthy Communities Together"

    def get_object(self, request, slug=None):
        if slug is None:
            return None
        return found(selectors.public_neighbourhood_get(slug))

    def title(self, obj):
        return f"Keeping our word: {obj.name}" if obj else "Keeping our word"

    def subtitle(self, obj):
        where = f" in {obj.name}" if obj else ""
        return f"Commitments made{where}, their milestones and progress"

    def link(self, obj):
        if obj:
            return reverse("commitments:public-neighbourhood", args=[obj.slug])
        return reverse("commitments:public-index")

    def feed_url(self, obj):
        if obj:
            return reverse("commitments:neighbourhood-feed", args=[obj.slug])
        return reverse("commitments:feed")

    def items(self, obj):
        return selectors.feed_items(obj)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.text or item.title

    def item_link(self, item):
        return reverse("commitments:public-commitment", args=[item.commitment.pk])

    def item_guid(self, item):
        return f"tag:hct,2026:{item.key}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.at

    def item_updateddate(self, item):
        return item.at

    def item_author_name(self, item):
        return item.commitment.owner.name


_feed = CommitmentsFeed()


@public
def feed(request):
    return _feed(request)


@public
def neighbourhood_feed(request, slug):
    return _feed(request, slug=slug)


class _Echo:
    def write(self, value):
        return value


@public
def open_data(request, fmt):
    if fmt not in ("csv", "json"):
        raise Http404("Open data comes as CSV or JSON")
    stamp = timezone.localdate().isoformat()
    response: HttpResponse | StreamingHttpResponse
    if fmt == "json":
        response = HttpResponse(
            json.dumps(
                {"generated_on": stamp, "commitments": list(selectors.open_data_rows())},
                ensure_ascii=False,
                indent=1,
            ),
            content_type="application/json",
        )
    else:
        writer = csv.DictWriter(_Echo(), fieldnames=selectors.OPEN_DATA_FIELDS)
        header = {name: name for name in selectors.OPEN_DATA_FIELDS}
        rows = (writer.writerow(row) for row in [header, *selectors.open_data_rows()])
        response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="commitments-{stamp}.{fmt}"'
    return response
