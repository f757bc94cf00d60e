"""The BSN eleven-test (CS002)."""

from __future__ import annotations

_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)
_OFFSET = 48 * sum(_WEIGHTS)  # the weighted sum of the codes of nine "0"s


def is_valid_bsn(bsn: str) -> bool:
    """True when ``bsn`` is nine digits and passes the eleven-test
    (9·d1 + 8·d2 + … + 2·d8 − 1·d9) mod 11 = 0."""
    if len(bsn) != 9 or not (bsn.isascii() and bsn.isdigit()):
        return False
    d = bsn.encode("ascii")  # ASCII codes: each digit is its code minus 48
    total = (
        9 * d[0]
        + 8 * d[1]
        + 7 * d[2]
        + 6 * d[3]
        + 5 * d[4]
        + 4 * d[5]
        + 3 * d[6]
        + 2 * d[7]
        - d[8]
        - _OFFSET
    )
    return total % 11 == 0 and bsn != "000000000"
