from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "wijkzicht.web.dashboard"
    label = "dashboard"
    verbose_name = "Dashboard"
