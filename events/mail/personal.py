"""A mail rendered once for every recipient it reads the same for, then filled in per person.

Rendering a mail's three templates costs milliseconds; a registration of three people, or a
session's hundreds of attendees, would render the same text again for each. So the mail is
rendered with a random marker where each personal value goes (a name, a link), and filling it
in is a string replacement: verbatim in the subject and the plain text, escaped in the HTML
part exactly as the template's autoescaping would have escaped it.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from markupsafe import escape

from events.mail.compose import ComposedMail


def markers(names: Iterable[str]) -> dict[str, str]:
    """A marker for each personal value: random, so that no text anyone typed contains one,
    and of letters, digits and dashes, which no escaping or line folding changes."""
    return {name: f"personal-{name}-{secrets.token_hex(8)}" for name in names}


@dataclass(frozen=True)
class PersonalTemplate:
    """A composed mail whose personal values stand as `markers` (value name: marker)."""

    mail: ComposedMail
    markers: Mapping[str, str]

    def fill(self, **values: str) -> ComposedMail:
        """The mail as composing it with `values` would have made it. Every marker is
        replaced in one pass, so a value that happens to contain a marker stays as it is."""
        if set(values) != set(self.markers):
            raise ValueError(f"values for {sorted(self.markers)} expected, got {sorted(values)}")
        by_marker = {self.markers[name]: value for name, value in values.items()}
        pattern = re.compile("|".join(re.escape(marker) for marker in by_marker))
        escaped = {marker: str(escape(value)) for marker, value in by_marker.items()}

        def verbatim(text: str) -> str:
            return pattern.sub(lambda found: by_marker[found.group()], text)

        # Composing makes the subject one line; a value with spaces in it must read as if
        # it had been composed in.
        return ComposedMail(
            subject=" ".join(verbatim(self.mail.subject).split()),
            text=verbatim(self.mail.text),
            html=pattern.sub(lambda found: escaped[found.group()], self.mail.html),
        )
