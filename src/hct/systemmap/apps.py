from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class SystemmapConfig(AppConfig):
    name = "hct.systemmap"
    label = "systemmap"
    verbose_name = "System map"

    def ready(self) -> None:
        from hct.core.navigation import Section
        from hct.core.navigation import register as register_section
        from hct.core.roles import Role
        from hct.people.registry import PersonData, register
        from hct.systemmap import version
        from hct.systemmap.person_data import section
        from hct.systemmap.selectors import person_actors_export

        # Any write to what the maps are drawn from drops the kept version (cascades included).
        for model in version.WATCHED:
            post_save.connect(version.on_write, sender=model, dispatch_uid=f"map-{model.__name__}")
            post_delete.connect(
                version.on_write, sender=model, dispatch_uid=f"map-del-{model.__name__}"
            )

        # The people and places private to a person's record ("Sam's sister") are theirs.
        register(PersonData(key="actors", order=30, export=person_actors_export, section=section))
        register_section(
            Section(
                "System map",
                "systemmap:home",
                frozenset({Role.FACILITATOR, Role.PARTNER, Role.BOARD}),
                47,
                "/map/",
            )
        )
