"""``MailmanSocket``: the paper's server, which here runs our Java mailman (``audiosockets.jar``).

The jar is found through the ``AUDIOSOCKETS_JAR`` environment variable, or beside the checkout
(``audiosockets-app/target/audiosockets.jar``, looked for upwards from this package and from the
working directory). Java 17 or later must be on the ``PATH`` (or in ``JAVA_HOME``).
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path
from typing import List, Optional, Sequence

from .config import PathLike, load_config
from .errors import AudiosocketsError

JAR_RELATIVE = Path("audiosockets-app") / "target" / "audiosockets.jar"


def find_jar() -> Path:
    """The mailman's jar, or :class:`AudiosocketsError` saying where it was looked for and how to get it."""
    env = os.environ.get("AUDIOSOCKETS_JAR")
    if env:
        p = Path(env)
        if not p.is_file():
            raise AudiosocketsError(f"AUDIOSOCKETS_JAR={env}: no such file; build it with `mvn -B package -DskipTests` "
                                    "in the audiosockets checkout, or unset AUDIOSOCKETS_JAR")
        return p
    looked: List[str] = []
    for start in (Path(__file__).resolve().parent, Path.cwd().resolve()):
        for d in (start, *start.parents):
            candidate = d / JAR_RELATIVE
            if candidate.is_file():
                return candidate
        looked.append(str(start))
    raise AudiosocketsError("the mailman's jar (audiosockets-app/target/audiosockets.jar) was not found above "
                            f"{' or '.join(looked)}: build it with `mvn -B package -DskipTests` in the audiosockets "
                            "checkout, or set AUDIOSOCKETS_JAR to its path")


def find_java() -> str:
    """The ``java`` command, or :class:`AudiosocketsError` saying how to get one."""
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").is_file():
        return str(Path(home) / "bin" / "java")
    java = shutil.which("java")
    if java is None:
        raise AudiosocketsError("java was not found on the PATH (nor in JAVA_HOME): the mailman needs Java 17 or "
                                "later, e.g. `apt-get install openjdk-17-jre-headless`")
    return java


class MailmanSocket:
    """``MailmanSocket("server_info.json").start()``: runs the mailman until Ctrl-C."""

    def __init__(self, config_path: Optional[PathLike] = "server_info.json", *, extra_args: Sequence[str] = ()) -> None:
        if config_path is not None:
            load_config(config_path)   # the same checks as the Java side, with the file and key named, before Java starts
        self.config_path = config_path
        self.extra_args = list(extra_args)
        self.process: Optional[subprocess.Popen] = None

    def command(self) -> List[str]:
        """The command line that runs the mailman."""
        cmd = [find_java(), "-jar", str(find_jar()), "server"]
        if self.config_path is not None:
            cmd += ["-c", str(self.config_path)]
        return cmd + self.extra_args

    def start(self) -> int:
        """Runs the mailman in the foreground (its logs on stderr) until it ends or Ctrl-C; returns its exit status."""
        self.process = subprocess.Popen(self.command())
        try:
            return self.process.wait()
        except KeyboardInterrupt:
            self.stop()
            return self.process.returncode if self.process.returncode is not None else 130

    def stop(self, timeout: float = 10.0) -> None:
        """Asks the mailman to shut down (SIGTERM: it tells its clients SHUTTING_DOWN) and waits."""
        p = self.process
        if p is None or p.poll() is not None:
            return
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
