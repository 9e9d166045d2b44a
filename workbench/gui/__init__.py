"""The desktop workbench (PySide6): screens over the same services the command line uses."""
