"""The package builds and installs with no package index and no build dependency."""
import subprocess
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HERE / "build_backend"))

import audiosockets_build  # noqa: E402


def test_pip_builds_a_wheel_that_imports_outside_the_source_tree(tmp_path):
    try:
        import pip  # noqa: F401
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-build-isolation", "--no-index", "--no-deps",
                        "-q", "-w", str(tmp_path), str(HERE)], check=True)
    except ImportError:   # no pip: the backend's own hook, as pip would call it
        audiosockets_build.build_wheel(str(tmp_path))
    [wheel] = list(tmp_path.glob("audiosockets-*-py3-none-any.whl"))
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        z.extractall(site)
    assert {"audiosockets/__init__.py", "audiosockets/utils.py", "audiosockets/py.typed"} <= names
    assert any(n.endswith(".dist-info/RECORD") for n in names)
    out = subprocess.run([sys.executable, "-c", "import audiosockets, audiosockets.utils; print(audiosockets.__file__)"],
                         cwd=tmp_path, env={"PYTHONPATH": str(site)}, capture_output=True, text=True, check=True)
    assert out.stdout.strip().startswith(str(site))


def test_the_fallback_toml_reader_agrees_with_tomllib():
    import tomllib
    text = (HERE / "pyproject.toml").read_text()
    full = tomllib.loads(text)["project"]
    mini = audiosockets_build._mini_toml_project(text)
    assert mini == {k: full[k] for k in mini} and set(mini) == set(full) - {"license"}
