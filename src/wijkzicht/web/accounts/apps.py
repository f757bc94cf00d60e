from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "wijkzicht.web.accounts"
    label = "accounts"
    verbose_name = "Accounts"
