"""Unguessable secrets for API tokens, share links and calendar feeds.

Only a SHA-256 hash and a short prefix (to recognise a token in lists) are stored; the
plain secret is shown once, when it is made."""

import hashlib
import secrets
from dataclasses import dataclass


@dataclass(frozen=True)
class NewSecret:
    plain: str
    prefix: str
    hash: str


def hash_secret(plain: str) -> str:
    return hashlib.sha256(plain.encode()).hexdigest()


def new_secret(label: str) -> NewSecret:
    """`label` marks what the secret is for, e.g. "ms" → "ms_Xy12…"."""
    plain = f"{label}_{secrets.token_urlsafe(32)}"
    return NewSecret(plain=plain, prefix=plain[: len(label) + 9], hash=hash_secret(plain))
