from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "hct.matching"
    label = "matching"
    verbose_name = "Matching"
