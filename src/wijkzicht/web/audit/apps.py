from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "wijkzicht.web.audit"
    label = "audit"
    verbose_name = "Audit log"
