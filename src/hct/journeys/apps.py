from django.apps import AppConfig


class JourneysConfig(AppConfig):
    name = "hct.journeys"
    label = "journeys"
    verbose_name = "Journeys"
