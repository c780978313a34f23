"""Uploaded and downloaded bytes to text: encodings, file types, size caps."""

from __future__ import annotations

import codecs
import re
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # the same cap the fetcher puts on a download

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd"})
TEXT_SUFFIXES = frozenset({".txt", ".text", ""})
UPLOAD_SUFFIXES = HTML_SUFFIXES | MARKDOWN_SUFFIXES | TEXT_SUFFIXES

HTML_SNIFF_RE = re.compile(
    r"^\s*(?:<!doctype\s+html|<html\b|<head\b|<body\b|<article\b)", re.IGNORECASE
)


def decode_upload(data: bytes) -> str:
    """Return uploaded bytes as text: BOM first, then UTF-8, then Windows-1252 with replacements."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return clean_text(data.decode(encoding, errors="replace"))
    try:
        return clean_text(data.decode("utf-8"))
    except UnicodeDecodeError:
        return clean_text(data.decode("cp1252", errors="replace"))


def read_upload(upload: UploadedFile) -> tuple[str, str]:
    """Return an uploaded article's file name and text; refuse wrong types and oversized files."""
    filename = PurePosixPath((upload.name or "upload.txt").replace("\\", "/")).name[:255]
    if PurePosixPath(filename.lower()).suffix not in UPLOAD_SUFFIXES:
        raise ValidationError(
            {"file": "Upload an HTML, Markdown or plain-text file (.html, .md, .txt)."}
        )
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            {"file": f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB."}
        )
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            {"file": f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB."}
        )
    if b"\x00" in data[:8192] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ValidationError({"file": "This looks like a binary file, not an article."})
    return filename, decode_upload(data)


def clean_text(text: str) -> str:
    # PostgreSQL text columns refuse NUL; nothing in an article needs one.
    return text.replace("\x00", "").lstrip("\ufeff")


def first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:100]
    return ""


def decode_body(body: bytes, charset: str | None) -> str:
    """Return a downloaded body as text: its declared charset if known, else as an upload is decoded."""
    if charset:
        try:
            return clean_text(body.decode(charset, errors="replace"))
        except LookupError:
            pass  # an unknown charset name: fall back to sniffing
    return decode_upload(body)
