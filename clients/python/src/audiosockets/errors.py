"""The exceptions of the package; each message names the thing at fault and what to do."""
from __future__ import annotations


class AudiosocketsError(Exception):
    """Base of every error this package raises on purpose."""


class ConfigError(AudiosocketsError, ValueError):
    """A config file or option is missing or wrong; the message names the file and the key."""


class MailmanError(AudiosocketsError):
    """The mailman refused this client for good (an ERROR that retrying would not fix), or the peer
    is not an audiosockets mailman. ``code`` is the ERROR code, or ``None``."""

    def __init__(self, message: str, code: "int | None" = None, code_name: "str | None" = None) -> None:
        super().__init__(message)
        self.code = code
        self.code_name = code_name
