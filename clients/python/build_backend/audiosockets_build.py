"""A PEP 517 build backend in the standard library alone, for ``pip install --no-build-isolation``
with no package index reachable.

setuptools before 70.1 (as shipped with Python 3.11's pip) cannot build a wheel without the
separate ``wheel`` package, which a machine with no index may not have. This package is pure
Python, so its wheel is only a zip of ``src/audiosockets`` with the metadata of
``pyproject.toml``'s ``[project]`` table: that is all this backend does.
"""
from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import tarfile
import zipfile
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "audiosockets"


def _project() -> Dict[str, Any]:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    try:
        import tomllib   # Python 3.11+
        return tomllib.loads(text)["project"]
    except ImportError:
        return _mini_toml_project(text)


def _mini_toml_project(text: str) -> Dict[str, Any]:
    """The few [project] keys this file uses, for Python < 3.11 (no tomllib)."""
    import ast
    out: Dict[str, Any] = {}
    section = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        m = re.match(r"^\[(.+)\]$", line)
        if m:
            section = m.group(1)
            continue
        k, _, v = line.partition("=")
        k, v = k.strip(), v.strip()
        if section == "project" and k in ("name", "version", "description", "requires-python", "dependencies",
                                          "readme"):
            out[k] = ast.literal_eval(v)
        elif section == "project.optional-dependencies":
            out.setdefault("optional-dependencies", {})[k] = ast.literal_eval(v)
        elif section == "project.scripts":
            out.setdefault("scripts", {})[k] = ast.literal_eval(v)
    return out


def _metadata() -> str:
    p = _project()
    lines = ["Metadata-Version: 2.1", f"Name: {p['name']}", f"Version: {p['version']}",
             f"Summary: {p.get('description', '')}"]
    if "requires-python" in p:
        lines.append(f"Requires-Python: {p['requires-python']}")
    lines += [f"Requires-Dist: {d}" for d in p.get("dependencies", [])]
    for extra, deps in p.get("optional-dependencies", {}).items():
        lines.append(f"Provides-Extra: {extra}")
        lines += [f'Requires-Dist: {d}; extra == "{extra}"' for d in deps]
    readme = ROOT / p.get("readme", "README.md")
    if readme.is_file():
        lines.append("Description-Content-Type: text/markdown")
        return "\n".join(lines) + "\n\n" + readme.read_text(encoding="utf-8")
    return "\n".join(lines) + "\n"


def _dist_info() -> Tuple[str, Dict[str, bytes]]:
    p = _project()
    name = f"{p['name']}-{p['version']}.dist-info"
    files = {f"{name}/METADATA": _metadata().encode(),
             f"{name}/WHEEL": b"Wheel-Version: 1.0\nGenerator: audiosockets_build\nRoot-Is-Purelib: true\n"
                              b"Tag: py3-none-any\n"}
    scripts = p.get("scripts", {})
    if scripts:
        files[f"{name}/entry_points.txt"] = ("[console_scripts]\n" + "".join(
            f"{k} = {v}\n" for k, v in scripts.items())).encode()
    return name, files


def _wheel_name() -> str:
    p = _project()
    return f"{p['name']}-{p['version']}-py3-none-any.whl"


def _write_wheel(directory: str, files: Dict[str, bytes], dist_info: str) -> str:
    records = []
    path = Path(directory) / _wheel_name()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for arc, data in sorted(files.items()):
            z.writestr(zipfile.ZipInfo(arc, date_time=(2020, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            records.append(f"{arc},sha256={digest},{len(data)}")
        records.append(f"{dist_info}/RECORD,,")
        z.writestr(zipfile.ZipInfo(f"{dist_info}/RECORD", date_time=(2020, 1, 1, 0, 0, 0)),
                   "\n".join(records) + "\n", zipfile.ZIP_DEFLATED)
    return path.name


def _package_files() -> Dict[str, bytes]:
    src = ROOT / "src"
    out = {}
    for f in sorted((src / PACKAGE).rglob("*")):
        if f.is_file() and "__pycache__" not in f.parts and not f.name.endswith((".pyc", ".pyo")):
            out[f.relative_to(src).as_posix()] = f.read_bytes()
    return out


# ---------------------------------------------------------------- PEP 517 / 660 hooks
def get_requires_for_build_wheel(config_settings: Optional[dict] = None) -> List[str]:
    return []


def get_requires_for_build_sdist(config_settings: Optional[dict] = None) -> List[str]:
    return []


def get_requires_for_build_editable(config_settings: Optional[dict] = None) -> List[str]:
    return []


def prepare_metadata_for_build_wheel(metadata_directory: str, config_settings: Optional[dict] = None) -> str:
    name, files = _dist_info()
    for arc, data in files.items():
        target = Path(metadata_directory) / arc
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return name


prepare_metadata_for_build_editable = prepare_metadata_for_build_wheel


def build_wheel(wheel_directory: str, config_settings: Optional[dict] = None,
                metadata_directory: Optional[str] = None) -> str:
    name, files = _dist_info()
    files.update(_package_files())
    return _write_wheel(wheel_directory, files, name)


def build_editable(wheel_directory: str, config_settings: Optional[dict] = None,
                   metadata_directory: Optional[str] = None) -> str:
    name, files = _dist_info()
    files[f"_{PACKAGE}_editable.pth"] = (str(ROOT / "src") + "\n").encode()
    return _write_wheel(wheel_directory, files, name)


def build_sdist(sdist_directory: str, config_settings: Optional[dict] = None) -> str:
    p = _project()
    base = f"{p['name']}-{p['version']}"
    path = Path(sdist_directory) / f"{base}.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for rel in ("pyproject.toml", "README.md", "build_backend/audiosockets_build.py"):
            tar.add(str(ROOT / rel), arcname=f"{base}/{rel}")
        for arc in _package_files():
            tar.add(str(ROOT / "src" / arc), arcname=f"{base}/src/{arc}")
        info = tarfile.TarInfo(f"{base}/PKG-INFO")
        data = _metadata().encode()
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return path.name
