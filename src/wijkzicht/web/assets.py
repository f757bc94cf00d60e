"""The Vega, Vega-Lite and vega-embed JavaScript, bundled by vl-convert from the installed
package — nothing comes from a CDN, so charts render offline.

The bundle is made in a short-lived child process: vl-convert starts a JavaScript runtime with
threads of its own, which do not survive a fork, and the server prepares this bundle before
gunicorn forks its workers (a worker that inherited a started runtime hangs on its first
report).
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from functools import lru_cache

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified

from wijkzicht.web.roles import public

_BUNDLE = "import sys, vl_convert; sys.stdout.buffer.write(vl_convert.javascript_bundle().encode())"


@lru_cache(maxsize=1)
def vega_bundle() -> tuple[bytes, str]:
    body = subprocess.run(  # noqa: S603 - this interpreter, a fixed program
        [sys.executable, "-c", _BUNDLE], check=True, capture_output=True, timeout=120
    ).stdout
    return body, hashlib.sha256(body).hexdigest()[:16]


@public
def vega_embed_js(request: HttpRequest) -> HttpResponse:
    body, etag = vega_bundle()
    if request.headers.get("If-None-Match") == f'"{etag}"':
        return HttpResponseNotModified()
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["ETag"] = f'"{etag}"'
    response["Cache-Control"] = "public, max-age=86400"
    return response
