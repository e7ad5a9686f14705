"""audiosockets for Python: the paper's API on our mailman and protocol (PROTOCOL.md v1).

``BaseProcessorSocket`` (subclass it, override ``process_data(self, data)``), ``RecorderSocket``,
``MailmanSocket``, the pull form ``subscribe(config, stream=...)``, and
``audiosockets.utils.LogMelSpectrogram``.
"""
from .config import Config, load_config
from .errors import AudiosocketsError, ConfigError, MailmanError
from .mailman import MailmanSocket
from .processor import BaseProcessorSocket, subscribe
from .recorder import RecorderSocket
from .wire import Gap

__version__ = "0.1.0"

__all__ = ["BaseProcessorSocket", "RecorderSocket", "MailmanSocket", "subscribe", "Config", "load_config", "Gap",
           "AudiosocketsError", "ConfigError", "MailmanError", "__version__"]
