"""``wijkzicht openapi``: print the REST API's OpenAPI 3 document (``docs/openapi.json``)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import click


@click.command(
    "openapi",
    epilog="""\b
Examples:
  wijkzicht openapi > docs/openapi.json
  wijkzicht openapi --out docs/openapi.json""",
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")  # fmt: skip
def command(out: Path | None) -> None:
    """Print the OpenAPI document of /api/v1 (no store or server needed)."""
    if out is None:
        click.echo(document(), nl=False)
    else:
        out.write_text(document(), encoding="utf-8")


def document() -> str:
    """The document as committed; Django is set up here when it is not yet."""
    from django.conf import settings

    if not settings.configured:
        # the document signs nothing: a throwaway secret lets Django start without one
        os.environ.setdefault("WIJKZICHT_SECRET_KEY", secrets.token_urlsafe(48))
        from wijkzicht.web import setup

        setup()
    from wijkzicht.web.api.schema import text

    return text()


if __name__ == "__main__":  # until it is registered: python -m wijkzicht.cli.openapi
    command()
