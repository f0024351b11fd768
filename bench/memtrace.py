"""A gateway process under tracemalloc, dumping a snapshot on SIGUSR1 (bench only).

    python -m bench.memtrace DIR [gateway args...]

Each SIGUSR1 writes `DIR/<n>.snap` (a tracemalloc snapshot, 25 frames) and
`DIR/<n>.txt` (RSS, traced bytes, pymalloc blocks, glibc's mallinfo2) for
`bench/memory_profile.py` to compare; a watcher thread also writes
`DIR/peak.snap` near the traced peak. With MEMTRACE_OFF=1 nothing is traced
(full speed) and only the figures are written. Otherwise `python -m gateway`.
"""

from __future__ import annotations

import ctypes
import gc
import os
import signal
import sys
import threading
import time
import tracemalloc
from collections import Counter
from pathlib import Path
from types import FrameType

from bench import procs
from gateway.__main__ import main as gateway_main


class MallInfo2(ctypes.Structure):
    """glibc's `struct mallinfo2` (sizes in bytes)."""

    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena",
            "ordblks",
            "smblks",
            "hblks",
            "hblkhd",
            "usmblks",
            "fsmblks",
            "uordblks",
            "fordblks",
            "keepcost",
        )
    ]


def mallinfo() -> list[str]:
    """The C heap: bytes from brk/arenas, in use, free inside them, mmapped."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallinfo2.restype = MallInfo2
    except (OSError, AttributeError):
        return []
    info = libc.mallinfo2()
    return [
        f"malloc_arena_mib {info.arena / 2**20:.1f}",
        f"malloc_in_use_mib {info.uordblks / 2**20:.1f}",
        f"malloc_free_mib {info.fordblks / 2**20:.1f}",
        f"malloc_mmapped_mib {info.hblkhd / 2**20:.1f}",
    ]


def pymalloc(directory: Path) -> list[str]:
    """pymalloc's arenas (mmapped, 1 MiB each, returned only when empty) and the
    bytes in use inside them, from sys._debugmallocstats (which writes to fd 2)."""
    path = directory / "mallocstats.txt"
    saved = os.dup(2)
    with path.open("w") as out:
        os.dup2(out.fileno(), 2)
        try:
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
    wanted = {
        "# arenas allocated current": "pymalloc_arenas",
        "# bytes in allocated blocks": "pymalloc_used_mib",
        "# bytes in available blocks": "pymalloc_free_mib",
        "Total": "pymalloc_total_mib",
    }
    found: list[str] = []
    for line in path.read_text().splitlines():
        for prefix, name in wanted.items():
            if line.startswith(prefix):
                value = int(line.rsplit("=", 1)[1].strip().replace(",", ""))
                mib = name.endswith("_mib")
                found.append(f"{name} {value / 2**20 if mib else value:.1f}")
    return found


def trim_every_second() -> None:
    """An experiment: glibc's malloc_trim(0) once a second."""
    libc = ctypes.CDLL("libc.so.6")
    while True:
        time.sleep(1)
        libc.malloc_trim(0)


def watch_peak(directory: Path) -> None:
    """Snapshot whenever the traced heap passes its last snapshot by 10%."""
    best = 40 * 2**20
    while True:
        time.sleep(0.05)
        current, _ = tracemalloc.get_traced_memory()
        if current > best * 1.1:
            best = current
            # Renamed into place: a reader never sees half a snapshot.
            tracemalloc.take_snapshot().dump(str(directory / "peak.tmp"))
            os.replace(directory / "peak.tmp", directory / "peak.snap")
            (directory / "peak.txt").write_text(f"traced_mib {current / 2**20:.1f}\n")


COLLECTED = [0, 0, 0]
"""Objects the cyclic GC freed, per generation: garbage only it can free
lives until a collection reaches its generation."""


def on_gc(phase: str, info: dict[str, int]) -> None:
    if phase == "stop":
        COLLECTED[info["generation"]] += info["collected"]


def dump(directory: Path, n: int) -> None:
    """Write snapshot `n` and the process's memory figures next to it."""
    before = list(COLLECTED)
    # Garbage left for the cyclic GC at this moment, counted apart, and by type.
    gc.set_debug(gc.DEBUG_SAVEALL)
    pending_garbage = gc.collect()
    gc.set_debug(0)
    kinds = Counter(type(o).__qualname__ for o in gc.garbage)
    names = Counter(
        getattr(o, "__qualname__", "?")
        for o in gc.garbage
        if type(o).__name__ in ("coroutine", "frame", "function", "method")
    )
    (directory / f"{n}.garbage").write_text(
        "\n".join(f"{c} {k}" for k, c in (kinds + names).most_common(60))
    )
    gc.garbage.clear()
    COLLECTED[:] = before
    traced, peak = tracemalloc.get_traced_memory()
    if tracemalloc.is_tracing():
        tracemalloc.take_snapshot().dump(str(directory / f"{n}.snap"))
    lines = [
        f"rss_mib {procs.rss_mib(os.getpid()):.1f}",
        f"traced_mib {traced / 2**20:.1f}",
        f"traced_peak_mib {peak / 2**20:.1f}",
        f"blocks {sys.getallocatedblocks()}",
        f"gc_objects {len(gc.get_objects())}",
        *(f"gc_collected_gen{g} {c}" for g, c in enumerate(COLLECTED)),
        f"gc_pending_garbage {pending_garbage}",
        *mallinfo(),
        *pymalloc(directory),
    ]
    (directory / f"{n}.txt").write_text("\n".join(lines) + "\n")
    # Every mapping with its RSS, to tell pymalloc arenas, malloc heaps, thread
    # stacks and libraries apart.
    (directory / f"{n}.smaps").write_text(Path("/proc/self/smaps").read_text())


def main() -> int:
    directory = Path(sys.argv[1])
    directory.mkdir(parents=True, exist_ok=True)
    if not os.environ.get("MEMTRACE_OFF"):
        tracemalloc.start(25)
        threading.Thread(target=watch_peak, args=(directory,), daemon=True).start()
    count = [0]
    gc.callbacks.append(on_gc)
    if os.environ.get("MEMTRACE_TRIM"):
        threading.Thread(target=trim_every_second, daemon=True).start()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        dump(directory, count[0])
        count[0] += 1

    signal.signal(signal.SIGUSR1, on_signal)
    return gateway_main(sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
