"""Readers and writers of files: workbooks now, PDF documents later."""
