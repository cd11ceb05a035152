#!/usr/bin/env python3
"""Train the line classifier and write it with its meta card: ``segmenter train`` as a script.

    python scripts/train.py                      # a new models/model-DATE.joblib: both corpora + data/pages
    python scripts/train.py --out my.joblib --pages my/pages --gold my/gold --corpus ''   # your own pages only
"""

from __future__ import annotations

import sys

from segmenter.cli import main

if __name__ == "__main__":
    sys.exit(main(["train", *sys.argv[1:]]))
