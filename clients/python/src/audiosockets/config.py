"""``server_info.json``: the paper's keys and ours, checked as the Java ConfigLoader checks them.

Every key is optional; unknown keys are refused (a misspelt key would otherwise be silently
ignored), and every error names the file and the key. Tokens may also come from the environment
(``AUDIOSOCKETS_TOKEN``, ``AUDIOSOCKETS_RECORDER_TOKEN``, ``AUDIOSOCKETS_PROCESSOR_TOKEN``), which
wins over the file, as on the Java side.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Dict, Mapping, Optional, Union

from .errors import ConfigError

DEFAULT_LOGGING_FORMAT = "%(asctime)s %(levelname)-5s [%(threadName)s] %(name)s - %(message)s"

PathLike = Union[str, "os.PathLike[str]"]


@dataclass(frozen=True)
class Config:
    """The settings a client uses; defaults are the Java side's."""
    server: Optional[str] = None
    port: int = 5050
    header: int = 64
    format: str = "utf-8"
    disconnect_msg: str = "DISCONNECT"
    logging_format: str = DEFAULT_LOGGING_FORMAT
    logging_level: str = "info"
    max_frame_bytes: int = 4 * 1024 * 1024
    ack_window: int = 64
    processor_window: int = 64
    retention_seconds: float = 30.0
    retention_bytes: int = 64 * 1024 * 1024
    recorder_buffer_seconds: float = 30.0
    recorder_buffer_bytes: int = 64 * 1024 * 1024
    heartbeat_seconds: float = 5.0
    heartbeat_timeout_seconds: float = 15.0
    handshake_timeout_seconds: float = 10.0
    reconnect_seconds: float = 1.0
    token: str = ""
    recorder_token: str = ""
    processor_token: str = ""
    tls: bool = False
    tls_cert: Optional[str] = None
    tls_key: Optional[str] = None
    tls_ca: Optional[str] = None
    tls_fingerprint: Optional[str] = None
    max_connections: int = 10000
    max_streams: int = 4096
    max_processors: int = 4096
    max_unacked_bytes: int = 16 * 1024 * 1024
    retention_max_bytes: int = 0
    http_port: int = -1
    http_host: str = "127.0.0.1"
    lag_warn_seconds: float = 2.0
    origin: str = field(default="(defaults)", compare=False)

    @property
    def host(self) -> str:
        """Where clients connect: ``SERVER``, or loopback when it is unset (as the Java clients)."""
        if not self.server or self.server in ("0.0.0.0", "::"):
            return "127.0.0.1"
        return self.server

    @property
    def recorder_secret(self) -> str:
        """The token a recorder presents."""
        return self.recorder_token or self.token

    @property
    def processor_secret(self) -> str:
        """The token a processor presents."""
        return self.processor_token or self.token

    @property
    def client_tls(self) -> bool:
        """True if clients speak TLS to the mailman."""
        return self.tls or bool(self.tls_fingerprint) or bool(self.tls_ca)

    def with_options(self, **overrides: Any) -> "Config":
        """A copy with the given fields replaced (``None`` values are ignored)."""
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


def _text(v: Any) -> str:
    if not isinstance(v, str):
        raise ValueError(f"expected a string, got {_describe(v)}")
    return v


def _integer(lo: int, hi: int) -> Callable[[Any], int]:
    def check(v: Any) -> int:
        if isinstance(v, bool) or not isinstance(v, int):
            raise ValueError(f"expected an integer {lo}..{hi}, got {_describe(v)}")
        if not lo <= v <= hi:
            raise ValueError(f"expected an integer {lo}..{hi}, got {v}")
        return v
    return check


