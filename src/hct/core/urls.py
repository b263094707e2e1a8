from django.urls import path

from hct.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("about/", views.about, name="about"),
    path("privacy/", views.privacy, name="privacy"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("data-sources/", views.data_sources, name="data-sources"),
    path("jobs/<uuid:job_id>/", views.job_status, name="job"),
    path("jobs/workers/", views.workers, name="workers"),
    # For load balancers and orchestrators, which expect these exact paths (no trailing slash).
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
]
