"""Exceptions the library raises; ``cli.py`` turns them into one-line messages and exit codes."""

from __future__ import annotations


class SegmenterError(Exception):
    """Base class of every error the segmenter raises on purpose."""


class InputError(SegmenterError):
    """A page cannot be read: missing, a directory, unreadable, binary or undecodable.

    Parameters
    ----------
    path : str
        The file as the user named it (``-`` for stdin).
    problem : str
        What is wrong, in a few words, e.g. ``"not a text file (NUL bytes)"``.
    """

    def __init__(self, path: str, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class ModelError(SegmenterError):
    """A model file is missing, corrupt, from another version, or fails its checksum."""
