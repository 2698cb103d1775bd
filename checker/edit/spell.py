"""How a citation is spelt after a move, in the syntax its citer used.

Every function takes the path as written and where it led before (`t_old`, a KB relpath) and
returns the spelling that leads to `t_new` from the citer's new folder, or None to leave it.
"""
from __future__ import annotations

import posixpath
from urllib.parse import quote, unquote

_UNSAFE = " ()<>%#"


def relative(t_new: str, d_new: str, written: str) -> str:
    """`t_new` relative to the folder `d_new`, keeping a written `./` and a trailing `/`."""
    new = posixpath.relpath(t_new, d_new or ".")
    if written.startswith("./") and not new.startswith("../"):
        new = "./" + new
    if written.endswith("/") and not new.endswith("/"):
        new += "/"
    return new


def _joined(d_old: str, plain: str) -> str:
    return posixpath.normpath(posixpath.join(d_old, plain)) if plain else d_old


def suffix(t_new: str, d_new: str, segments: int, paths: set[str]) -> str:
    """The shortest tail of `t_new`, at least `segments` long, that names only it from `d_new`."""
    parts = t_new.split("/")
    for k in range(max(segments, 1), len(parts)):
        tail = "/".join(parts[-k:])
        hits = [p for p in paths if p == tail or p.endswith("/" + tail)]
        joined = posixpath.normpath(posixpath.join(d_new, tail))
        if hits == [t_new] and (joined == t_new or joined not in paths):
            return tail
    return t_new


def path(written: str, t_old: str, t_new: str, d_old: str, d_new: str, paths: set[str]) -> str | None:
    """A path outside link syntax (`/sima/...`, `dir/X.md`, `sima/dir/X.md`, `/dir/X.md`)."""
    plain = written.replace("\\", "/")
    low = plain.lower()
    if low.startswith("/sima/"):
        return plain[:6] + t_new
    if plain.startswith("/"):
        return "/" + t_new
    if _joined(d_old, plain.rstrip("/")) == t_old.rstrip("/"):
        return relative(t_new, d_new, plain)
    clean = posixpath.normpath(plain)
    if low.startswith("sima/") and clean[5:] == t_old:
        return plain[:5] + t_new
    if clean == t_old:
        return t_new
    return suffix(t_new, d_new, len(clean.split("/")), paths)


def link(written: str, encoded: bool, angle: bool, t_old: str, t_new: str, d_old: str, d_new: str) -> str | None:
    """A Markdown link target (anchor excluded), percent-encoded as it was (or as it must be)."""
    plain = unquote(written) if encoded else written
    if not plain:
        return None  # `#anchor` in the same file: it moves with the file
    if plain.lower().startswith("/sima/"):
        new = plain[:6] + t_new
    elif plain.startswith("/"):
        new = "/" + t_new
    else:
        new = relative(t_new, d_new, plain)
    return encode(new, "%" in written, angle)


def encode(new: str, was_encoded: bool, angle: bool) -> str:
    """Percent-encode the segments of a link path when the old one was, or when they must be."""
    segs = []
    for seg in new.split("/"):
        if was_encoded or (not angle and any(c in seg for c in _UNSAFE)):
            seg = quote(seg, safe="!$&'*+,;=:@~")
        segs.append(seg)
    return "/".join(segs)
