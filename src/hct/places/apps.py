from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "hct.places"
    label = "places"
    verbose_name = "Places"

    def ready(self) -> None:
        from hct.core.navigation import Section, register
        from hct.core.roles import ALL_ROLES, STAFF_ROLES

        register(
            Section(
                "Neighbourhoods",
                "places:neighbourhood-list",
                ALL_ROLES,
                10,
                "/places/neighbourhoods/",
            )
        )
        register(Section("Where next", "places:where-next", STAFF_ROLES, 20, "/places/where-next/"))
