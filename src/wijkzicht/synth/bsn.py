"""Synthetic BSNs: unique, eleven-test-valid, deterministic for a seed.

Every number starts with a fixed *prefix*, ``"9"`` by default. The free digits between the
prefix and the check digit (seven with the default prefix, so 10,000,000 bodies) are visited
in a seeded pseudo-random order: a counter 0, 1, 2, … is sent through a small Feistel
permutation over the body range, so each counter value gives a different body and no set of
issued numbers has to be kept. The ninth digit follows from the eleven-test
(9·d1 + 8·d2 + … + 2·d8 − d9 ≡ 0 mod 11); bodies whose check digit would have to be 10 are
skipped (one in eleven), which leaves about 9.09 million numbers for the prefix ``"9"``.

Why ``9xxxxxxxx``: the RvIG test numbers used in acceptance environments (``9999xxxxx``) lie
in this range, and we believe no BSN starting with 9 has been issued to a real person: issued
numbers so far start with a low digit and grow slowly (*uncertain*: we found no public
statement by RvIG that the 9-range is reserved). The prefix is therefore a parameter, and
several prefixes can be given to be used in turn. A deployment that must be certain can choose
a longer prefix inside the test range (``"9999"`` leaves 9,090 numbers, enough for fixtures).
The national profile needs about 10 million numbers and uses ``("9", "8")``; whether the
8-range is free of real persons is just as *uncertain* (see ``docs/synthetic-data.md``).
"""

from __future__ import annotations

from collections.abc import Iterator

DEFAULT_PREFIX = "9"
_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2)
_MASK = 0xFFFFFFFF
_ROUNDS = 2


class BsnRangeExhaustedError(RuntimeError):
    """Every number of the synthetic range has been handed out."""


def _mix(x: int, key: int) -> int:
    x = ((x ^ key) * 0x9E3779B1) & _MASK
    x ^= x >> 15
    x = (x * 0x85EBCA6B) & _MASK
    return x ^ (x >> 13)


class _Range:
    """The numbers of one prefix, in permuted order."""

    def __init__(self, seed: int, prefix: str) -> None:
        if not prefix.isdigit() or not 1 <= len(prefix) <= 7 or prefix[0] == "0":
            raise ValueError(f"BSN prefix must be 1-7 digits not starting with 0: {prefix!r}")
        self.prefix = prefix
        free = 8 - len(prefix)
        self.free = free
        self.a = 10 ** (free // 2)  # size of the left half of the body
        self.b = 10 ** (free - free // 2)  # size of the right half
        self.size = self.a * self.b
        key = (seed * 0x2545F491 + int(prefix) * 0x5851F42D) & _MASK
        self.keys = [_mix(key + i, 0x68E31DA4) for i in range(_ROUNDS)]
        self.psum = sum(w * int(d) for w, d in zip(_WEIGHTS, prefix, strict=False))
        # weighted digit sums of the two halves of the body, precomputed
        w_body = _WEIGHTS[len(prefix) :]
        self.sum_left = [_digit_sum(v, w_body[: free // 2]) for v in range(self.a)]
        self.sum_right = [_digit_sum(v, w_body[free // 2 :]) for v in range(self.b)]
        self.counter = 0

    def next(self) -> str | None:
        a, b, keys = self.a, self.b, self.keys
        while self.counter < self.size:
            left, right = divmod(self.counter, b)  # left in Z_a, right in Z_b
            self.counter += 1
            size_l, size_r = a, b
            for key in keys:  # (l, r) in Z_L x Z_R  ->  (r, (l + F(r)) mod L) in Z_R x Z_L
                x = ((right ^ key) * 0x9E3779B1) & _MASK
                x ^= x >> 15
                x = (x * 0x85EBCA6B) & _MASK
                left, right = right, (left + (x ^ (x >> 13))) % size_l
                size_l, size_r = size_r, size_l
            # an even number of rounds: (left, right) is back in Z_a x Z_b
            check = (self.psum + self.sum_left[left] + self.sum_right[right]) % 11
            if check != 10:
                return f"{self.prefix}{left * b + right:0{self.free}d}{check}"
        return None


class BsnSequence:
    """Hands out unique synthetic BSNs in a seeded order.

    ``prefix`` is one prefix or several, used one after the other: ``("9", "8")`` first
    hands out every number starting with 9, then those starting with 8.

    >>> seq = BsnSequence(seed=1)
    >>> a, b = next(seq), next(seq)
    >>> a != b and a[0] == "9"
    True
    """

    def __init__(self, seed: int, prefix: str | tuple[str, ...] = DEFAULT_PREFIX) -> None:
        prefixes = (prefix,) if isinstance(prefix, str) else tuple(prefix)
        if not prefixes:
            raise ValueError("at least one BSN prefix is needed")
        for i, p in enumerate(prefixes):
            for q in prefixes[:i]:
                if p.startswith(q) or q.startswith(p):
                    raise ValueError(f"BSN prefixes overlap: {q!r} and {p!r}")
        self._ranges = [_Range(seed, p) for p in prefixes]
        self._current = 0
        self.prefixes = prefixes
        self.issued = 0

    @property
    def capacity(self) -> int:
        """How many numbers the prefixes hold at most (about 10/11 of it pass the test)."""
        return sum(r.size for r in self._ranges)

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        while self._current < len(self._ranges):
            bsn = self._ranges[self._current].next()
            if bsn is not None:
                self.issued += 1
                return bsn
            self._current += 1
        raise BsnRangeExhaustedError(
            f"all synthetic BSNs with prefix {'/'.join(self.prefixes)} are used ({self.issued})"
        )

    def take(self, n: int) -> list[str]:
        return [next(self) for _ in range(n)]


def _digit_sum(value: int, weights: tuple[int, ...]) -> int:
    total = 0
    for w in reversed(weights):
        value, digit = divmod(value, 10)
        total += w * digit
    return total
