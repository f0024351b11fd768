"""Small value types shared by several object types: Address, Label, Company, Money."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from gateway import models


@strawberry.type(description="A postal address and the person or company at it.")
class Address:
    name: str | None = strawberry.field(description="Person's name.")
    company: str | None = strawberry.field(description="Company name.")
    line1: str | None = strawberry.field(description="First street line.")
    line2: str | None = strawberry.field(description="Further street lines.")
    city: str | None = strawberry.field(description="City or locality.")
    region: str | None = strawberry.field(description="State, province or region.")
    postal_code: str | None = strawberry.field(description="Postal or ZIP code.")
    country: str | None = strawberry.field(description="Country code (ISO 3166-1).")
    phone: str | None = strawberry.field(description="Phone number.")
    email: str | None = strawberry.field(description="Email address.")

    @classmethod
    def from_model(cls, model: models.Address) -> Address:
        return cls(
            name=model.name,
            company=model.company,
            line1=model.line1,
            line2=model.line2,
            city=model.city,
            region=model.region,
            postal_code=model.postal_code,
            country=model.country,
            phone=model.phone,
            email=model.email,
        )


@strawberry.type(description="A key/value label a provider keeps on an object.")
class Label:
    key: str = strawberry.field(description="Label name.")
    value: str = strawberry.field(description="Label value.")


@strawberry.type(description="A party to a purchase order or inbound shipment.")
class Company:
    name: str | None = strawberry.field(description="Company name.")
    ref: str | None = strawberry.field(
        description="The provider's or merchant's reference for the company."
    )

    @classmethod
    def from_model(cls, model: models.Company) -> Company:
        return cls(name=model.name, ref=model.ref)


@strawberry.type(description="An exact amount of money in a currency.")
class Money:
    amount: Decimal = strawberry.field(
        description="The amount, exact (a decimal string on the wire)."
    )
    currency_code: str | None = strawberry.field(
        description="ISO 4217 currency code, when the provider gives one."
    )

    @classmethod
    def from_model(cls, model: models.Money) -> Money:
        return cls(amount=model.amount, currency_code=model.currency_code)
