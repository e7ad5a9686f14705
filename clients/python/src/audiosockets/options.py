"""Options shared by recorders and processors: overrides of the config file."""
from __future__ import annotations

import re
from typing import Iterable, Optional, Tuple

from . import wire
from .config import Config, load_config, PathLike
from .errors import ConfigError
from .logs import configure


def client_config(config: "PathLike | Config | None", *, host: Optional[str] = None, port: Optional[int] = None,
                  token: Optional[str] = None, tls_fingerprint: Optional[str] = None, tls_ca: Optional[str] = None,
                  logging_level: Optional[str] = None) -> Config:
    """The config file (or a :class:`Config`) with the keyword overrides applied, logging configured."""
    base = config if isinstance(config, Config) else load_config(config)
    c = base.with_options(server=host, port=port, token=token, tls_fingerprint=tls_fingerprint, tls_ca=tls_ca,
                          logging_level=logging_level)
    if token is not None:
        c = c.with_options(recorder_token="", processor_token="").with_options(token=token)
    configure(c.logging_format, c.logging_level)
    return c


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min)?\s*$")


def start_position(start: "str | float | int | None") -> Tuple[int, int]:
    """(startMode, startBackMillis) for ``resume``, ``live``, ``oldest``, seconds back (a number) or ``"10s"``."""
    if start is None:
        return wire.START_RESUME, 0
    if isinstance(start, (int, float)) and not isinstance(start, bool):
        if start < 0:
            raise ConfigError(f"start: seconds back must be >= 0, got {start}")
        return wire.START_SECONDS_BACK, int(round(start * 1000))
    text = str(start).strip().lower()
    modes = {"resume": wire.START_RESUME, "live": wire.START_LIVE, "oldest": wire.START_OLDEST}
    if text in modes:
        return modes[text], 0
    m = _DURATION.match(text)
    if m:
        scale = {"ms": 0.001, None: 1.0, "s": 1.0, "m": 60.0, "min": 60.0}[m.group(2)]
        return wire.START_SECONDS_BACK, int(round(float(m.group(1)) * scale * 1000))
    raise ConfigError(f"start: expected resume, live, oldest or a duration back such as 10s, got {start!r}")


def stream_list(streams: "str | Iterable[str] | None") -> Tuple[str, ...]:
    """The subscriptions: ``None`` for every stream, a name, a comma list or names."""
    if streams is None:
        return ()
    if isinstance(streams, str):
        streams = [s for s in streams.split(",") if s.strip()]
    names = tuple(s.strip() for s in streams)
    for s in names:
        try:
            wire.check_name("stream", s)
        except ValueError as e:
            raise ConfigError(f"streams: {e}") from None
    return names
