"""The BSN eleven-test (CS002)."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from wijkzicht.ijw.bsn import is_valid_bsn

VALID = ["999900006", "999900018", "123456782", "111222333", "999999990"]


@pytest.mark.parametrize("bsn", VALID)
def test_known_valid(bsn: str) -> None:
    assert is_valid_bsn(bsn)


@pytest.mark.parametrize(
    "bsn",
    [
        "999900007",  # last digit +1
        "999900005",  # last digit -1
        "999900016",
        "999900019",
        "123456781",
        "123456783",
        "223456782",  # first digit +1
        "123456792",  # eighth digit +1
        "000000000",  # passes the sum but is not a number anyone has
    ],
)
def test_off_by_one_and_zero_fail(bsn: str) -> None:
    assert not is_valid_bsn(bsn)


@pytest.mark.parametrize(
    "bsn",
    [
        "",
        "99990000",  # 8 digits
        "0999900006",  # 10 digits
        "99990000A",
        "9999 0006",
        " 99990006",
        "-99990006",
        "+99990006",
        "99990000.",
        "٩٩٩٩٠٠٠٠٦",  # Arabic-Indic digits: isdigit() but not ASCII
        "９９９９００００６",  # full-width digits
    ],
)
def test_non_digits_and_wrong_length_fail(bsn: str) -> None:
    assert not is_valid_bsn(bsn)


digits = st.text("0123456789", min_size=1, max_size=1)
prefixes = st.text("0123456789", min_size=8, max_size=8)


@settings(max_examples=300, deadline=None)
@given(prefix=prefixes)
def test_at_most_one_check_digit_per_prefix(prefix: str) -> None:
    passing = [d for d in "0123456789" if is_valid_bsn(prefix + d)]
    assert len(passing) <= 1
    # and the one that passes is the eleven-test's own digit
    weighted = sum(w * int(c) for w, c in zip(range(9, 1, -1), prefix, strict=True)) % 11
    if passing:
        assert int(passing[0]) == weighted


@st.composite
def valid_bsns(draw: st.DrawFn) -> str:
    prefix = draw(prefixes.filter(lambda p: p != "00000000"))
    check = sum(w * int(c) for w, c in zip(range(9, 1, -1), prefix, strict=True)) % 11
    assume(check < 10)
    return prefix + str(check)


@settings(max_examples=300, deadline=None)
@given(bsn=valid_bsns(), position=st.integers(0, 8), new=digits)
def test_changing_one_digit_invalidates(bsn: str, position: int, new: str) -> None:
    assert is_valid_bsn(bsn)
    changed = bsn[:position] + new + bsn[position + 1 :]
    if changed != bsn:
        assert not is_valid_bsn(changed)
