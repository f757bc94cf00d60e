"""The Vega, Vega-Lite and vega-embed JavaScript, bundled by vl-convert from the installed
package — nothing comes from a CDN, so charts render offline."""

from __future__ import annotations

import hashlib
from functools import lru_cache

import vl_convert
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified

from wijkzicht.web.roles import public


@lru_cache(maxsize=1)
def vega_bundle() -> tuple[bytes, str]:
    body = vl_convert.javascript_bundle().encode("utf-8")
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
