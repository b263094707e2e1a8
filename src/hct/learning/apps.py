from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "hct.learning"
    label = "learning"
    verbose_name = "Learning"
