from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "hct.conversations"
    label = "conversations"
    verbose_name = "Big Conversations"

    def ready(self) -> None:
        from hct.conversations.person_data import register_person_data
        from hct.core.navigation import Section, register
        from hct.core.roles import Role

        register(
            Section(
                "Big Conversations",
                "conversations:list",
                frozenset({Role.FACILITATOR, Role.PARTNER, Role.BOARD}),
                50,
                "/conversations/",
            )
        )
        register(
            Section(
                "Big Conversations",
                "conversations:mine",
                frozenset({Role.COMMUNITY}),
                50,
                "/conversations/mine/",
            )
        )
        register_person_data()
