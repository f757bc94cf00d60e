from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "wijkzicht.web.api"
    label = "api"
    verbose_name = "API"
