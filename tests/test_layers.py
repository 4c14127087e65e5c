"""The layers contract (pyproject.toml, docs/architecture.md "Layers") holds, and it would catch an upward import."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = str(Path(sys.executable).parent / "lint-imports")


def _root_packages() -> list[str]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["root_packages"]


def _lint(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # our own tool on our own tree
        [LINT_IMPORTS, "--no-cache", "--config", str(cwd / "pyproject.toml")],
        cwd=cwd,
        env={"PYTHONPATH": str(cwd), "PATH": str(Path(sys.executable).parent)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_every_app_and_lib_is_a_layer():
    apps = sorted(p.parent.name for p in ROOT.glob("*/apps.py"))
    assert set(apps) | {"config", "lib"} <= set(_root_packages())


def test_the_tree_keeps_the_layers():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_upward_import_breaks_the_contract(tmp_path):
    """A copy of the tree where units imports tasks inside a function (imports in functions count)."""
    for package in _root_packages():
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__", "*.html"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    with (tmp_path / "units" / "selectors.py").open("a") as module:
        module.write("\n\ndef _upward():\n    from tasks.models import Task\n\n    return Task\n")

    result = _lint(tmp_path)

    assert result.returncode == 1
    assert "BROKEN" in result.stdout and "units.selectors -> tasks.models" in result.stdout
