from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hct.core"
    label = "core"
    verbose_name = "Core"