def _positive(v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or v <= 0:
        raise ValueError(f"expected a positive integer, got {_describe(v)}")
    return v


def _seconds(v: Any) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v <= 86400 * 365.0:
        raise ValueError(f"expected a number of seconds >= 0, got {_describe(v)}")
    return float(v)


def _bool(v: Any) -> bool:
    if not isinstance(v, bool):
        raise ValueError(f"expected true or false, got {_describe(v)}")
    return v


def _charset(v: Any) -> str:
    name = _text(v)
    if name.lower().replace("-", "").replace("_", "") not in ("utf8", "ascii", "usascii"):
        raise ValueError(f"'{name}' is not a supported text encoding (expected utf-8 or ascii)")
    return name


def _disconnect(v: Any) -> str:
    text = _text(v)
    if not 1 <= len(text) <= 1024:
        raise ValueError(f"expected 1 to 1024 characters, got {len(text)}")
    return text


def _level(v: Any) -> str:
    text = str(v) if isinstance(v, int) and not isinstance(v, bool) else _text(v)
    from .logs import parse_level
    parse_level(text)
    return text


def _optional_text(v: Any) -> Optional[str]:
    text = _text(v)
    return text if text.strip() else None


_INT_MAX = 2 ** 31 - 1
# key in the file -> (field of Config, checker)
KEYS: Dict[str, tuple] = {
    "SERVER": ("server", _text),
    "PORT": ("port", _integer(0, 65535)),
    "HEADER": ("header", _integer(1, _INT_MAX)),
    "FORMAT": ("format", _charset),
    "DISCONNECT_MSG": ("disconnect_msg", _disconnect),
    "logging_format": ("logging_format", _text),
    "logging_level": ("logging_level", _level),
    "MAX_FRAME_BYTES": ("max_frame_bytes", _integer(1024, 2 ** 30)),
    "ACK_WINDOW": ("ack_window", _integer(1, 65535)),
    "PROCESSOR_WINDOW": ("processor_window", _integer(1, 65535)),
    "RETENTION_SECONDS": ("retention_seconds", _seconds),
    "RETENTION_BYTES": ("retention_bytes", _positive),
    "RECORDER_BUFFER_SECONDS": ("recorder_buffer_seconds", _seconds),
    "RECORDER_BUFFER_BYTES": ("recorder_buffer_bytes", _positive),
    "HEARTBEAT_SECONDS": ("heartbeat_seconds", _seconds),
    "HEARTBEAT_TIMEOUT_SECONDS": ("heartbeat_timeout_seconds", _seconds),
    "HANDSHAKE_TIMEOUT_SECONDS": ("handshake_timeout_seconds", _seconds),
    "RECONNECT_SECONDS": ("reconnect_seconds", _seconds),
    "TOKEN": ("token", _text),
    "RECORDER_TOKEN": ("recorder_token", _text),
    "PROCESSOR_TOKEN": ("processor_token", _text),
    "TLS": ("tls", _bool),
    "TLS_CERT": ("tls_cert", _optional_text),
    "TLS_KEY": ("tls_key", _optional_text),
    "TLS_CA": ("tls_ca", _optional_text),
    "TLS_FINGERPRINT": ("tls_fingerprint", _optional_text),
    "MAX_CONNECTIONS": ("max_connections", _integer(1, _INT_MAX)),
    "MAX_STREAMS": ("max_streams", _integer(1, _INT_MAX)),
    "MAX_PROCESSORS": ("max_processors", _integer(1, _INT_MAX)),
    "MAX_UNACKED_BYTES": ("max_unacked_bytes", _positive),
    # The mailman's own settings: accepted so that one file serves the server and its clients.
    "RETENTION_MAX_BYTES": ("retention_max_bytes", _integer(0, 2 ** 63 - 1)),
    "HTTP_PORT": ("http_port", _integer(-1, 65535)),
    "HTTP_HOST": ("http_host", _text),
    "LAG_WARN_SECONDS": ("lag_warn_seconds", _seconds),
}

TOKEN_ENVIRONMENT = {"AUDIOSOCKETS_TOKEN": "token", "AUDIOSOCKETS_RECORDER_TOKEN": "recorder_token",
                     "AUDIOSOCKETS_PROCESSOR_TOKEN": "processor_token"}


def _describe(v: Any) -> str:
    kind = {str: "string", bool: "boolean", int: "number", float: "number", list: "array", dict: "object",
            type(None): "null"}.get(type(v), type(v).__name__)
    return f"{kind} {json.dumps(v)}"


def _no_duplicates(pairs: list) -> dict:
    seen: Dict[str, Any] = {}
    for k, v in pairs:
        if k in seen:
            raise ValueError(f"duplicate key '{k}'")
        seen[k] = v
    return seen


def parse_config(text: str, origin: str = "(string)", base_dir: Optional[Path] = None) -> Config:
    """Parses JSON text; ``origin`` names it in error messages. Raises :class:`ConfigError`."""
    try:
        root = json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as e:
        raise ConfigError(f"{origin}: malformed JSON at line {e.lineno}, column {e.colno}: {e.msg}") from None
    except ValueError as e:
        raise ConfigError(f"{origin}: malformed JSON: {e}") from None
    if not isinstance(root, dict):
        raise ConfigError(f'{origin}: expected a JSON object such as {{"SERVER": "127.0.0.1", "PORT": 5050}}, got '
                          + _describe(root).split(" ")[0])
    values: Dict[str, Any] = {}
    for key, value in root.items():
        if key not in KEYS:
            raise ConfigError(f"{origin}: key '{key}': unknown key (known keys: {', '.join(sorted(KEYS))})")
        name, check = KEYS[key]
        try:
            values[name] = check(value)
        except ValueError as e:
            raise ConfigError(f"{origin}: key '{key}': {e}") from None
    config = Config(origin=origin, **values)
    if config.heartbeat_timeout_seconds <= config.heartbeat_seconds and config.heartbeat_seconds > 0:
        raise ConfigError(f"{origin}: key 'HEARTBEAT_TIMEOUT_SECONDS': must be more than HEARTBEAT_SECONDS "
                          f"({config.heartbeat_seconds:g}), got {config.heartbeat_timeout_seconds:g}")
    if base_dir is not None:
        paths = {k: str(base_dir / v) for k in ("tls_cert", "tls_key", "tls_ca")
                 if (v := getattr(config, k)) is not None}
        config = replace(config, **paths)
    return config


def load_config(path: Optional[PathLike], environ: Optional[Mapping[str, str]] = None) -> Config:
    """Loads ``path`` (``None``: the defaults), then applies the token environment variables.

    Raises :class:`ConfigError` naming the file, and the key when one is at fault.
    """
    env = os.environ if environ is None else environ
    if path is None:
        config = Config()
    else:
        file = Path(path)
        try:
            text = file.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ConfigError(f"{file}: config file not found (absolute path: {file.absolute()}); pass an existing "
                              "file, or None to use the defaults") from None
        except (OSError, UnicodeDecodeError) as e:
            raise ConfigError(f"{file}: cannot read config file: {e}") from None
        config = parse_config(text, str(file), file.absolute().parent)
    tokens = {name: env[var] for var, name in TOKEN_ENVIRONMENT.items() if var in env}
    return replace(config, **tokens) if tokens else config
