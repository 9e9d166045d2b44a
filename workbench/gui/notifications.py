"""With a shared PostgreSQL server, open windows hear of other installations' saves (LISTEN/NOTIFY)
and refresh the screen in front of the user."""
from __future__ import annotations

import json

from PySide6.QtCore import QThread, Signal

from workbench.bootstrap import Database
from workbench.store.uow import CHANGES_CHANNEL


class ChangeListener(QThread):
    """Listens on its own connection; emits (installation, user, actions) for every save elsewhere."""

    changed = Signal(str, str, list)

    def __init__(self, db: Database, parent=None) -> None:
        super().__init__(parent)
        self.db = db
        self._stop = False
        self.listening = False  # true while a connection listens (saves elsewhere are heard from then on)

    def stop(self) -> None:
        self._stop = True

    def run(self) -> None:
        import psycopg

        url = self.db.engine.url.set(drivername="postgresql")
        while not self._stop:
            try:
                with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True) as connection:
                    connection.execute(f"LISTEN {CHANGES_CHANNEL}")
                    self.listening = True
                    while not self._stop:
                        for note in connection.notifies(timeout=0.5):
                            self._heard(note.payload)
            except psycopg.OperationalError:
                self.listening = False
                self.msleep(2000)  # the server is away: listen again when it is back

    def _heard(self, payload: str) -> None:
        try:
            message = json.loads(payload)
        except ValueError:
            return
        if message.get("installation") != self.db.installation:
            self.changed.emit(message.get("installation", ""), message.get("user", ""), list(message.get("actions", [])))
