from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "hct.conversations"
    label = "conversations"
    verbose_name = "Big Conversations"
