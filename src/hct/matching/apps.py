from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "hct.matching"
    label = "matching"
    verbose_name = "Matching"

    def ready(self) -> None:
        from hct.core.navigation import Section, register
        from hct.core.roles import Role
        from hct.matching import jobs  # noqa: F401 - registers the matching job
        from hct.matching.person_data import register_person_data

        register(
            Section("Matching", "matching:home", frozenset({Role.FACILITATOR}), 70, "/matching/")
        )
        register(
            Section(
                "Give and get help",
                "matching:mine",
                frozenset({Role.COMMUNITY}),
                71,
                "/matching/mine/",
            )
        )
        register_person_data()
