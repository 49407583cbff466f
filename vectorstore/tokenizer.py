"""The model's WordPiece tokenizer, run by the ``tokenizers`` library alone.

Why not ``transformers.AutoTokenizer``: importing ``transformers`` pulls in ``torch``
(about 2.5 s and 200 MB before the first question), while the ONNX backend needs only
the Rust tokenizer that ``transformers`` wraps. This reads the same ``tokenizer.json``
and applies what ``BertTokenizerFast`` applies per call (truncation to the window with
room for [CLS]/[SEP], padding to the longest text of the batch), so the ids are the
same (checked against ``transformers`` in ``tests/test_onnx_backend.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from vectorstore.errors import ModelError

Batch = dict[str, np.ndarray]


class WordPieceTokenizer:
    """Token counts and model inputs for a sentence-transformers model folder.

    Args:
        model_dir: the folder holding ``tokenizer.json``.
        max_length: the model's window, special tokens included.
        pad_multiple: batches are padded to a multiple of this many tokens (1: to the
            longest text exactly).

    Raises:
        ModelError: no readable ``tokenizer.json`` in the folder.
    """

    def __init__(self, model_dir: str | Path, max_length: int, pad_multiple: int = 1) -> None:
        from tokenizers import Tokenizer

        path = Path(model_dir) / "tokenizer.json"
        try:
            self._spec = path.read_text(encoding="utf-8")
            self._encoder = Tokenizer.from_str(self._spec)
        except Exception as exc:  # OSError, or the library's own parse errors
            raise ModelError(f"cannot load the tokenizer {path}: {exc}") from None
        self.max_length = max_length
        self._encoder.enable_truncation(max_length=max_length)
        pad = self._encoder.padding or {}
        self._encoder.enable_padding(
            pad_id=int(pad.get("pad_id", 0)),
            pad_type_id=int(pad.get("pad_type_id", 0)),
            pad_token=str(pad.get("pad_token", "[PAD]")),
            pad_to_multiple_of=pad_multiple if pad_multiple > 1 else None,
        )  # to the longest text of each batch (the file's own setting is a fixed 128)
        self._counter_instance: Any = None

    @property
    def _counter(self) -> Any:
        """A second instance for counting: truncation and padding are state of a
        ``Tokenizer`` and counting must see neither. Built on first use (about 40 ms),
        since answering a question never counts."""
        if self._counter_instance is None:
            from tokenizers import Tokenizer

            counter = Tokenizer.from_str(self._spec)
            counter.no_truncation()
            counter.no_padding()
            self._counter_instance = counter
        return self._counter_instance

    def tokenize(self, text: str) -> list[str]:
        """The word pieces of ``text``, without [CLS]/[SEP] and without truncation."""
        return list(self._counter.encode(text, add_special_tokens=False).tokens)

    def count_many(self, texts: list[str]) -> list[int]:
        """Word-piece counts of many texts (no special tokens, no truncation), one call."""
        if not texts:
            return []
        encodings = self._counter.encode_batch(list(texts), add_special_tokens=False)
        return [len(e.ids) for e in encodings]

    def batch(self, texts: list[str]) -> Batch:
        """Model inputs for ``texts``: int64 ``input_ids``, ``attention_mask`` and
        ``token_type_ids`` of shape (len(texts), longest), truncated to the window."""
        encodings = self._encoder.encode_batch(list(texts))
        return {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
