from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "hct.commitments"
    label = "commitments"
    verbose_name = "Commitments"

    def ready(self) -> None:
        from hct.core.navigation import Section, register
        from hct.core.roles import ALL_ROLES, STAFF_ROLES, Role

        register(Section("Commitments", "commitments:list", STAFF_ROLES, 60, "/commitments/"))
        # Everyone, signed in or not, can see how promises are kept; anonymous visitors find it
        # from the home page.
        register(
            Section(
                "Keeping our word",
                "commitments:public-index",
                ALL_ROLES - STAFF_ROLES,
                61,
                "/commitments/public/",
            )
        )
        register(
            Section(
                "Campaigns",
                "commitments:my-campaigns",
                frozenset({Role.COMMUNITY}),
                62,
                "/commitments/campaigns/mine/",
            )
        )
