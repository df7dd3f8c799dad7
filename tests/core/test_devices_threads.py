"""How many CPU threads a run takes: every core, less the cores *other* programs keep busy."""

from __future__ import annotations

import pytest

from studio.core.training import devices


def fake_clock(monkeypatch: pytest.MonkeyPatch, machine: list[tuple[int, int]], own: list[int]) -> None:
    """Two samples of (busy, total) machine jiffies and of this process's own jiffies."""
    machine_it, own_it = iter(machine), iter(own)
    monkeypatch.setattr(devices, "_cpu_jiffies", lambda: next(machine_it))
    monkeypatch.setattr(devices, "_own_jiffies", lambda: next(own_it))
    monkeypatch.setattr(devices.os, "cpu_count", lambda: 2)


def test_this_process_keeping_a_core_busy_is_not_another_program(monkeypatch: pytest.MonkeyPatch) -> None:
    # 200 jiffies passed over two cores; 100 were busy, all of them this process's (its GUI thread)
    fake_clock(monkeypatch, [(1000, 5000), (1100, 5200)], [300, 400])
    assert devices.busy_cores(window=0) == pytest.approx(0.0)


def test_another_program_keeping_a_core_busy_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_clock(monkeypatch, [(1000, 5000), (1100, 5200)], [300, 300])
    assert devices.busy_cores(window=0) == pytest.approx(1.0)


def test_a_busy_machine_leaves_those_cores_to_their_programs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CNN_STUDIO_THREADS", raising=False)
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    monkeypatch.setattr(devices, "usable_cores", lambda: 2)
    monkeypatch.setattr(devices, "busy_cores", lambda: 1.0)
    import torch

    assert devices.choose_threads(torch.device("cpu")) == 1
    monkeypatch.setattr(devices, "busy_cores", lambda: 0.2)
    assert devices.choose_threads(torch.device("cpu")) == 2
    assert devices.choose_threads(torch.device("cpu"), fixed=True) == 2


def test_own_jiffies_reads_this_process() -> None:
    before = devices._own_jiffies()
    total = 0
    for i in range(3_000_000):  # some CPU work of our own
        total += i
    assert devices._own_jiffies() >= before > 0


def test_a_thread_kept_serial_runs_torch_alone_and_others_keep_their_threads() -> None:
    """The GUI thread's torch math stays on it (no OpenMP team); later threads are unaffected."""
    import threading

    import torch

    before = torch.get_num_threads()
    seen: dict[str, int] = {}

    def serial() -> None:
        devices.keep_calling_thread_serial()
        devices.keep_calling_thread_serial()  # once is enough; again changes nothing
        seen["serial"] = torch.get_num_threads()

    def later() -> None:
        seen["later"] = torch.get_num_threads()

    for target in (serial, later):
        thread = threading.Thread(target=target)
        thread.start()
        thread.join()
    assert seen == {"serial": 1, "later": before}
    assert torch.get_num_threads() == before
