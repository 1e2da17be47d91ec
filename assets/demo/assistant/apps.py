import os

from django.apps import AppConfig


class AssistantConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'assistant'

    def ready(self):
        if not os.getenv('OPENAI_API_KEY'):
            print("OPENAI_API_KEY is not set, /api/chat/ will return errors")
