"""The import contracts of pyproject.toml hold, and they would catch a kernel that imports an
app: the linter runs on a copy of the code with such an import planted."""

import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PACKAGES = [
    "soest_office",
    "projects",
    "stakeholders",
    "news",
    "subscriptions",
    "participation",
    "meetings",
    "bench",
]


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    linter = Path(sys.executable).with_name("lint-imports")
    return subprocess.run(
        [str(linter), "--no-cache"],
        cwd=cwd,
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def copy_of_the_code(target: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package,
            target / package,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.sqlite3*", "results*.json"),
        )
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")
    return target


def test_the_contracts_hold_on_the_code_as_it_is(tmp_path):
    result = lint_imports(copy_of_the_code(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 3 kept, 0 broken." in result.stdout


def test_a_kernel_module_importing_an_app_breaks_the_contract(tmp_path):
    code = copy_of_the_code(tmp_path)
    planted = code / "soest_office" / "plugins.py"
    planted.write_text(planted.read_text() + "\nfrom projects.models import Project  # noqa\n")
    result = lint_imports(code)
    assert result.returncode != 0
    assert "The kernel (soest_office) imports no feature app BROKEN" in result.stdout
    assert "soest_office.plugins -> projects.models" in result.stdout
