"""Role groups and the demo users."""

from __future__ import annotations

import secrets

from django.contrib.auth.models import Group, User

from wijkzicht.web.accounts.models import Profile
from wijkzicht.web.roles import ANALIST, BUURTTEAM, PARTNER, ROLES

DEMO_USERS = (
    # user name, role, organisation, staff (admin: the audit log)
    ("analist", ANALIST, "Gemeente Demostad, team Beleidsinformatie", True),
    ("buurtteam", BUURTTEAM, "Buurtteam Demostad", False),
    ("partner", PARTNER, "Jeugdgezondheidszorg Demostad", False),
)


def ensure_roles() -> None:
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def create_user(username: str, role: str, organisation: str, password: str,
                *, staff: bool = False) -> User:  # fmt: skip
    """Create or update a user with one role."""
    ensure_roles()
    user, _ = User.objects.get_or_create(username=username)
    user.set_password(password)
    user.is_staff = staff
    user.save()
    user.groups.set([Group.objects.get(name=role)])
    Profile.objects.update_or_create(user=user, defaults={"organisation": organisation})
    return user


def create_demo_users(password: str | None = None) -> dict[str, str]:
    """The demo users with one fresh password each (or ``password``); returns name → password."""
    out = {}
    for username, role, organisation, staff in DEMO_USERS:
        pw = password or secrets.token_urlsafe(9)
        create_user(username, role, organisation, pw, staff=staff)
        out[username] = pw
    return out
