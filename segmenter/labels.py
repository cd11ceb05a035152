"""Fixed vocabularies: line labels and article kinds."""

from __future__ import annotations

from enum import Enum


class Label(str, Enum):
    """What a line of a page is. Values match the gold annotation format."""

    HEADLINE = "headline"
    SUBHEAD = "subhead"
    SECTION = "section"
    BYLINE = "byline"
    DATELINE = "dateline"
    BODY = "body"
    CAPTION = "caption"
    OTHER = "other"

    def __str__(self) -> str:  # json.dumps and f-strings show the plain value
        return self.value


class Kind(str, Enum):
    """What an article record is."""

    NEWS = "news"
    PHOTO = "photo"
    NOTICE = "notice"
    OTHER = "other"  # the page's leftovers: furniture that belongs to no article

    def __str__(self) -> str:
        return self.value


LABELS: tuple[str, ...] = tuple(label.value for label in Label)
#: labels whose text goes into an article's ``text``
TEXT_LABELS: frozenset[str] = frozenset({"body", "section", "caption"})
