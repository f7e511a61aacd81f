"""The review web app: routes over one `vndoc run` output folder (Starlette, server-rendered HTML).

Security (issue 14): every path is resolved inside the served folder (symlinks followed, then
checked) and refused otherwise; requests must name an expected Host (no DNS rebinding); the one
state-changing request (saving a review) needs the per-session token printed into the page and
an Origin (or Referer) of this very server; templates auto-escape and a Content-Security-Policy
allows scripts from /static only, so document text never runs.
"""

from __future__ import annotations

import hmac
import re
import secrets
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..export import DOCUMENT_JSON, load_document, load_reviewed
from .charts import agency_bars, deadline_columns
from .pages import LOW_CONF, cached_page_image, evidence_box, page_view
from .store import ReviewEdit, StaleReview, current_revision, read_review, save_review

HERE = Path(__file__).parent
MAX_BODY = 20 * 1024 * 1024
TOKEN_HEADER = "x-review-token"
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


def resolve_under(root: Path, relative: str) -> Path | None:
    """`root/relative` as an existing file inside `root`, or None: no absolute paths, drive
    letters, `..`, backslashes, NULs or dot-files, and no symlink that leads outside."""
    if not relative or "\x00" in relative or "\\" in relative:
        return None
    if relative.startswith("/") or re.match(r"^[A-Za-z]:", relative):
        return None
    parts = [p for p in relative.split("/") if p not in ("", ".")]
    if not parts or any(p == ".." or p.startswith(".") for p in parts):
        return None
    try:
        path = root.joinpath(*parts).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    return path if path.is_file() and path.is_relative_to(root.resolve()) else None


def _templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html", "svg"], default=True),
    )
    env.filters["lines"] = lambda xs: "\n".join(xs or [])
    env.filters["by_field"] = reasons_by_field
    return env


# Issue 15's review reasons name their field (`chu_tri[0]: agency not in the gazetteer`); the
# page marks the input that holds it.
FIELD_INPUTS = {"thoi_gian": "time_text", "signer": "signer_name"}


def reasons_by_field(reasons: list[str] | None) -> dict[str, list[str]]:
    """`field: why` reasons grouped by the form input they concern."""
    out: dict[str, list[str]] = {}
    for reason in reasons or []:
        field, _, why = reason.partition(":")
        name = re.sub(r"\[\d+\]$", "", field.strip())
        out.setdefault(FIELD_INPUTS.get(name, name), []).append(why.strip() or reason)
    return out


