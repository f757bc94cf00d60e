"""Reading a file whole, whatever its size said when it was opened."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from wijkzicht.ingest.sources import _CHUNK, _read_fd


@pytest.mark.parametrize(
    ("actual", "hint"),
    [
        (0, 0),  # empty
        (2_000, 2_000),  # as announced
        (2_000, 1_000),  # grew after fstat: read on to the end
        (2_000, 1_999),  # one byte more than announced
        (2_000, 5_000),  # shrank after fstat
        (_CHUNK * 2 + 7, 10),  # grew by more than a chunk
    ],
)
def test_read_fd_reads_to_the_end(tmp_path: Path, actual: int, hint: int) -> None:
    data = os.urandom(actual)
    path = tmp_path / "item.xml"
    path.write_bytes(data)
    fd = os.open(path, os.O_RDONLY)
    try:
        assert _read_fd(fd, hint) == data
    finally:
        os.close(fd)
