"""Provider field paths back to the input paths a caller sent.

A provider that refuses a write names its own fields (`recipient.address.postcode`,
`orderItems[0].quantityUOM`, `must_arrive_date`). The caller sent ours
(`recipient.postalCode`, `lines.0.unitOfMeasure`, `expectedArrival`). Each write
of an adapter runs under `translated(FIELDS)`, so the Rejected it raises carries
`input_paths`: one (path, message) per provider field error, path None where no
rule matches (the message still reaches the caller).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from gateway.errors import Rejected

InputPath = tuple[str, ...]


class FieldMap:
    """Ordered rules `(provider regex, input template)`; the first match wins.

    Templates name regex groups as `{1}`, `{2}`: `(r"lines\\[(\\d+)\\]\\.sku",
    "lines.{1}.sku")`. A provider path is normalised first: `a[0].b` -> `a.0.b`.
    """

    def __init__(self, rules: Sequence[tuple[str, str]]) -> None:
        self.rules = [(re.compile(pattern), template) for pattern, template in rules]

    def path(self, provider_field: str) -> InputPath | None:
        normal = re.sub(r"\[(\d+)\]", r".\1", provider_field).strip(".")
        for pattern, template in self.rules:
            match = pattern.fullmatch(normal)
            if match is not None:
                filled = template.format(None, *match.groups())
                return tuple(part for part in filled.split(".") if part)
        return None

    def translate(self, exc: Rejected) -> Rejected:
        """`exc` with `input_paths` filled from its provider `fields` (left as
        they are when the adapter already located the error itself)."""
        if exc.input_paths:
            return exc
        paths: list[tuple[InputPath | None, str]] = [
            (self.path(name), message or exc.detail)
            for name, message in exc.fields.items()
        ]
        exc.input_paths = paths or [(None, exc.detail)]
        return exc


@contextmanager
def translated(fields: FieldMap) -> Iterator[None]:
    """Run a write so that a Rejected names input paths instead of provider ones."""
    try:
        yield
    except Rejected as exc:
        raise fields.translate(exc) from None
