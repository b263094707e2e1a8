from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "hct.directory"
    label = "directory"
    verbose_name = "Directory"
