"""Keep secret link tokens and e-mail addresses out of every log line (access log included).

Addresses come in through paths people paste and through SMTP refusals, which repeat the
recipient; the outbox row keeps the full error for the organizer, the log does not need it.
"""

from __future__ import annotations

import logging
import re

from events.lib.tokens import TOKEN_LENGTH

_TOKEN_SEGMENT = re.compile(rf"(?<=/)[A-Za-z0-9_-]{{{TOKEN_LENGTH}}}(?=[/?#\s\"']|$)")
_LOCAL_PART = r"[\w.!#$%&'*+/=?^`{|}~-]"
# Also percent-encoded (%40) as it appears in a logged path. The look-behind lets a match
# start only where a run of local-part characters starts: without it a long run with no "@"
# is scanned again from each of its characters, time growing with the square of its length
# (a 60 KB request path held the event loop for seconds).
_EMAIL = re.compile(rf"(?<!{_LOCAL_PART}){_LOCAL_PART}+(?:@|%40)[\w-]+(?:\.[\w-]+)+", re.ASCII)
REDACTED = "[redacted]"
REDACTED_EMAIL = "[email]"


def redact(text: str) -> str:
    # Each access log line passes here several times (address, method, path, version): the
    # searches run only on text that holds what they look for ("/" before a token, "@" or
    # "%40" in an address), which halves the cost of a line.
    if "/" in text:
        text = _TOKEN_SEGMENT.sub(REDACTED, text)
    if "@" in text or "%40" in text:
        text = _EMAIL.sub(REDACTED_EMAIL, text)
    return text


class RedactTokens(logging.Filter):
    """Rewrites a record's message, arguments and traceback text before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            # Exceptions are formatted with %s: their text is where SMTP refusals put addresses.
            record.args = tuple(
                redact(str(arg)) if isinstance(arg, str | BaseException) else arg
                for arg in record.args
            )
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
