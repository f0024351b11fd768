"""/graphql/upload: the GraphQL multipart request spec, for `attachmentCreate` only.

Uploads are off on /graphql. This route takes `multipart/form-data` (and
JSON), refuses a body over `limits.max_upload_bytes` before reading it (413;
a body without Content-Length is 411), and runs nothing but a mutation whose
only field is `attachmentCreate`, so a large body can never carry other work.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web
from cross_web import HTTPException
from graphql import GraphQLSyntaxError, OperationDefinitionNode, OperationType, parse
from strawberry.http import GraphQLRequestData

from gateway.view import GatewayView, _media_type, json_error

UPLOAD_FIELD = "attachmentCreate"


class UploadView(GatewayView):
    """GatewayView with multipart uploads on, for one mutation, under a size cap."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(render_ide=None, multipart_uploads_enabled=True, **kwargs)

    async def __call__(self, request: web.Request) -> web.StreamResponse:
        limit = self.settings.limits.max_upload_bytes
        media_type = _media_type(request)
        if request.method == "POST":
            if request.content_length is None:
                return json_error(
                    411,
                    "Send uploads with a Content-Length header.",
                    "LENGTH_REQUIRED",
                    media_type,
                )
            if request.content_length > limit:
                return json_error(
                    413,
                    f"The upload is {request.content_length} bytes; the limit is "
                    f"{limit} bytes.",
                    "PAYLOAD_TOO_LARGE",
                    media_type,
                )
        return await super().__call__(request)

    async def parse_http_body(self, request: Any) -> Any:
        data = await super().parse_http_body(request)
        if not isinstance(data, GraphQLRequestData):
            raise HTTPException(400, "Batches are not accepted on /graphql/upload.")
        if not _only_upload_mutation(data):
            raise HTTPException(
                400, f"/graphql/upload runs only the {UPLOAD_FIELD} mutation."
            )
        return data


def _only_upload_mutation(data: GraphQLRequestData) -> bool:
    """True when the document's one operation is a mutation of `attachmentCreate`
    alone (fragments are refused: the field must be plain to see)."""
    if not data.query:
        return False
    try:
        document = parse(data.query, no_location=True)
    except GraphQLSyntaxError:
        return False
    operations = document.definitions
    if len(operations) != 1 or not isinstance(operations[0], OperationDefinitionNode):
        return False
    operation = operations[0]
    selections = operation.selection_set.selections
    return (
        operation.operation is OperationType.MUTATION
        and len(selections) == 1
        and getattr(getattr(selections[0], "name", None), "value", None) == UPLOAD_FIELD
    )
