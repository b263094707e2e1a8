from django.apps import AppConfig


class JourneysConfig(AppConfig):
    name = "hct.journeys"
    label = "journeys"
    verbose_name = "Stories and journeys"

    def ready(self) -> None:
        from hct.core.navigation import Section, register
        from hct.core.roles import Role
        from hct.journeys import jobs  # noqa: F401 - registers the import job
        from hct.journeys.person_data import register_person_data

        register(
            Section(
                "Journeys",
                "journeys:list",
                frozenset({Role.FACILITATOR, Role.PARTNER}),
                40,
                "/journeys/",
            )
        )
        register(
            Section(
                "Gap analysis",
                "journeys:analysis",
                frozenset({Role.FACILITATOR, Role.PARTNER, Role.BOARD}),
                45,
                "/gap-analysis/",
            )
        )
        register_person_data()