class Review:
    """State of one served folder: its root, the session token and the templates."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.token = secrets.token_urlsafe(32)
        self.env = _templates()

    def render(self, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = self.env.get_template(name).render(token=self.token, **context)
        return HTMLResponse(html, status_code=status)

    def folder(self, stem: str) -> Path | None:
        if "/" in stem:
            return None
        found = resolve_under(self.root, f"{stem}/{DOCUMENT_JSON}")
        return found.parent if found is not None and found.parent.parent == self.root else None

    def documents(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for path in sorted(self.root.glob(f"*/{DOCUMENT_JSON}")):
            folder = self.folder(path.parent.name)
            loaded = load_reviewed(folder) if folder else None
            if loaded is None:
                continue
            doc, reviewed = loaded
            review = read_review(path.parent) if reviewed else None
            flagged = sum(p.quality.needs_review for p in doc.pages)
            out.append(
                {
                    "stem": path.parent.name,
                    "doc": doc,
                    "flagged": flagged,
                    # values whose calibrated confidence is under the review cut (issue 15)
                    "fields_flagged": sum(len(t.review_reasons) for t in doc.tasks)
                    + len(doc.header.review_reasons),
                    "low_words": sum(
                        w.conf < LOW_CONF for p in doc.pages for ln in p.lines for w in ln.words
                    ),
                    "saved_at": review.get("saved_at") if review else None,
                    "changes": len(review.get("changes", [])) if review else 0,
                }
            )
        out.sort(key=lambda d: (-d["fields_flagged"], -d["flagged"], d["stem"]))
        return out


def _evidence(view_of: dict[int, Any], pages: dict[int, Any], items: list[Any]) -> list[Any]:
    out = []
    for e in items:
        view = view_of.get(e.page)
        box = evidence_box(view, e.line, e.box, pages[e.page]) if view else None
        out.append(
            {
                "page": e.page,
                "line": e.line,
                "box": [box.x0, box.y0, box.x1, box.y1] if box else None,
            }
        )
    return out


def document_context(review: Review, stem: str, folder: Path) -> dict[str, Any]:
    machine = load_document(folder)
    loaded = load_reviewed(folder)
    assert machine is not None and loaded is not None
    doc, reviewed = loaded
    views = {p.number: page_view(p) for p in doc.pages}
    pages = {p.number: p for p in doc.pages}
    evidence = {
        "tasks": [_evidence(views, pages, t.evidence) for t in doc.tasks],
        "header": {k: _evidence(views, pages, [e]) for k, e in doc.header.evidence.items()},
    }
    return {
        "stem": stem,
        "doc": doc,
        "machine": machine,
        "reviewed": reviewed,
        "review": read_review(folder) if reviewed else None,
        "revision": current_revision(folder) if reviewed else 0,
        "views": [views[p.number] for p in doc.pages],
        "pages": doc.pages,
        "low_conf": LOW_CONF,
        "evidence": evidence,
    }


def build_app(root: Path, allowed_hosts: list[str] | None = None) -> Starlette:
    """The ASGI app serving `root`; `allowed_hosts` are the Host names accepted (default: the
    loopback names)."""
    review = Review(root)

    # Plain functions run in Starlette's thread pool: rendering a page image or reading a big
    # document.json must not hold up the event loop.
    def overview(request: Request) -> Response:
        docs = review.documents()
        named = [(d["stem"], d["doc"]) for d in docs]
        return review.render(
            "overview.html",
            root=review.root,
            docs=docs,
            bars=agency_bars([d for _, d in named]),
            columns=deadline_columns(named),
            total_tasks=sum(len(d.tasks) for _, d in named),
        )

    def document(request: Request) -> Response:
        stem = request.path_params["stem"]
        folder = review.folder(stem)
        if folder is None:
            return review.render("error.html", 404, message="No such document.")
        return review.render("document.html", **document_context(review, stem, folder))

    def page_image(request: Request) -> Response:
        stem, number = request.path_params["stem"], request.path_params["number"]
        folder = review.folder(stem)
        doc = load_document(folder) if folder else None
        if doc is None:
            return Response("not found", 404)
        path = cached_page_image(review.root, stem, doc, number)
        path = resolve_under(review.root, str(path.relative_to(review.root))) if path else None
        if path is None:
            return Response("no page image", 404)
        return FileResponse(path, media_type="image/png")

    def files(request: Request) -> Response:
        path = resolve_under(review.root, request.path_params["path"])
        if path is None:
            return Response("not found", 404, media_type="text/plain")
        return _file_response(path)

    async def save(request: Request) -> Response:
        refused = _refuse(request, review.token)
        if refused:
            return JSONResponse({"error": refused}, 403)
        folder = review.folder(request.path_params["stem"])
        if folder is None:
            return JSONResponse({"error": "no such document"}, 404)
        declared = request.headers.get("content-length", "0")
        if not declared.isdigit() or int(declared) > MAX_BODY:
            return JSONResponse({"error": "request too large"}, 413)
        body = await request.body()
        if len(body) > MAX_BODY:
            return JSONResponse({"error": "request too large"}, 413)
        try:
            edit = ReviewEdit.model_validate_json(body)
            record = await run_in_threadpool(save_review, folder, edit)
        except StaleReview as exc:
            return JSONResponse({"error": str(exc)}, 409)
        except (ValidationError, ValueError) as exc:
            return JSONResponse({"error": _reason(exc)}, 422)
        return JSONResponse(
            {
                "saved_at": record["saved_at"],
                "changes": len(record["changes"]),
                "revision": record["revision"],
                "warnings": record["warnings"],
            }
        )

    routes = [
        Route("/", overview),
        Route("/doc/{stem}", document),
        Route("/doc/{stem}/page/{number:int}.png", page_image),
        Route("/doc/{stem}/review", save, methods=["POST"]),
        Route("/files/{path:path}", files),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    hosts = allowed_hosts or ["127.0.0.1", "localhost", "[::1]", "::1"]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(TrustedHostMiddleware, allowed_hosts=hosts),
            Middleware(BaseHTTPMiddleware, dispatch=_security_headers),
        ],
    )
    app.state.review = review
    return app


# Files of DIR are shown inline only as inert types; anything else (an HTML or SVG file, say)
# is a download, so no file in DIR can run script in the page's origin.
INLINE_TYPES = {
    ".json": "application/json",
    ".csv": "text/csv; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".png": "image/png",
}


def _file_response(path: Path) -> Response:
    inline = INLINE_TYPES.get(path.suffix.lower())
    response = FileResponse(
        path,
        media_type=inline or "application/octet-stream",
        filename=None if inline else path.name,
        content_disposition_type="inline" if inline else "attachment",
    )
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


async def _security_headers(request: Request, call_next: RequestResponseEndpoint) -> Response:
    response = await call_next(request)
    for key, value in SECURITY_HEADERS.items():
        response.headers.setdefault(key, value)
    return response


def _origin_of(url: str) -> str:
    m = re.match(r"^(https?://[^/?#]+)", url or "")
    return m.group(1).lower() if m else ""


def _refuse(request: Request, token: str) -> str | None:
    """Why a state-changing request is refused, or None: the session token must match and the
    request must come from a page of this server (Origin, else Referer)."""
    given = request.headers.get(TOKEN_HEADER, "")
    if not hmac.compare_digest(given.encode(), token.encode()):
        return "missing or wrong review token"
    own = f"{request.url.scheme}://{request.headers.get('host', '')}".lower()
    origin = request.headers.get("origin") or _origin_of(request.headers.get("referer", ""))
    if origin.lower() != own:
        return "cross-origin request refused"
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return "cross-site request refused"
    return None


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
    return str(exc)


def serve(root: Path, host: str = "127.0.0.1", port: int = 8765) -> None:
    """Run the review app with uvicorn until interrupted."""
    import uvicorn

    hosts = ["127.0.0.1", "localhost", "[::1]", "::1"]
    if host in ("0.0.0.0", "::"):
        hosts = ["*"]  # asked to listen on every interface: any name may reach it
    elif host not in hosts:
        hosts.append(host)
    uvicorn.run(build_app(root, hosts), host=host, port=port, log_level="warning")
