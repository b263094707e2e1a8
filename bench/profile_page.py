"""Issue 2: the neighbourhood profile page's server time ÷ a minimal Django view's."""

from bench.harness import Figure, ms, paired_medians


def run(repeat: int = 300) -> list[Figure]:
    from django.contrib.auth import get_user_model
    from django.test import Client, override_settings

    from hct.core.middleware import SIGNED_IN_AT
    from hct.demo.services import demo_load
    from hct.partnership.models import Cycle

    demo_load(password="benchmark-demo-password")
    neighbourhood = Cycle.objects.get(number=1).neighbourhood
    client = Client()
    client.force_login(get_user_model().objects.get(username="partner"))
    session = client.session
    session[SIGNED_IN_AT] = 10**12
    session.save()
    with override_settings(ROOT_URLCONF="bench.urls", DEBUG=False):
        profile_url = f"/places/neighbourhoods/{neighbourhood.slug}/"

        def profile():
            response = client.get(profile_url)
            assert response.status_code == 200

        def minimal():
            response = client.get("/bench/minimal/")
            assert response.status_code == 200

        page, base, ratio = paired_medians(profile, minimal, repeat=repeat)
    return [
        Figure(
            f"Neighbourhood profile page ({neighbourhood.name}, {neighbourhood.lsoas.count()} LSOAs), median server time",
            ms(page),
            f"minimal signed-in Django view {ms(base)}",
            ratio,
            "≤ 3×",
        )
    ]
