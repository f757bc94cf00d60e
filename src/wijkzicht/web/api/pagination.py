"""Pages of a collection in HAL style: ``_links`` (self, first, prev, next, last) and
``_embedded`` in the body, the same links in a ``Link`` header (RFC 8288). Links are
path-absolute, so they stay right behind a proxy."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.utils.urls import replace_query_param


def href(request: Request, **params: object) -> str:
    url = request.get_full_path()
    for key, value in params.items():
        url = replace_query_param(url, key, value)
    return url


def paginate(request: Request, items: Sequence, key: str, number: int, size: int,
             render: Callable = lambda x: x) -> tuple[dict, dict[str, str]]:  # fmt: skip
    """``(body, headers)`` for page ``number`` of ``items``, each item through ``render``."""
    total = len(items)
    last = max(1, -(-total // size))
    if number > last:
        raise ValidationError({"pagina": [f"page {number} does not exist; the last is {last}"]})
    start = (number - 1) * size
    links = {"self": {"href": href(request, pagina=number, paginaGrootte=size)}}
    links["first"] = {"href": href(request, pagina=1, paginaGrootte=size)}
    if number > 1:
        links["prev"] = {"href": href(request, pagina=number - 1, paginaGrootte=size)}
    if number < last:
        links["next"] = {"href": href(request, pagina=number + 1, paginaGrootte=size)}
    links["last"] = {"href": href(request, pagina=last, paginaGrootte=size)}
    body = {
        "_links": links,
        "totaal": total,
        "pagina": number,
        "paginaGrootte": size,
        "paginas": last,
        "_embedded": {key: [render(x) for x in items[start : start + size]]},
    }
    header = ", ".join(f'<{v["href"]}>; rel="{k}"' for k, v in links.items() if k != "self")
    return body, {"Link": header}
