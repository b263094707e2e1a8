from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "hct.learning"
    label = "learning"
    verbose_name = "Learning"

    def ready(self) -> None:
        from hct.core.navigation import Section, register
        from hct.core.roles import Role
        from hct.learning import (  # noqa: F401 - reports: its job
            cycle_status,
            evidence,
            method_figures,
            reports,
            themes,
        )
        from hct.learning.person_data import register_person_data
        from hct.learning.reports import sections

        register(
            Section(
                "Learning",
                "learning:home",
                frozenset({Role.FACILITATOR, Role.PARTNER, Role.BOARD}),
                80,
                "/learning/",
            )
        )
        evidence.register_builtin()
        sections.register_builtin()
        themes.register_builtin()
        register_person_data()
        method_figures.register_columns()
        method_figures.register_evidence()
        method_figures.register_sections()
        cycle_status.watch_figures()
