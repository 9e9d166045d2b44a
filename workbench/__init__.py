"""County civil-affairs workbench: elderly subsidy rosters, monthly payouts and bank lists."""
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("workbench")
except PackageNotFoundError:  # running from a bundle without metadata
    __version__ = "0.0.0"
