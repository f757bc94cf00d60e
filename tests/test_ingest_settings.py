"""Settings are declared once; docs/settings.md is generated from the declaration."""

from __future__ import annotations

from pathlib import Path

import pytest

from wijkzicht import settings

DOCS = Path(__file__).resolve().parents[1] / "docs" / "settings.md"


def test_docs_match_the_declaration():
    assert DOCS.read_text(encoding="utf-8") == settings.markdown_table(), (
        "docs/settings.md is out of date: write settings.markdown_table() to it"
    )


def test_every_setting_is_documented_with_help():
    for s in settings.SETTINGS:
        # DATABASE_URL keeps the name every deployment tool knows
        assert s.env.startswith("WIJKZICHT_") or s.env == "DATABASE_URL"
        assert s.help.strip()
        assert f"`{s.env}`" in settings.markdown_table()


def test_required_settings_exist():
    envs = {s.env for s in settings.SETTINGS}
    assert {
        "WIJKZICHT_PSEUDONYM_KEY",
        "WIJKZICHT_PSEUDONYM_KEY_FILE",
        "WIJKZICHT_IJW_XSD_DIR",
    } <= envs


def test_values_come_from_the_environment():
    s = settings.load({"WIJKZICHT_INGEST_WORKERS": "3", "WIJKZICHT_IJW_XSD_DIR": "/x"})
    assert s.ingest_workers == 3
    assert s.ijw_xsd_dir == Path("/x")
    assert settings.load({}).ingest_workers == 2


def test_bad_values_are_refused_with_the_variable_name():
    with pytest.raises(settings.SettingsError, match="WIJKZICHT_INGEST_BATCH"):
        settings.load({"WIJKZICHT_INGEST_BATCH": "many"})


def test_spark_driver_memory_is_a_jvm_size():
    assert settings.load({}).spark_driver_memory == "3g"
    assert settings.load({"WIJKZICHT_SPARK_DRIVER_MEMORY": " 12G "}).spark_driver_memory == "12g"
    for bad in ("12", "12 GB", "0g", "-1g", "1.5g"):
        with pytest.raises(settings.SettingsError, match="WIJKZICHT_SPARK_DRIVER_MEMORY"):
            settings.load({"WIJKZICHT_SPARK_DRIVER_MEMORY": bad})


def test_secret_rules(tmp_path):
    with pytest.raises(settings.SettingsError, match="WIJKZICHT_PSEUDONYM_KEY"):
        settings.load({}).secret()
    with pytest.raises(settings.SettingsError, match="16"):
        settings.load({"WIJKZICHT_PSEUDONYM_KEY": "short"}).secret()
    key_file = tmp_path / "k"
    key_file.write_text("  a-secret-from-a-file-1234 \n")
    assert (
        settings.load({"WIJKZICHT_PSEUDONYM_KEY_FILE": str(key_file)}).secret()
        == "a-secret-from-a-file-1234"
    )
    with pytest.raises(settings.SettingsError, match="both"):
        settings.load(
            {"WIJKZICHT_PSEUDONYM_KEY_FILE": str(key_file), "WIJKZICHT_PSEUDONYM_KEY": "x" * 20}
        ).secret()
    assert "a-secret" not in repr(settings.load({"WIJKZICHT_PSEUDONYM_KEY": "a-secret" * 3}))
