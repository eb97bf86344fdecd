"""One settings file for every command."""

from __future__ import annotations

from wikitools.config import find_settings
from wikitools.lint.config import find_config, load_config
from wikitools.sync.config import tool_config


def test_lint_and_sync_read_the_same_nearest_settings_file(tmp_path):
    (tmp_path / "wikitools.toml").write_text('wiki = "https://w.example/api.php"\n[lint]\nignore = ["S"]\n')
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text('[project]\nname = "no wikitools settings here"\n')
    settings = find_settings(project)
    assert settings.path == tmp_path / "wikitools.toml"
    assert find_config(project) == settings.path
    assert tool_config(project)["wiki"] == "https://w.example/api.php"
    assert load_config(find_config(project)).ignore == ("S",)


def test_no_settings_anywhere_is_empty(tmp_path):
    settings = find_settings(tmp_path)
    assert (settings.path, dict(settings.table)) == (None, {})
