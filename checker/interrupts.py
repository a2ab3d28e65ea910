"""Stopping a run cleanly: SIGTERM as an exception like SIGINT's KeyboardInterrupt, and a block
in which both wait, so that a set of report files is replaced whole or not at all.

The command line turns either into one line on stderr and the exit code a shell would show
for the signal (130 for SIGINT, 143 for SIGTERM).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from types import FrameType
from typing import Any

__all__ = ["Terminated", "deferred", "exit_code", "raise_on_sigterm"]

_STOPPING = (signal.SIGINT, signal.SIGTERM)


class Terminated(BaseException):
    """SIGTERM arrived. A BaseException, like KeyboardInterrupt, so that no `except Exception`
    on the way up swallows it."""

    def __init__(self, signum: int = signal.SIGTERM) -> None:
        super().__init__(signum)
        self.signum = signum


def exit_code(signum: int) -> int:
    """The exit status a shell reports for a process ended by `signum`."""
    return 128 + signum


def raise_on_sigterm() -> Callable[[], None]:
    """From now on SIGTERM raises Terminated in the main thread; returns the undo.

    A SIGTERM that was ignored when the process started stays ignored, as does everything
    when called outside the main thread (where Python cannot set handlers).
    """
    if threading.current_thread() is not threading.main_thread():
        return _nothing
    previous = signal.getsignal(signal.SIGTERM)
    if previous == signal.SIG_IGN:
        return _nothing
    signal.signal(signal.SIGTERM, _terminate)
    return lambda: _restore({signal.SIGTERM: previous})


@contextmanager
def deferred() -> Iterator[None]:
    """SIGINT and SIGTERM received inside the block take effect when it ends.

    The signal is then raised again with the handlers of before, so it ends the run as it would
    have; an error raised inside the block goes first.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []

    def remember(signum: int, frame: FrameType | None) -> None:
        received.append(signum)

    previous = {
        signum: handler
        for signum in _STOPPING
        if (handler := signal.getsignal(signum)) != signal.SIG_IGN
    }
    for signum in previous:
        signal.signal(signum, remember)
    try:
        yield
    finally:
        _restore(previous)
    if received:
        signal.raise_signal(received[0])


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise Terminated(signum)


def _restore(handlers: Mapping[signal.Signals, Any]) -> None:
    for signum, handler in handlers.items():
        # getsignal() gives None for a handler not set from Python: the default is all we can set
        signal.signal(signum, handler if handler is not None else signal.SIG_DFL)


def _nothing() -> None:
    return None
