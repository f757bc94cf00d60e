"""The Dutch translation: the committed .mo is the compiled .po, and English stays English."""

from __future__ import annotations

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from wijkzicht.indicators.catalogue import BY_NAME

LOCALE = Path(settings.LOCALE_PATHS[0]) / "nl" / "LC_MESSAGES"


def _catalogue(path: Path) -> dict:
    with path.open("rb") as fh:
        return dict(gettext.GNUTranslations(fh)._catalog)  # the whole catalogue


def test_the_committed_mo_is_the_compiled_po(tmp_path) -> None:
    # required, not skipped: .ci/run installs gettext
    assert shutil.which("msgfmt"), "msgfmt (GNU gettext) is needed: apt-get install gettext"
    compiled = tmp_path / "django.mo"
    subprocess.run(
        ["msgfmt", "--check", "-o", str(compiled), str(LOCALE / "django.po")], check=True
    )
    committed, fresh = _catalogue(LOCALE / "django.mo"), _catalogue(compiled)
    assert committed == fresh
    untranslated = [k for k, v in fresh.items() if k and not v]
    assert not untranslated


@pytest.mark.django_db
def test_overview_is_dutch_by_default_and_english_on_request(client) -> None:
    dutch = client.get("/").content.decode()
    assert '<html lang="nl">' in dutch
    assert "Wat valt op" in dutch and BY_NAME["jeugdhulp_0_17"].label_nl in dutch
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/").content.decode()
    assert '<html lang="en">' in english
    assert "What stands out" in english and "Main indicators" in english
    assert BY_NAME["jeugdhulp_0_17"].label_en in english
    assert "Wat valt op" not in english and BY_NAME["jeugdhulp_0_17"].label_nl not in english
    conclusions = english.split('class="conclusions"')[1].split("</ul>")[0]
    assert " than " in conclusions or "as many as" in conclusions or "the same as" in conclusions


@pytest.mark.django_db
def test_the_language_switch_sets_english(client) -> None:
    response = client.post("/taal", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert "What stands out" in client.get("/").content.decode()
