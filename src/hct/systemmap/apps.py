from django.apps import AppConfig


class SystemmapConfig(AppConfig):
    name = "hct.systemmap"
    label = "systemmap"
    verbose_name = "System map"

    def ready(self) -> None:
        from hct.people.registry import PersonData, register
        from hct.systemmap.selectors import person_actors_export

        # The people and places private to a person's record ("Sam's sister") are theirs.
        register(PersonData(key="actors", order=30, export=person_actors_export))
