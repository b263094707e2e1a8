"""Encryption of identity records at rest: MultiFernet over settings.HCT_IDENTITY_KEYS.

The first key encrypts; every key decrypts, so a new key can be put in front and the records
re-encrypted at leisure (`hct manage rotate_identity_keys`) before the old one is dropped.
"""

import json
from dataclasses import asdict, dataclass
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

ERROR_UNREADABLE = (
    "This identity record cannot be decrypted with the keys configured (HCT_IDENTITY_KEYS)"
)


class IdentityKeyError(Exception):
    pass


@dataclass(frozen=True)
class IdentityDetails:
    name: str = ""
    contact: str = ""
    address: str = ""


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def _current() -> MultiFernet:
    return _fernet(tuple(settings.HCT_IDENTITY_KEYS))


def encrypt(details: IdentityDetails) -> str:
    return _current().encrypt(json.dumps(asdict(details)).encode()).decode()


def decrypt(token: str) -> IdentityDetails:
    try:
        data = json.loads(_current().decrypt(token.encode()))
    except InvalidToken:
        raise IdentityKeyError(ERROR_UNREADABLE) from None
    return IdentityDetails(**data)


def rotate(token: str) -> str:
    """The same details encrypted with the newest key."""
    try:
        return _current().rotate(token.encode()).decode()
    except InvalidToken:
        raise IdentityKeyError(ERROR_UNREADABLE) from None
