"""Write an access event for the current request."""

from __future__ import annotations

from django.http import HttpRequest

from wijkzicht.web.audit.models import AccessEvent
from wijkzicht.web.roles import purpose_of, role_of


def log_access(
    request: HttpRequest, event: str, object_type: str, object_id: str = "",
    *, result: str = "success",
) -> AccessEvent:  # fmt: skip
    user = request.user
    profile = getattr(user, "profile", None) if user.is_authenticated else None
    return AccessEvent.objects.create(
        user=user.get_username() if user.is_authenticated else "(anoniem)",
        role=role_of(user),
        on_behalf_of=profile.organisation if profile else "",
        event=event,
        object_type=object_type,
        object_id=object_id[:300],
        purpose=purpose_of(request) if hasattr(request, "session") else "",
        result=result,
        path=request.get_full_path()[:500],
    )
