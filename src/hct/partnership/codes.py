"""The secrets of an invitation: a link token, and a short code a person can read out.

The code's alphabet leaves out letters and digits that are easily confused when read aloud or
written down (0/O, 1/I/L, and U, which is read as V), so a code said over the phone or copied
from a note comes back as it was sent. Only hashes are stored: the code and the link are shown
once, to the person who made the invitation.
"""

import secrets

from django.utils.crypto import salted_hmac

ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
CODE_LENGTH = 8
# Characters people type between the groups, or by mistake around the code.
_SEPARATORS = str.maketrans("", "", " -_.\t\n\r")

ERROR_CODE_LENGTH = "A code has 8 letters and numbers, like KQ7M-4TXD"
ERROR_CODE_CHARACTERS = (
    "A code uses only the letters and numbers on the invitation: never O, 0, I, 1, L or U. "
    "Check each one"
)


def code_new() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def code_display(code: str) -> str:
    """KQ7M4TXD as KQ7M-4TXD: two groups of four are easier to read out."""
    return f"{code[:4]}-{code[4:]}"


def code_parse(text: str) -> str:
    """The code in what someone typed, ignoring case, spaces and dashes; ValueError with a
    message for the person if it cannot be a code."""
    code = text.translate(_SEPARATORS).upper()
    if len(code) != CODE_LENGTH:
        raise ValueError(ERROR_CODE_LENGTH)
    if any(character not in ALPHABET for character in code):
        raise ValueError(ERROR_CODE_CHARACTERS)
    return code


def token_new() -> str:
    return secrets.token_urlsafe(32)


def secret_hash(secret: str) -> str:
    """A keyed hash (the site's secret key), so a guessed code cannot be checked offline
    against a copy of the database."""
    return salted_hmac("hct.partnership.invitation", secret, algorithm="sha256").hexdigest()
