#!/usr/bin/env bash
# Install the segmenter and everything it needs into the current Python, from PyPI alone.
#
#   bash scripts/install.sh            # the package, its command-line tool and the train extra (pkuseg)
#   bash scripts/install.sh test       # ... plus pytest and hypothesis
#   bash scripts/install.sh test,dask  # ... plus the dask extra
#   bash scripts/install.sh typeset    # ... plus reportlab, for scripts/typeset.py (which also needs
#                                      #     apt-get install -y fonts-wqy-microhei poppler-utils; its
#                                      #     --typesetter chromium also chromium fonts-noto-cjk)
#
# `pip install .` alone installs what splitting needs; this script also installs the `train` extra:
# the pkuseg 0.0.25 sdist (whose model the word features use) imports numpy and Cython in its
# setup.py, so they come first and pkuseg builds with --no-build-isolation.
# Safe to run again: what is already installed is kept.
set -euo pipefail
cd "$(dirname "$0")/.."

py=${PYTHON:-python3}
extras=${1:-}
pip_install() {
    "$py" -m pip install -q --disable-pip-version-check --root-user-action=ignore "$@"
}

pip_install -r requirements.txt
# setup.cfg pins the same version; installing it on its own first keeps pip from building it in isolation
pip_install --no-build-isolation "pkuseg==0.0.25"
pip_install --no-build-isolation -e ".[train${extras:+,$extras}]"

# pyenv only shows a new console script once its shims are rebuilt
if command -v pyenv >/dev/null 2>&1; then
    pyenv rehash
fi
