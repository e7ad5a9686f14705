"""``python -m audiosockets``: see :mod:`audiosockets.cli`."""
import sys

from .cli import main

sys.exit(main())
