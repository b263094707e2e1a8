from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "hct.people"
    label = "people"
    verbose_name = "People"
