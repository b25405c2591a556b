"""Logging helpers."""

import logging


class SingleLineFilter(logging.Filter):
    """Escape CR/LF in log messages so user input cannot forge log lines (docs/quality.md L2)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "\n" in message or "\r" in message:
            record.msg = message.replace("\r", "\\r").replace("\n", "\\n")
            record.args = None
        return True
