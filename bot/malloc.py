"""Fewer glibc malloc arenas for Bravo's long-running processes.

glibc gives threads their own malloc arenas (up to eight per CPU), and memory freed in one arena
is not reused by a thread allocating from another, so a process with dozens of threads (a
gunicorn worker has 32, plus the outbox's and the scheduler's) keeps far more resident than it
uses after a burst. Two arenas, as ``MALLOC_ARENA_MAX=2`` would give, keep it near what it uses.
The cost is contention on malloc's locks between threads allocating at the same moment, which
the GIL makes rare (Python's small objects come from pymalloc, under the GIL)."""

from __future__ import annotations

import ctypes
import os

M_ARENA_MAX = -8  # glibc's malloc.h
ARENAS = 2


def limit_arenas(arenas: int = ARENAS) -> bool:
    """Cap the arenas of this process (and of those it forks from now on); call it before any
    thread starts. True when glibc took the cap; False when the environment already chose
    (``MALLOC_ARENA_MAX``) or the C library has no ``mallopt`` (not glibc)."""
    if os.environ.get("MALLOC_ARENA_MAX"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(M_ARENA_MAX, arenas))
