from django.apps import AppConfig


class PartnershipConfig(AppConfig):
    name = "hct.partnership"
    label = "partnership"
    verbose_name = "Partnership"

    def ready(self) -> None:
        from hct.core.navigation import Section, register
        from hct.core.roles import STAFF_ROLES

        register(Section("Partnership", "partnership:list", STAFF_ROLES, 5, "/partnership/"))
