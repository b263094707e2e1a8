from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "hct.directory"
    label = "directory"
    verbose_name = "Directory"

    def ready(self) -> None:
        from hct.core.navigation import Section, register
        from hct.core.roles import ALL_ROLES
        from hct.directory import jobs  # noqa: F401 - registers the import job's handler

        register(Section("Find help", "directory:find", ALL_ROLES, 30, "/directory/"))
