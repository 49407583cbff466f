"""The lock files (requirements.lock, requirements-llm.lock) match pyproject.toml.

``make setup`` installs exactly the lock files, so a requirement added to or changed in
pyproject.toml without ``make lock`` would silently not be installed (or be installed at a
version outside its range). These checks read files only: fast, offline.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
BASE_LOCK = ROOT / "requirements.lock"
LLM_LOCK = ROOT / "requirements-llm.lock"
LOCKS = (BASE_LOCK, LLM_LOCK)
STALE = "the lock files are stale: run `make lock` (scripts/lock.py) and commit them"
ENTRY = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?P<op>[=<>!~]=*)(?P<version>\S*)$")
HASH = re.compile(r"^--hash=sha256:[0-9a-f]{64}$")


def _load_lock_script() -> ModuleType:
    """scripts/lock.py, by path: the one fingerprint function for the script and this test."""
    spec = importlib.util.spec_from_file_location("newsqa_lock_script", ROOT / "scripts/lock.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while defining
    spec.loader.exec_module(module)
    return module


lock_script = _load_lock_script()


def _entries(path: Path) -> list[list[str]]:
    """Each requirement of a lock file as its tokens (continuation lines joined)."""
    logical: list[str] = []
    pending = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not pending and (not raw.strip() or raw.lstrip().startswith("#")):
            continue
        line = raw.rstrip()
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        logical.append(pending + line)
        pending = ""
    assert not pending, f"{path.name}: the last entry ends with a line continuation"
    return [line.split() for line in logical]


def _pins(path: Path) -> dict[str, Version]:
    pins: dict[str, Version] = {}
    for tokens in _entries(path):
        match = ENTRY.match(tokens[0])
        assert match and match["op"] == "==", f"{path.name}: {tokens[0]!r} is not name==version"
        name = canonicalize_name(match["name"])
        assert name not in pins, f"{path.name}: {name} appears twice"
        pins[name] = Version(match["version"])
    return pins


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


@pytest.mark.parametrize("path", LOCKS, ids=lambda p: p.name)
def test_lock_header_fingerprint_matches_pyproject(path: Path) -> None:
    headers = [
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith(lock_script.FINGERPRINT_PREFIX)
    ]
    assert len(headers) == 1, f"{path.name}: expected one fingerprint line, found {headers}"
    recorded = headers[0].removeprefix(lock_script.FINGERPRINT_PREFIX)
    assert recorded == lock_script.fingerprint(), (
        f"{path.name} was made from another pyproject.toml (its requirements changed); {STALE}"
    )


def test_fingerprint_ignores_order_but_not_requirements(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[project]\nrequires-python = ">=3.11"\ndependencies = ["a>=1", "b"]\n'
        '[project.optional-dependencies]\nx = ["c", "d<2"]\n',
        encoding="utf-8",
    )
    original = lock_script.fingerprint(pyproject)
    assert len(original) == 64 and int(original, 16) >= 0
    pyproject.write_text(
        '[project]\nname = "other"\ndependencies = ["b", "a>=1"]\n'
        'requires-python = ">=3.11"\n[project.optional-dependencies]\nx = ["d<2", "c"]\n',
        encoding="utf-8",
    )
    assert lock_script.fingerprint(pyproject) == original
    pyproject.write_text(
        '[project]\nrequires-python = ">=3.11"\ndependencies = ["a>=2", "b"]\n'
        '[project.optional-dependencies]\nx = ["c", "d<2"]\n',
        encoding="utf-8",
    )
    assert lock_script.fingerprint(pyproject) != original


@pytest.mark.parametrize("path", LOCKS, ids=lambda p: p.name)
def test_every_entry_is_pinned_with_a_sha256(path: Path) -> None:
    entries = _entries(path)
    assert entries, f"{path.name} has no entries"
    for tokens in entries:
        match = ENTRY.match(tokens[0])
        assert match, f"{path.name}: cannot read {tokens[0]!r}"
        assert match["op"] == "==" and match["version"], (
            f"{path.name}: {tokens[0]!r} is not pinned with =="
        )
        Version(match["version"])  # a valid version, not a wildcard
        hashes = tokens[1:]
        assert hashes, f"{path.name}: {tokens[0]} has no --hash=sha256:"
        bad = [h for h in hashes if not HASH.match(h)]
        assert not bad, f"{path.name}: {tokens[0]}: not --hash=sha256:<64 hex>: {bad}"


def test_no_package_in_both_locks_with_different_versions() -> None:
    base, llm = _pins(BASE_LOCK), _pins(LLM_LOCK)
    conflicts = {
        n: (str(base[n]), str(llm[n])) for n in base.keys() & llm.keys() if base[n] != llm[n]
    }
    assert conflicts == {}, f"versions differ between the lock files: {conflicts}; {STALE}"


def test_project_is_not_locked() -> None:
    """The project itself is installed editable (`pip install --no-deps -e .`), never pinned."""
    name = canonicalize_name(_pyproject()["name"])
    assert name not in _pins(BASE_LOCK) and name not in _pins(LLM_LOCK)


def test_torch_is_the_local_cpu_build() -> None:
    """The CPU build in /opt/wheels (``+cpu``) at scripts/lock.py's version, not PyPI's CUDA one."""
    torch = _pins(BASE_LOCK)["torch"]
    assert (torch.public, torch.local) == (lock_script.TORCH_PIN.split("==")[1], "cpu")


def _requirement_groups() -> list[tuple[str, str | None, list[str], tuple[Path, ...]]]:
    """(label, extra, requirements, the lock files that must satisfy them)."""
    project = _pyproject()
    extras: dict[str, list[str]] = project.get("optional-dependencies", {})
    assert "llm" in extras, "pyproject.toml has no llm extra: update scripts/lock.py and this test"
    groups: list[tuple[str, str | None, list[str], tuple[Path, ...]]] = [
        ("dependencies", None, project["dependencies"], (BASE_LOCK,))
    ]
    for extra, requirements in sorted(extras.items()):
        # make setup installs requirements.lock only; the llm extra is the only one that
        # may also use requirements-llm.lock (make setup-llm).
        where = LOCKS if extra == lock_script.LLM_EXTRA else (BASE_LOCK,)
        groups.append((f"extra {extra}", extra, requirements, where))
    return groups


@pytest.mark.parametrize("group", _requirement_groups(), ids=lambda g: g[0])
def test_pyproject_requirements_are_satisfied_by_the_locked_versions(
    group: tuple[str, str | None, list[str], tuple[Path, ...]],
) -> None:
    label, extra, requirements, where = group
    pins: dict[str, Version] = {}
    for path in where:
        pins.update(_pins(path))
    problems = []
    for text in requirements:
        requirement = Requirement(text)
        if requirement.marker is not None and not requirement.marker.evaluate(
            {"extra": extra or ""}
        ):
            continue  # not for this interpreter / platform
        name = canonicalize_name(requirement.name)
        if name not in pins:
            problems.append(f"{text!r}: {name} is not in {', '.join(p.name for p in where)}")
        elif not requirement.specifier.contains(pins[name], prereleases=True):
            problems.append(f"{text!r}: locked {name}=={pins[name]}")
    assert problems == [], f"pyproject.toml {label} not met by the lock: {problems}; {STALE}"


def test_extras_are_the_ones_the_lock_script_resolves() -> None:
    extras = set(_pyproject().get("optional-dependencies", {}))
    assert extras == {*lock_script.BASE_EXTRAS, lock_script.LLM_EXTRA}, (
        "pyproject.toml's extras changed: update BASE_EXTRAS / LLM_EXTRA in scripts/lock.py, "
        "then run `make lock`"
    )
