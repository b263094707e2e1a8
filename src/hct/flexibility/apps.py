from django.apps import AppConfig


class FlexibilityConfig(AppConfig):
    name = "hct.flexibility"
    label = "flexibility"
    verbose_name = "Flexible services"

    def ready(self) -> None:
        from hct.commitments.selectors.history import register_history_source
        from hct.core.navigation import Section, register
        from hct.core.roles import Role
        from hct.flexibility import jobs  # noqa: F401 - registers the simulation job
        from hct.flexibility.history import commitment_events

        register(
            Section(
                "Flexible services",
                "flexibility:home",
                frozenset({Role.FACILITATOR, Role.PARTNER, Role.BOARD}),
                65,
                "/flexibility/",
            )
        )
        register_history_source(commitment_events)
