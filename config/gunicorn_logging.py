"""gunicorn's access log as one JSON object per request, without share-link tokens.

A format string cannot write JSON: gunicorn prints the pid as ``<4404>`` and leaves a
quote or a backslash in a path or user agent as it is, so a line would not parse. This
logger builds the record as a dict and lets ``json.dumps`` escape it.

A share link's token is its whole secret (``/s/<token>/``): whoever reads the log could
open the link. The path keeps the first 12 hex digits of the token's SHA-256 instead,
which is how ``ShareLink.token_hash`` starts, so a line still leads to its link.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import traceback
from datetime import timedelta
from typing import Any

from gunicorn.glogging import Logger

SHARE_TOKEN = re.compile(r"^/s/([^/]+)")


def redact_path(path: str) -> str:
    """Return the path with a share-link token replaced by the start of its hash."""

    def replace(match: re.Match[str]) -> str:
        digest = hashlib.sha256(match.group(1).encode("utf-8")).hexdigest()[:12]
        return f"/s/sha256:{digest}…"

    return SHARE_TOKEN.sub(replace, path)


def access_record(environ: dict[str, Any], status: Any, sent: Any, request_time: timedelta) -> dict:
    """Return what the access log says about one request."""
    code = str(status).split(None, 1)[0] if status is not None else ""
    return {
        "logger": "gunicorn.access",
        "remote": environ.get("REMOTE_ADDR", ""),
        "method": environ.get("REQUEST_METHOD", ""),
        "path": redact_path(environ.get("PATH_INFO", "")),
        "query": environ.get("QUERY_STRING", ""),
        "status": int(code) if code.isdigit() else code,
        "bytes": sent if isinstance(sent, int) else None,
        "duration_ms": round(request_time.total_seconds() * 1000, 1),
        "user_agent": environ.get("HTTP_USER_AGENT", ""),
        "pid": os.getpid(),
    }


class JsonAccessLogger(Logger):
    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: timedelta) -> None:
        if not self.access_log_enabled:
            return
        record = {"time": self.now().strip("[]")} | access_record(
            environ, resp.status, getattr(resp, "sent", None), request_time
        )
        try:
            self.access_log.info(json.dumps(record, ensure_ascii=False))
        except Exception:
            self.error(traceback.format_exc())
