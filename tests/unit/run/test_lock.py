"""One run of a partnership-year at a time: the lock in outputs/<partnership>/.<year>.lock."""

from __future__ import annotations

import threading
import time

import pytest

from workbook.run.lock import RunInProgress, exclusive, lock_path


def test_a_second_holder_waits_for_the_first_and_says_so(tmp_path):
    target = tmp_path / "outputs" / "testshire" / "2019-20"
    order, said = [], []

    def second():
        with exclusive(target, wait=30, echo=said.append) as waited:
            order.append(("second", waited))

    with exclusive(target, wait=0) as waited:
        assert not waited
        assert "pid" in lock_path(target).read_text()
        other = threading.Thread(target=second)
        other.start()
        time.sleep(0.6)
        order.append(("first done", None))
    other.join(timeout=30)
    assert order == [("first done", None), ("second", True)]
    assert said and "another run of the same partnership-year (pid" in said[0]
    assert not lock_path(target).exists()  # removed by its last holder


def test_a_run_that_waits_too_long_stops_naming_the_lock_and_its_holder(tmp_path):
    target = tmp_path / "outputs" / "testshire" / "2019-20"
    with (
        exclusive(target, wait=0),
        pytest.raises(RunInProgress) as stopped,
        exclusive(target, wait=0.3, echo=lambda _: None),
    ):
        pass
    message = str(stopped.value)
    assert str(lock_path(target)) in message and "pid" in message
    assert "rendered nothing" in message
    assert stopped.value.exit_code == 7


def test_a_lock_left_by_a_holder_that_died_blocks_no_one(tmp_path):
    target = tmp_path / "outputs" / "testshire" / "2019-20"
    lock_path(target).parent.mkdir(parents=True)
    lock_path(target).write_text("pid 1 on elsewhere, since 2026-01-01T00:00:00+00:00\n")
    with exclusive(target, wait=0) as waited:
        assert not waited
