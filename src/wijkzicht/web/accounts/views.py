"""Login (logged in the audit log) and the purpose of use."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from wijkzicht.web.audit.log import log_access
from wijkzicht.web.roles import PURPOSES, ROLES, role_required


class LoginView(auth_views.LoginView):
    template_name = "wijkzicht/login.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        purpose = self.request.POST.get("purpose")
        if purpose in PURPOSES:
            self.request.session["purpose"] = purpose
        log_access(self.request, "login", "session", self.request.user.get_username())
        return response


@role_required(*ROLES)
@require_POST
def set_purpose(request: HttpRequest) -> HttpResponse:
    """The purpose recorded with every access to non-public data in this session."""
    purpose = request.POST.get("purpose", "")
    if purpose not in PURPOSES:
        return HttpResponseBadRequest("unknown purpose")
    request.session["purpose"] = purpose
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target)
