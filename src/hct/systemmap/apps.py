from django.apps import AppConfig


class SystemmapConfig(AppConfig):
    name = "hct.systemmap"
    label = "systemmap"
    verbose_name = "System map"
