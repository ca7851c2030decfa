"""Filling a mail rendered once with one person's values."""

from __future__ import annotations

import pytest

from events.mail.compose import ComposedMail
from events.mail.personal import PersonalTemplate, markers


def _template() -> PersonalTemplate:
    marked = markers(["name", "link"])
    name, link = marked["name"], marked["link"]
    return PersonalTemplate(
        ComposedMail(
            subject=f"{name} 様へ",
            text=f"{name} 様\n{link}\n",
            html=f'<p>{name} 様</p><a href="{link}">{link}</a>',
        ),
        marked,
    )


def test_values_are_verbatim_in_text_and_escaped_in_html() -> None:
    filled = _template().fill(name="O'Brien & <Sons>", link="https://x.example/a/t?k=1&m=2")
    assert filled.text == "O'Brien & <Sons> 様\nhttps://x.example/a/t?k=1&m=2\n"
    assert filled.html == (
        "<p>O&#39;Brien &amp; &lt;Sons&gt; 様</p>"
        '<a href="https://x.example/a/t?k=1&amp;m=2">https://x.example/a/t?k=1&amp;m=2</a>'
    )


def test_a_subject_stays_one_line_as_composing_makes_it() -> None:
    assert _template().fill(name="山田\n  太郎", link="x").subject == "山田 太郎 様へ"


def test_a_value_holding_another_marker_is_left_as_it_is() -> None:
    template = _template()
    filled = template.fill(name=template.markers["link"], link="https://x.example/a/t")
    assert filled.text.splitlines() == [f"{template.markers['link']} 様", "https://x.example/a/t"]


def test_every_value_must_be_given() -> None:
    with pytest.raises(ValueError, match="link"):
        _template().fill(name="山田")


def test_markers_differ_each_time() -> None:
    assert markers(["name"]) != markers(["name"])
