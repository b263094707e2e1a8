from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "hct.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from hct.core.navigation import Section, register
        from hct.core.roles import Role

        register(Section("People", "people:list", frozenset({Role.FACILITATOR}), 30, "/people/"))
        register(Section("My record", "people:mine", frozenset({Role.COMMUNITY}), 30, "/me/"))
        register(
            Section(
                "My consents",
                "people:mine-consents",
                frozenset({Role.COMMUNITY}),
                31,
                "/me/consent/",
            )
        )
