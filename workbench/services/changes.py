"""Saves made on a shared server by other installations, heard as they happen (LISTEN/NOTIFY on
the channel every save notifies)."""
from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from workbench.services.database import Database
from workbench.store.uow import CHANGES_CHANNEL

RETRY_SECONDS = 2.0  # how long to wait before listening again when the server is away
TICK_SECONDS = 0.5  # how often a listener looks whether it should stop


@dataclass(frozen=True)
class Change:
    installation: str
    user: str
    actions: tuple[str, ...]


class ChangeFeed:
    """Listens on a connection of its own. `listening` is true while saves elsewhere are heard."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.listening = False

    def changes(self, stopped: Callable[[], bool]) -> Iterator[Change]:
        """Every save by another installation, until `stopped()` is true; when the server is away,
        it listens again once it is back."""
        import psycopg

        url = self.db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        while not stopped():
            try:
                with psycopg.connect(url, autocommit=True) as connection:
                    connection.execute(f"LISTEN {CHANGES_CHANNEL}")
                    self.listening = True
                    while not stopped():
                        for note in connection.notifies(timeout=TICK_SECONDS):
                            if (change := self._change(note.payload)) is not None:
                                yield change
            except psycopg.OperationalError:
                self.listening = False
                waited = 0.0
                while waited < RETRY_SECONDS and not stopped():
                    time.sleep(TICK_SECONDS)
                    waited += TICK_SECONDS
        self.listening = False

    def _change(self, payload: str) -> Change | None:
        """The save a notice tells of; None for this installation's own saves and for a notice not understood."""
        try:
            message = json.loads(payload)
        except ValueError:
            return None
        if not isinstance(message, dict) or message.get("installation") == self.db.installation:
            return None
        return Change(str(message.get("installation", "")), str(message.get("user", "")),
                      tuple(str(action) for action in message.get("actions", []) or ()))
