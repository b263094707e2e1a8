from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "hct.demo"
    label = "demo"
    verbose_name = "Demo"
