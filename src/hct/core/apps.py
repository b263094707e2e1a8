from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hct.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from hct.core.navigation import Section, register
        from hct.core.roles import Role

        register(Section("Background work", "core:workers", frozenset({Role.ADMIN}), 95, "/jobs/"))
