"""audiosockets for Python: the paper's API on our mailman and protocol (PROTOCOL.md, versions 1 and 2).

``BaseProcessorSocket`` (subclass it, override ``process_data(self, data)``, and
``process_record(self, record)`` for result streams), ``RecorderSocket``, ``MailmanSocket``,
``ResultPublisher`` (results as a stream of their own), the pull form
``subscribe(config, stream=...)``, and ``audiosockets.utils.LogMelSpectrogram``.
"""
from .config import Config, load_config
from .errors import AudiosocketsError, ConfigError, MailmanError
from .mailman import MailmanSocket
from .processor import BaseProcessorSocket, subscribe
from .publisher import ResultPublisher
from .recorder import RecorderSocket
from .records import Record
from .wire import Gap

__version__ = "0.1.0"

__all__ = ["BaseProcessorSocket", "RecorderSocket", "MailmanSocket", "ResultPublisher", "Record", "subscribe", "Config", "load_config", "Gap",
           "AudiosocketsError", "ConfigError", "MailmanError", "__version__"]
