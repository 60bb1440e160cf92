"""Identifiers of a certificate: a 128-bit URL id for the QR code, an 80-bit code to type.

Both come from `secrets` (a cryptographic source). The typed code uses Crockford's base32:
no I, L, O or U, and reading mistakes (O for 0, I or L for 1) are forgiven on input.
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_CHARS = 16  # 16 x 5 bits = 80 bits
_FORGIVE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def public_id_new() -> str:
    return secrets.token_urlsafe(16)  # 128 bits, 22 characters


def code_new() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_CHARS))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_CHARS, 4))


def code_normalise(typed: str) -> str | None:
    """The canonical form of a typed code, or None if it cannot be one."""
    raw = "".join(ch for ch in typed.upper() if ch.isalnum()).translate(_FORGIVE)
    if len(raw) != CODE_CHARS or any(ch not in ALPHABET for ch in raw):
        return None
    return "-".join(raw[i : i + 4] for i in range(0, CODE_CHARS, 4))
