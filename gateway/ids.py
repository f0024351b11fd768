"""Opaque GraphQL IDs: base64url of `<PROVIDER>:<Type>:<providerId>` <-> Ref."""

from __future__ import annotations

import base64
import binascii
from typing import NamedTuple

from gateway.errors import InvalidId
from gateway.settings import PROVIDER_SLUGS


class Ref(NamedTuple):
    """Where an object lives: provider slug, GraphQL type name, provider's own id."""

    provider: str
    kind: str
    id: str


def encode(ref: Ref) -> str:
    """The opaque global ID of `ref` (unpadded base64url)."""
    raw = f"{ref.provider.upper()}:{ref.kind}:{ref.id}".encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def decode(value: str, *, kind: str | tuple[str, ...] | None = None) -> Ref:
    """Decode a global ID, checking it names a known provider and, if given, a type.

    Raises InvalidId with a message fit for the client.
    """
    try:
        padded = value + "=" * (-len(value) % 4)
        raw = base64.urlsafe_b64decode(padded.encode("ascii")).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError):
        raise InvalidId(f"{value!r} is not a valid ID") from None
    provider, _, rest = raw.partition(":")
    type_name, _, provider_id = rest.partition(":")
    slug = provider.lower()
    if slug not in PROVIDER_SLUGS or not type_name or not provider_id:
        raise InvalidId(f"{value!r} is not a valid ID")
    wanted = (kind,) if isinstance(kind, str) else kind
    if wanted is not None and type_name not in wanted:
        raise InvalidId(f"ID {value!r} is a {type_name}, not a {' or '.join(wanted)}")
    return Ref(slug, type_name, provider_id)
