"""Cached values as bytes: domain models and lists of them through pydantic's JSON."""

from __future__ import annotations

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


def model_codec(model_cls: type[M]) -> Codec[M]:
    """The codec of an entity whose value is one `model_cls`."""

    def decode(data: bytes) -> M:
        return loads(model_cls, data)

    return Codec(dumps, decode)


def list_codec(model_cls: type[M]) -> Codec[list[M]]:
    """The codec of an entity whose value is a list of `model_cls`."""

    def decode(data: bytes) -> list[M]:
        return loads_list(model_cls, data)

    return Codec(dumps, decode)
