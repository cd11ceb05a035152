"""Exceptions the library raises; ``cli.py`` turns them into one-line messages and exit codes."""

from __future__ import annotations

import os
import re

#: any lone surrogate: what Python makes of file name bytes that are not UTF-8
_SURROGATE = re.compile("[\ud800-\udfff]")


def display_name(name: str) -> str:
    """A file name (or a message holding one) as it can be printed and written as UTF-8: bytes that are not
    UTF-8 (which Python keeps as lone surrogates) become ``\\xNN`` escapes, so the GBK name ``标题.txt`` shows
    as ``\\xb1\\xea\\xcc\\xe2.txt``."""
    if _SURROGATE.search(name) is None:
        return name
    try:
        raw = os.fsencode(name)  # the bytes the file system holds
    except UnicodeEncodeError:  # a surrogate that no byte became (a name built in Python)
        raw = name.encode("utf-8", errors="surrogatepass")
    return raw.decode("utf-8", errors="backslashreplace")


class SegmenterError(Exception):
    """Base class of every error the segmenter raises on purpose."""


class InputError(SegmenterError):
    """A page cannot be read: missing, a directory, unreadable, binary or undecodable.

    Parameters
    ----------
    path : str
        The file as the user named it (``-`` for stdin); a name that is not UTF-8 is escaped by
        :func:`display_name`.
    problem : str
        What is wrong, in a few words, e.g. ``"not a text file (NUL bytes)"``.
    """

    def __init__(self, path: str, problem: str) -> None:
        self.path = display_name(str(path))
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class ModelError(SegmenterError):
    """A model file is missing, corrupt, from another version, or fails its checksum."""
