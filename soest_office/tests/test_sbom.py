"""`make sbom`: a CycloneDX SBOM of the pinned runtime dependencies."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)(\[[^\]]*\])?==([^\s#]+)", line)
        if match:
            pins[match.group(1).lower()] = match.group(3)
    return pins


@pytest.fixture
def generator():
    path = Path(sys.executable).parent / "cyclonedx-py"
    if not path.exists():
        path = shutil.which("cyclonedx-py")
    if not path:
        pytest.skip("cyclonedx-bom is not installed (requirements-dev.txt)")
    return str(path)


def test_sbom_lists_every_pinned_runtime_dependency_with_its_version(generator, tmp_path):
    out = tmp_path / "sbom.json"
    subprocess.run(
        [
            generator,
            "requirements",
            "requirements.txt",
            "--pyproject",
            "pyproject.toml",
            "--output-reproducible",
            "--of",
            "JSON",
            "-o",
            str(out),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )
    bom = json.loads(out.read_text())

    assert bom["bomFormat"] == "CycloneDX"
    versions = {c["name"].lower(): c["version"] for c in bom["components"]}
    pins = _pins()
    assert versions["django"] == pins["django"]
    assert versions == pins
    purls = {c["purl"] for c in bom["components"]}
    assert f"pkg:pypi/django@{pins['django']}" in purls


def test_makefile_target_uses_the_same_generator():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^sbom:", makefile, re.M)
    assert "cyclonedx-py requirements requirements.txt" in makefile
