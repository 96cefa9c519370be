"""``flashpoint copy SRC DST``: a log copied between stores, event for event.

Every stored event goes across as it was stored — same aggregate ids and versions, same
topic, same bytes (so the same recorded times) — in log order, 1,000 per transaction.
The destination must be empty or hold a beginning of the source (an earlier copy, or
one cut short): what it already holds is checked event by event and the rest appended,
so copying again is a no-op and an interrupted copy resumes. A destination that has
diverged (other events, or more of them) is refused and left untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from eventsourcing.persistence import StoredEvent
from flashpoint.domain.errors import FlashpointError

BATCH = 1000


class LogsDiverge(FlashpointError):
    """The destination holds events the source does not have in the same place."""


@dataclass
class CopyOutcome:
    copied: int
    already: int


def stored(recorder: Any, start: int = 1) -> Iterator[StoredEvent]:
    """Every stored event from notification ``start`` on, in log order, streamed."""
    position = start
    while notifications := recorder.select_notifications(position, BATCH):
        for notification in notifications:
            yield StoredEvent(
                originator_id=notification.originator_id,
                originator_version=notification.originator_version,
                topic=notification.topic,
                state=bytes(notification.state),
            )
        position = notifications[-1].id + 1


def _same(a: StoredEvent, b: StoredEvent) -> bool:
    return (
        str(a.originator_id) == str(b.originator_id)
        and a.originator_version == b.originator_version
        and a.topic == b.topic
        and bytes(a.state) == bytes(b.state)
    )


def copy_log(source: Any, target: Any, progress: Callable[[int, int], None] | None = None) -> CopyOutcome:
    """Append to ``target`` (a Flashpoint) what it lacks of ``source`` (a Flashpoint)."""
    total = source.recorder.max_notification_id() or 0
    events = stored(source.recorder)
    already = 0
    for position, held in enumerate(stored(target.recorder), start=1):
        original = next(events, None)
        if original is None or not _same(original, held):
            raise LogsDiverge(
                f"event {position} of the destination is not event {position} of the source: "
                "it is another log (copy only into an empty store, or one holding a copy of this log)"
            )
        already += 1
    copied = 0
    batch: list[StoredEvent] = []
    for event in events:
        batch.append(event)
        if len(batch) == BATCH:
            target.recorder.insert_events(batch)
            copied += len(batch)
            batch = []
            if progress is not None:
                progress(already + copied, total)
    if batch:
        target.recorder.insert_events(batch)
        copied += len(batch)
    if progress is not None:
        progress(already + copied, total)
    return CopyOutcome(copied=copied, already=already)
