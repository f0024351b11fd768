"""Shared pieces of the domain model: the base class, addresses, money, quantities."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Domain(BaseModel):
    """Base of every domain model: immutable, with the untouched provider payload."""

    model_config = ConfigDict(frozen=True)

    provider: str
    raw: dict[str, Any] = Field(default_factory=dict, repr=False)


class Value(BaseModel):
    """Base of small immutable value objects."""

    model_config = ConfigDict(frozen=True)


class Address(Value):
    """A postal address with the person or company at it."""

    name: str | None = None
    company: str | None = None
    line1: str | None = None
    line2: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None
    phone: str | None = None
    email: str | None = None


class Money(Value):
    """An amount in a currency; the amount is exact (providers send strings)."""

    amount: Decimal
    currency_code: str | None = None


class Weight(Value):
    """A weight as the provider reports it."""

    value: float
    unit: str | None = None


class Company(Value):
    """A party to a purchase order: supplier or buyer."""

    name: str | None = None
    ref: str | None = None
