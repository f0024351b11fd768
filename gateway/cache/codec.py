"""Cached values as bytes: domain models and lists of them through pydantic's JSON."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, Generic, NamedTuple, TypeVar

from pydantic import BaseModel, TypeAdapter

M = TypeVar("M", bound=BaseModel)
V = TypeVar("V")


def dumps(value: BaseModel | Sequence[BaseModel]) -> bytes:
    """JSON of a model, or a JSON array of models (a list-valued loader's value).

    `round_trip=True` keeps every field, `raw` included, in a form that
    `model_validate_json` reads back to an equal model.
    """
    if isinstance(value, BaseModel):
        return value.model_dump_json(round_trip=True).encode()
    return b"[" + b",".join(dumps(item) for item in value) + b"]"


def loads(model_cls: type[M], data: bytes) -> M:
    """The model `dumps` encoded; pydantic's ValidationError if it does not fit."""
    return model_cls.model_validate_json(data)


def loads_list(model_cls: type[M], data: bytes) -> list[M]:
    """The list of models `dumps` encoded."""
    return _list_adapter(model_cls).validate_json(data)


@cache
def _list_adapter(model_cls: type[BaseModel]) -> TypeAdapter[list[Any]]:
    return TypeAdapter(list[model_cls])  # type: ignore[valid-type]


class Codec(NamedTuple, Generic[V]):
    """How one entity's values become bytes and back (see `cached_fetch`)."""

    encode: Callable[[V], bytes]
    decode: Callable[[bytes], V]


class SharedDecoder(Generic[M]):
    """`loads` that hands requests decoding equal bytes at once the same model.

    Thirty-two boards served from the cache at once would otherwise each hold
    their own copy of every order (its `raw` included): measured at 60% of the
    gateway's transient heap under that load, and what leaves pymalloc's arenas
    fragmented and the RSS grown after it. The models are frozen, and the
    single-flight fetch already shares one answer between requests. Values are
    weak: a model is kept only while some request still holds it, so this
    holds nothing of its own between requests and needs no bound.
    """

    def __init__(self, model_cls: type[M]) -> None:
        self.model_cls = model_cls
        # Keyed by the bytes themselves (their hash is cached in the object):
        # equal bytes decode to equal models, from whichever backend.
        self._live: weakref.WeakValueDictionary[bytes, M] = (
            weakref.WeakValueDictionary()
        )

    def __len__(self) -> int:
        return len(self._live)

    def __call__(self, data: bytes) -> M:
        found = self._live.get(data)
        if found is None:
            found = self._live[data] = loads(self.model_cls, data)
        return found


_MODEL_CODECS: dict[type[BaseModel], Codec[Any]] = {}


def model_codec(model_cls: type[M]) -> Codec[M]:
    """The codec of an entity whose value is one `model_cls`; concurrent reads
    of one cached value share its decoded model (see SharedDecoder).

    One per class for the process: loaders are made per request, and a
    decoder per request would share nothing.
    """
    codec = _MODEL_CODECS.get(model_cls)
    if codec is None:
        codec = _MODEL_CODECS[model_cls] = Codec(dumps, SharedDecoder(model_cls))
    return codec


def list_codec(model_cls: type[M]) -> Codec[list[M]]:
    """The codec of an entity whose value is a list of `model_cls`."""

    def decode(data: bytes) -> list[M]:
        return loads_list(model_cls, data)

    return Codec(dumps, decode)
