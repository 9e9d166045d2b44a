"""The program's log: a rotating file in the user's data folder, with no personal data in it.

Only what happened is written (which command or screen, which step, error types, timings),
never a person's name or a value they own; as a second guard, anything that looks like an ID or
account number is masked before a line is written.
"""
from __future__ import annotations

import logging
import re
from logging.handlers import RotatingFileHandler

from workbench.paths import data_dir

LOG_FILE = "workbench.log"
_NUMBERS = re.compile(r"\d{6}(?:\d{11}[\dXx]|\d{6,24})")  # ID numbers, bank accounts


class MaskNumbers(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = _NUMBERS.sub(lambda found: found.group()[:3] + "*" * (len(found.group()) - 7) + found.group()[-4:], message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def log_folder():
    folder = data_dir() / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def setup_logging() -> logging.Logger:
    """The `workbench` logger writing to logs/workbench.log (1 MB a file, the last 5 kept)."""
    logger = logging.getLogger("workbench")
    path = str(log_folder() / LOG_FILE)
    for handler in list(logger.handlers):
        if isinstance(handler, RotatingFileHandler):
            if handler.baseFilename == path:
                return logger
            logger.removeHandler(handler)  # the data folder changed (another WORKBENCH_DATA_DIR)
            handler.close()
    handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(MaskNumbers())
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return logger
