"""Mutation inputs to domain inputs, and expected failures to `userErrors`.

The rule (DESIGN §E): what the caller can fix by changing the input or the
object's state is a userError; what they can only retry or report (provider
down, rate limited, our credentials refused, a broken answer) is raised and
becomes a top-level error with `extensions.code`.

```
InputInvalid   the input failed validation: one userError per problem, INVALID/REQUIRED
InvalidId      an ID argument that is not one of ours             INVALID at `at`
NotFound       the target does not exist                           NOT_FOUND at `at`
Conflict       the target's state forbids it, or it changed        CONFLICT at `at`
NotSupported   the provider cannot do it; nothing was sent         NOT_SUPPORTED
Rejected       the provider refused the input: its `input_paths`   INVALID per path
```
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from enum import Enum
from typing import Any, TypeVar, cast

from pydantic import BaseModel, ValidationError
from strawberry.types.base import has_object_definition
from strawberry.types.unset import UnsetType
from strawberry.utils.str_converters import to_camel_case

from gateway.errors import (
    Conflict,
    GatewayError,
    InvalidId,
    NotFound,
    NotSupported,
    Rejected,
)
from schema.payloads import UserError, UserErrorCode

M = TypeVar("M", bound=BaseModel)
Path = Sequence[str]


class InputInvalid(GatewayError):
    """A mutation input failed validation; carries the userErrors to return."""

    code = "BAD_USER_INPUT"

    def __init__(self, errors: list[UserError]) -> None:
        super().__init__("; ".join(error.message for error in errors))
        self.errors = errors


EXPECTED = (InputInvalid, InvalidId, NotFound, Conflict, NotSupported, Rejected)
"""What a mutation turns into userErrors; anything else is raised."""


def plain(value: Any) -> Any:
    """A strawberry input as JSON-like data keyed by the GraphQL (camelCase)
    names, leaving out fields the caller did not give or gave as null (both
    mean "no value", which for an update is "no change"); uploads pass as is."""
    if has_object_definition(value):
        fields = dataclasses.fields(cast(Any, value))
        given = {f.name: getattr(value, f.name) for f in fields}
        return {
            to_camel_case(name): plain(item)
            for name, item in given.items()
            if item is not None and not isinstance(item, UnsetType)
        }
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, Enum):
        return value.value
    return value


def validate(model: type[M], data: Mapping[str, Any], root: Path = ("input",)) -> M:
    """`data` as `model`, or InputInvalid naming each bad value's input path."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputInvalid([_user_error(root, e) for e in _causes(exc)]) from None


def invalid(path: Path, message: str) -> InputInvalid:
    """One INVALID userError at `path`, as an exception."""
    return InputInvalid(
        [UserError(field=list(path), code=UserErrorCode.INVALID, message=message)]
    )


def to_user_errors(
    exc: Exception, at: Path | None = None, root: Path = ("input",)
) -> list[UserError]:
    """The userErrors of one of the EXPECTED failures; `at` locates the object
    a NotFound, Conflict or invalid ID is about (`["id"]`), `root` the argument
    a provider's rejected input paths start from."""
    field = list(at) if at is not None else None
    if isinstance(exc, InputInvalid):
        return exc.errors
    if isinstance(exc, Rejected):
        return [
            UserError(
                field=[*root, *path] if path is not None else None,
                code=_rejected_code(message),
                message=f"{exc.provider.upper()}: {message}",
            )
            for path, message in exc.input_paths or [(None, exc.detail)]
        ]
    code = next(code for kind, code in _CODES if isinstance(exc, kind))
    if isinstance(exc, NotSupported):
        field = None
    return [UserError(field=field, code=code, message=str(exc))]


def _rejected_code(message: str) -> UserErrorCode:
    """REQUIRED where the provider says a value is missing ("… is required",
    the wording every provider here uses), INVALID otherwise."""
    return (
        UserErrorCode.REQUIRED
        if message.rstrip(". ").endswith("is required")
        else UserErrorCode.INVALID
    )


_CODES: tuple[tuple[type[Exception], UserErrorCode], ...] = (
    (InvalidId, UserErrorCode.INVALID),
    (NotFound, UserErrorCode.NOT_FOUND),
    (Conflict, UserErrorCode.CONFLICT),
    (NotSupported, UserErrorCode.NOT_SUPPORTED),
)


def _causes(exc: ValidationError) -> list[Any]:
    """The errors of `exc` less a list's "too short after validation", which
    only echoes an item that failed on its own."""
    errors = exc.errors()
    failed = [tuple(e["loc"]) for e in errors]

    def echo(error: Any) -> bool:
        loc = tuple(error["loc"])
        return error["type"] == "too_short" and any(
            len(other) > len(loc) and other[: len(loc)] == loc for other in failed
        )

    return [error for error in errors if not echo(error)]


def _user_error(root: Path, error: Any) -> UserError:
    loc = [str(part) for part in error["loc"]]
    missing = error["type"] == "missing"
    message = str(error["msg"]).removeprefix("Value error, ")
    where = ".".join(loc)
    return UserError(
        field=[*root, *loc],
        code=UserErrorCode.REQUIRED if missing else UserErrorCode.INVALID,
        message=f"{where}: {message}" if where else message,
    )
