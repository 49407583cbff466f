"""Write requirements.lock and requirements-llm.lock: every transitive version, with hashes.

Why: pyproject.toml holds ranges (right for people installing the package into their own
environment), so two machines running ``make setup`` a week apart could install different
versions and give different answers. The lock files pin every package ``make setup`` /
``make setup-llm`` install to one version and one file (its sha256), so every machine of
this kind (CPython 3.11, Linux x86_64, torch 2.13.0 CPU build in /opt/wheels) installs the
same bytes.

How: pip itself resolves (``pip install --dry-run --ignore-installed --report``), run by the
venv's pip so this machine's pip config (find-links /opt/wheels, the local indexes, the
global constraints) applies exactly as it does in ``make setup``:

1. the full set ``.[dev,servers,nlp,llm]`` with torch==2.13.0;
2. the base set ``.[dev,servers,nlp]`` constrained to the full set's pins, so a package in
   both lock files has the same version in both;
3. requirements.lock = base; requirements-llm.lock = full minus base (llama-cpp-python
   compiles for ~5 min, so ``make setup-llm`` installs it in its own step).

Each file's header carries a fingerprint of pyproject.toml's requirements (``fingerprint``);
tests/test_lock.py fails when it no longer matches, i.e. when the lock is stale.

Run with the project venv's Python: ``make lock`` (``.venv/bin/python scripts/lock.py``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from urllib.request import url2pathname

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
BASE_LOCK = ROOT / "requirements.lock"
LLM_LOCK = ROOT / "requirements-llm.lock"
PROJECT = "newsqa"
BASE_EXTRAS = ("dev", "servers", "nlp")
LLM_EXTRA = "llm"
# The CPU build that lies in /opt/wheels (pip's find-links); PyPI's torch is a CUDA build.
TORCH_PIN = "torch==2.13.0"
FINGERPRINT_PREFIX = "# pyproject-fingerprint: sha256:"


@dataclass(frozen=True)
class Pin:
    """One locked package: its (normalized) name, exact version and allowed sha256 hashes."""

    name: str
    version: str
    hashes: tuple[str, ...]

    def lines(self) -> list[str]:
        return [f"{self.name}=={self.version} \\"] + [
            f"    --hash=sha256:{h}" + (" \\" if i < len(self.hashes) - 1 else "")
            for i, h in enumerate(self.hashes)
        ]


def canonical_name(name: str) -> str:
    """PEP 503 normalized name, e.g. ``llama_cpp_python`` -> ``llama-cpp-python``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def fingerprint(pyproject: Path = PYPROJECT) -> str:
    """sha256 of the canonical JSON of what the lock is resolved from.

    That is ``[project] requires-python``, ``dependencies`` and ``optional-dependencies``
    (each list sorted: order does not change a resolution). Comments, formatting and the
    rest of pyproject.toml do not count.
    """
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    inputs = {
        "requires-python": project.get("requires-python", ""),
        "dependencies": sorted(project.get("dependencies", [])),
        "optional-dependencies": {
            extra: sorted(reqs) for extra, reqs in project.get("optional-dependencies", {}).items()
        },
    }
    canonical = json.dumps(inputs, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _hashes(item: dict[str, Any]) -> tuple[str, ...]:
    """The sha256 of the archive pip chose, from the report or (file:// without one) the file."""
    info = item["download_info"]
    url: str = info["url"]
    name = item["metadata"]["name"]
    if "archive_info" not in info:
        raise SystemExit(f"lock: {name} comes from {url} (a folder or VCS checkout): cannot hash")
    archive = info["archive_info"]
    sha = archive.get("hashes", {}).get("sha256")
    if sha is None and archive.get("hash", "").startswith("sha256="):
        sha = archive["hash"].split("=", 1)[1]
    if sha is None:
        if urlparse(url).scheme != "file":
            raise SystemExit(f"lock: no sha256 for {name} ({url})")
        sha = _sha256_file(Path(url2pathname(urlparse(url).path)))
    return (sha,)


def resolve(specs: list[str], constraints: list[str]) -> dict[str, Pin]:
    """What ``pip install *specs`` would install into an empty venv, keyed by normalized name."""
    with tempfile.TemporaryDirectory(prefix="newsqa-lock-") as tmp:
        constraint_file = Path(tmp) / "constraints.txt"
        constraint_file.write_text("\n".join(constraints) + "\n", encoding="utf-8")
        report = Path(tmp) / "report.json"
        cmd = [
            sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed",
            "--quiet", "--report", str(report), "--constraint", str(constraint_file), *specs,
        ]  # fmt: skip
        done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            sys.stderr.write(done.stdout + done.stderr)
            raise SystemExit(f"lock: pip could not resolve {specs} (exit {done.returncode})")
        data = json.loads(report.read_text(encoding="utf-8"))
    pins: dict[str, Pin] = {}
    for item in data["install"]:
        name = canonical_name(item["metadata"]["name"])
        if name == PROJECT:
            continue  # installed editable by `pip install --no-deps -e .`: nothing to pin
        pins[name] = Pin(name, item["metadata"]["version"], _hashes(item))
    return pins


def _header(title: str, contents: list[str], install: str, pip_version: str, fp: str) -> str:
    return "\n".join(
        [
            f"# {title}: {contents[0]}",
            *(f"# {line}" for line in contents[1:]),
            "# Generated by scripts/lock.py (do not edit by hand). Refresh with: make lock",
            f"# Resolved by pip {pip_version} from pyproject.toml with {TORCH_PIN} (the CPU build",
            "# in /opt/wheels) for CPython 3.11 on Linux x86_64 with this machine's pip config;",
            "# each package is pinned to one version and one file (its sha256).",
            f"# Installed by: {install}",
            f"{FINGERPRINT_PREFIX}{fp}",
            "",
        ]
    )


def render(pins: dict[str, Pin], header: str) -> str:
    body = [line for name in sorted(pins) for line in pins[name].lines()]
    return header + "\n".join(body) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    # pip itself is locked too, at the version that resolves (the venv's own): `make setup`
    # installs it first, and the llm extra depends on it (`llm` requires pip).
    pip_version = version("pip")
    pip_pin = f"pip=={pip_version}"
    start = time.monotonic()
    full = resolve([f".[{','.join((*BASE_EXTRAS, LLM_EXTRA))}]", pip_pin], [TORCH_PIN])
    full_pins = [f"{p.name}=={p.version}" for p in full.values()]
    base = resolve([f".[{','.join(BASE_EXTRAS)}]", pip_pin], [TORCH_PIN, *full_pins])
    drift = {n: (p.version, full[n].version) for n, p in base.items() if full.get(n) != p}
    if drift:
        raise SystemExit(f"lock: the base set differs from the full set's pins: {drift}")
    llm = {n: p for n, p in full.items() if n not in base}
    fp = fingerprint()
    base_about = [
        "every package `make setup` installs: pip, pyproject.toml's",
        f"dependencies and the {','.join(BASE_EXTRAS)} extras.",
    ]
    base_install = f"pip install --require-hashes --no-deps -r {BASE_LOCK.name}"
    BASE_LOCK.write_text(
        render(base, _header(BASE_LOCK.name, base_about, base_install, pip_version, fp)),
        encoding="utf-8",
    )
    llm_about = [
        f"what the `{LLM_EXTRA}` extra adds on top of {BASE_LOCK.name}",
        "(make setup-llm; llama-cpp-python is an sdist compiled with the Makefile's CMAKE_ARGS).",
    ]
    llm_install = f'CMAKE_ARGS="..." pip install --require-hashes --no-deps -r {LLM_LOCK.name}'
    LLM_LOCK.write_text(
        render(llm, _header(LLM_LOCK.name, llm_about, llm_install, pip_version, fp)),
        encoding="utf-8",
    )
    took = time.monotonic() - start
    print(f"{BASE_LOCK.name}: {len(base)} packages; {LLM_LOCK.name}: {len(llm)} packages")
    print(f"resolved in {took:.0f} s with pip {pip_version}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
