"""One test in a real editor: headless Neovim's built-in LSP client runs ``wikitools lsp`` on a folder,
receives the diagnostics and applies a quick fix through its own code-action menu."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import in_ci

NVIM = Path(__file__).parent / "nvim"
PAGE = "'''Alpha''' links to [[Beta|Beta]] and [[Gamma]].\n\n== History ==\nText.\n"


def test_neovim_shows_diagnostics_and_applies_a_quick_fix(tmp_path: Path) -> None:
    nvim = shutil.which("nvim")
    if nvim is None:
        if in_ci():
            pytest.fail("Neovim is not installed (scripts/test installs the Debian package neovim)")
        pytest.skip("Neovim is not installed")
    folder = tmp_path / "wiki"
    folder.mkdir()
    page = folder / "Alpha.wiki"
    page.write_text(PAGE, encoding="utf-8")
    result = tmp_path / "result.txt"
    env = {
        **os.environ,
        "WIKITOOLS_LSP_CMD": f"{sys.executable} -m wikitools lsp",
        "WIKITOOLS_RESULT": str(result),
        "WIKITOOLS_FIX_CODE": "L104",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
    }
    script = f"luafile {NVIM / 'quickfix.lua'}"
    subprocess.run(
        [nvim, "--headless", "-u", str(NVIM / "init.lua"), "-c", script, str(page)],
        env=env,
        timeout=120,
        check=False,
        capture_output=True,
    )
    lines = result.read_text(encoding="utf-8").splitlines()
    assert lines[-1] == "status written", lines
    assert "diagnostic L104 0 21 the label of [[Beta|Beta]] equals its target" in lines
    assert any(line.startswith("chose Fix L104") for line in lines)
    assert page.read_text(encoding="utf-8") == PAGE.replace("[[Beta|Beta]]", "[[Beta]]")
