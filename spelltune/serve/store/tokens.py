"""API tokens: `st_<prefix>_<secret>`. The prefix is public and finds the row; only the sha256 is kept.

The secret is `secrets.token_urlsafe(32)` (256 random bits). A presented token is checked with
`hmac.compare_digest` on the hashes, so the comparison takes the same time wherever they differ.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

SCHEME = "st"


@dataclass(frozen=True)
class IssuedToken:
    """A new token: `token` is shown to its writer once; `prefix` and `token_hash` are what is stored."""

    token: str
    prefix: str
    token_hash: str

    def __repr__(self) -> str:  # never print the secret by accident
        return f"IssuedToken(prefix={self.prefix!r})"


def token_hash(token: str) -> str:
    """The sha256 of `token`, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token() -> IssuedToken:
    """A fresh random token."""
    prefix = secrets.token_hex(6)
    token = f"{SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"
    return IssuedToken(token, prefix, token_hash(token))


def token_prefix(token: str) -> str | None:
    """The public prefix of something shaped like a token; None when it is not one."""
    scheme, _, rest = token.partition("_")
    prefix, _, secret = rest.partition("_")
    if scheme != SCHEME or len(prefix) != 12 or not secret or len(token) > 200:
        return None
    return prefix


def token_matches(token: str, stored_hash: str) -> bool:
    """Whether `token` hashes to `stored_hash` (a constant-time comparison)."""
    return hmac.compare_digest(token_hash(token), stored_hash)
