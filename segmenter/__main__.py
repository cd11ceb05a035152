"""``python -m segmenter``: the ``segmenter`` command (see :mod:`segmenter.cli`)."""

import sys

from .cli import main

sys.exit(main())
