"""segmenter: split the text of a whole Chinese newspaper page into article records.

>>> from segmenter import split_page
>>> for article in split_page(open("page.txt", encoding="utf-8").read()):  # doctest: +SKIP
...     print(article.headline)
"""

from __future__ import annotations

__version__ = "0.1.0"

from .api import Segmenter, load_model, split_page
from .errors import InputError, ModelError, SegmenterError
from .labels import Kind, Label
from .records import Article, Block, LineRef

__all__ = [
    "Article",
    "Block",
    "InputError",
    "Kind",
    "Label",
    "LineRef",
    "ModelError",
    "Segmenter",
    "SegmenterError",
    "__version__",
    "load_model",
    "split_page",
]
