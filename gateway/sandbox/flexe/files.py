"""F14 file upload by key, plus sandbox-inferred reads of file metadata and bytes."""

from __future__ import annotations

from aiohttp import web

from .errors import invalid_parameter, not_found
from .model import StoredFile
from .params import Params
from .serialize import file_json
from .state import FlexeState, current

routes = web.RouteTableDef()

MAX_KEY = 255


def _file_or_404(st: FlexeState, key: str) -> StoredFile:
    stored = st.files.get(key)
    if stored is None:
        raise not_found("FILE_NOT_FOUND", f"File {key} not found")
    return stored


@routes.put("/v2/files/{key}")
async def put_file(request: web.Request) -> web.Response:
    """F14: idempotent by key. 201 when the key is new, 200 when it already existed.

    Writing the same key again replaces the bytes (and name, when given);
    `updatedAt` moves only if something actually changed.
    """
    q = Params(request.query, ("name",))
    key = request.match_info["key"]
    if len(key) > MAX_KEY:
        raise invalid_parameter("key", f"key must be at most {MAX_KEY} characters")
    name = q.text("name")
    content = await request.read()
    content_type = request.headers.get("Content-Type") or "application/octet-stream"
    st = current(request)
    stored = st.files.get(key)
    if stored is None:
        at = st.now()
        stored = StoredFile(key, name, content_type, content, at, at)
        st.files[key] = stored
        return web.json_response(file_json(stored), status=201)
    new_name = name if name is not None else stored.name
    if (new_name, content_type, content) != (
        stored.name,
        stored.content_type,
        stored.content,
    ):
        stored.name, stored.content_type, stored.content = (
            new_name,
            content_type,
            content,
        )
        stored.updated_at = st.now()
    return web.json_response(file_json(stored))


@routes.get("/v2/files/{key}")
async def get_file(request: web.Request) -> web.Response:
    """File metadata (sandbox-inferred read of what F14 wrote)."""
    Params(request.query, ())
    return web.json_response(
        file_json(_file_or_404(current(request), request.match_info["key"]))
    )


@routes.get("/v2/files/{key}/content")
async def get_file_content(request: web.Request) -> web.Response:
    """The stored bytes and content type: where a file attachment's fileKey leads."""
    Params(request.query, ())
    stored = _file_or_404(current(request), request.match_info["key"])
    headers = {"Content-Type": stored.content_type}
    # Header values must stay ASCII; exotic names simply go without a filename.
    if stored.name and stored.name.isascii() and '"' not in stored.name:
        headers["Content-Disposition"] = f'inline; filename="{stored.name}"'
    return web.Response(body=stored.content, headers=headers)
