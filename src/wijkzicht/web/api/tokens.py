"""API tokens for analysts (DRF authtoken): ``Authorization: Token <key>``. Tokens are also
created and revoked in the admin (/beheer/, "Tokens")."""

from __future__ import annotations

from rest_framework.authtoken.models import Token

from wijkzicht.web.roles import can_see_raw


def token_for(user) -> str:
    """The API token of an analyst (created on first use). Other roles need no token: the API
    gives them the public figures without one."""
    if not can_see_raw(user):
        raise PermissionError(f"{user.get_username()} is not an analyst: API tokens are for "
                              "analysts")  # fmt: skip
    return Token.objects.get_or_create(user=user)[0].key
