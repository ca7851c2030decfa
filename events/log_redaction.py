"""Keep secret link tokens out of every log line (access log included)."""

from __future__ import annotations

import logging
import re

from events.tokens import TOKEN_LENGTH

_TOKEN_SEGMENT = re.compile(rf"(?<=/)[A-Za-z0-9_-]{{{TOKEN_LENGTH}}}(?=[/?#\s\"']|$)")
REDACTED = "[redacted]"


def redact(text: str) -> str:
    return _TOKEN_SEGMENT.sub(REDACTED, text)


class RedactTokens(logging.Filter):
    """Rewrites a record's message and arguments so that no link token reaches a handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(arg) if isinstance(arg, str) else arg for arg in record.args)
        return True
