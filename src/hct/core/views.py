import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.forms import AuthenticationForm
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from hct.core.access import deny, public, roles_required
from hct.core.availability import log_not_ready, readiness
from hct.core.forms import GovukFormMixin
from hct.core.middleware import SIGNED_IN_AT
from hct.core.models import Job
from hct.core.navigation import sections_for
from hct.core.roles import Role
from hct.core.selectors import worker_health
from hct.core.services import audit_record


class SignInForm(GovukFormMixin, AuthenticationForm):
    error_messages = {
        # One message for a wrong name or password: it must not say which was wrong.
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is not active. Ask your facilitator or administrator.",
    }


@public
@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def sign_in(request):
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = ""
    form = SignInForm(request, data=request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            user = form.get_user()
            login(request, user)  # a new session key: no fixation
            request.session[SIGNED_IN_AT] = time.time()
            audit_record(actor=user, verb="auth.sign_in", subject=user)
            return redirect(next_url or reverse("core:home"))
        audit_record(actor=None, verb="auth.sign_in_failed")
    return render(request, "core/sign_in.html", {"form": form, "next": next_url})


@require_POST
def sign_out(request):
    audit_record(actor=request.user, verb="auth.sign_out", subject=request.user)
    logout(request)
    messages.info(request, "You have signed out.")
    return redirect("core:sign-in")


def home(request):
    sections = [s for s in sections_for(request.user, "") if s["href"] != reverse("core:home")]
    return render(request, "core/home.html", {"sections": sections})


def _job_for(request, job_id) -> Job:
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        raise Http404("No such job")
    if job.created_by_id != request.user.pk and request.user.role != Role.ADMIN:
        raise deny(request, "not your job")
    return job


def job_status(request, job_id):
    """A job's progress: the whole page, or (for htmx polling) just the progress panel."""
    job = _job_for(request, job_id)
    template = "core/_job_progress.html" if request.htmx else "core/job.html"
    response = render(request, template, {"job": job})
    if request.htmx and job.finished:
        response["HX-Trigger"] = "job-finished"
    return response


@roles_required(Role.ADMIN)
def workers(request):
    """What an administrator sees of the background workers: heartbeats, the queue, failures."""
    context = {
        "health": worker_health(),
        "beat_seconds": settings.HCT_WORKER_BEAT_SECONDS,
        "lease_seconds": settings.HCT_WORKER_LEASE_SECONDS,
    }
    return render(request, "core/workers.html", context)


def _page(template: str):
    @public
    def view(request):
        return render(request, template)

    return view


about = _page("core/about.html")
privacy = _page("core/privacy.html")
accessibility = _page("core/accessibility.html")
data_sources = _page("core/data_sources.html")


@public
@never_cache
def healthz(request):
    """The process is up and answering: reads nothing, so a load balancer's liveness probe does
    not fail (and restart servers) while the database is away."""
    return JsonResponse({"status": "ok"})


@public
@never_cache
def readyz(request):
    """Ready for traffic: the database and cache answer, no migration is waiting, and a task
    worker has reported within its lease. 503 names each check that failed."""
    checks = readiness()
    ready = all(result == "ok" for result in checks.values())
    response = JsonResponse(
        {"status": "ready" if ready else "not ready", "checks": checks},
        status=200 if ready else 503,
    )
    if not ready:
        log_not_ready(checks)
        response._has_been_logged = True  # type: ignore[attr-defined] # in one line, above
    return response
