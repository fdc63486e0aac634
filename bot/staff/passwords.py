"""Password hashing with argon2id (argon2-cffi's PasswordHasher and its defaults)."""
from __future__ import annotations

import functools
from typing import Optional

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 12
MAX_LENGTH = 1024  # hashing a megabyte "password" would only cost us time

HASHER = PasswordHasher()


class WeakPassword(ValueError):
    pass


def check_new(password: str) -> str:
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"a password needs at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"a password has at most {MAX_LENGTH} characters")
    return password


def hash_password(password: str) -> str:
    return HASHER.hash(check_new(password))


@functools.lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return HASHER.hash("no account has this password, it only costs time")


def verify(stored: Optional[str], password: str) -> bool:
    """True when `password` matches `stored`. Without a stored hash (unknown user) a
    dummy hash is checked anyway, so both answers take about as long."""
    if len(password) > MAX_LENGTH:
        password = password[:MAX_LENGTH] + "\0"  # never matches, costs the same
    try:
        return HASHER.verify(stored or _dummy_hash(), password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """The hasher's parameters changed since this hash was made."""
    try:
        return HASHER.check_needs_rehash(stored)
    except InvalidHashError:
        return True
