"""The BSN eleven-test (CS002)."""

from __future__ import annotations

_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def is_valid_bsn(bsn: str) -> bool:
    """True when ``bsn`` is nine digits and passes the eleven-test
    (9·d1 + 8·d2 + … + 2·d8 − 1·d9) mod 11 = 0."""
    if len(bsn) != 9 or not (bsn.isascii() and bsn.isdigit()):
        return False
    total = sum(w * int(d) for w, d in zip(_WEIGHTS, bsn, strict=True))
    return total % 11 == 0 and bsn != "000000000"
