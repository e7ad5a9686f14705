"""``logging_format`` and ``logging_level`` applied through Python's ``logging``, as the paper meant them.

The settings go to the ``audiosockets`` logger, which every module of the package logs under,
so the user's own logging is left alone. If the application has configured logging already
(the root logger has handlers), only the level is set and records go to the application's
handlers.
"""
from __future__ import annotations

import logging
import sys

from .errors import ConfigError

TRACE = 5
_LEVELS = {"trace": TRACE, "debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING,
           "warn": logging.WARNING, "error": logging.ERROR, "critical": logging.CRITICAL}
LOGGER_NAME = "audiosockets"
_HANDLER_ATTR = "_audiosockets_handler"


def parse_level(level: "str | int") -> int:
    """The ``logging`` level for a ``logging_level`` value (any letter case, or a number)."""
    if isinstance(level, int):
        return level
    text = str(level).strip()
    if text.isdigit():
        return int(text)
    try:
        return _LEVELS[text.lower()]
    except KeyError:
        raise ValueError(f"unknown logging level '{level}' (expected one of trace, debug, info, warning, error, "
                         "critical)") from None


def configure(logging_format: str, logging_level: "str | int") -> logging.Logger:
    """Applies the config's logging settings to the ``audiosockets`` logger and returns it."""
    logger = logging.getLogger(LOGGER_NAME)
    try:
        logger.setLevel(parse_level(logging_level))
    except ValueError as e:
        raise ConfigError(f"logging_level: {e}") from None
    if logging.getLogger().handlers:
        return logger   # the application decides where records go
    handler = next((h for h in logger.handlers if getattr(h, _HANDLER_ATTR, False)), None)
    if handler is None:
        handler = logging.StreamHandler(sys.stderr)
        setattr(handler, _HANDLER_ATTR, True)
        logger.addHandler(handler)
        logger.propagate = False
    try:
        handler.setFormatter(logging.Formatter(logging_format))
    except (ValueError, TypeError) as e:
        raise ConfigError(f"logging_format: {e}") from None
    return logger


logging.addLevelName(TRACE, "TRACE")
