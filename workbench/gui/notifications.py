"""With a shared PostgreSQL server, open windows hear of other installations' saves (LISTEN/NOTIFY)
and refresh the screen in front of the user."""
from __future__ import annotations

from PySide6.QtCore import QThread, Signal

from workbench.bootstrap import Database
from workbench.services.changes import ChangeFeed


class ChangeListener(QThread):
    """Listens on its own connection; emits (installation, user, actions) for every save elsewhere."""

    changed = Signal(str, str, list)

    def __init__(self, db: Database, parent=None) -> None:
        super().__init__(parent)
        self.feed = ChangeFeed(db)
        self._stop = False

    @property
    def listening(self) -> bool:
        """True while a connection listens (saves elsewhere are heard from then on)."""
        return self.feed.listening

    def stop(self) -> None:
        self._stop = True

    def run(self) -> None:
        for change in self.feed.changes(lambda: self._stop):
            self.changed.emit(change.installation, change.user, list(change.actions))
