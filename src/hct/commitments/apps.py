from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "hct.commitments"
    label = "commitments"
    verbose_name = "Commitments"
