"""Message bodies (pure): charsets, sanitised HTML to text, quoted history trimmed."""

from __future__ import annotations

import re
from email.message import Message

import html2text
import nh3
from mailparser_reply import EmailReplyParser

SAFE_TAGS = {"a", "b", "blockquote", "br", "code", "div", "em", "h1", "h2", "h3", "h4", "i",
             "li", "ol", "p", "pre", "span", "strong", "table", "tbody", "td", "th", "thead",
             "tr", "u", "ul"}
REPLY_LANGUAGES = ["en", "fr", "de", "es", "it", "nl", "pt", "ja"]
_replies = EmailReplyParser(languages=REPLY_LANGUAGES)


def decoded(part: Message) -> str:
    """A text part's content as str, whatever its declared charset."""
    payload = part.get_payload(decode=True) or b""
    if isinstance(payload, str):
        return payload
    charset = part.get_content_charset() or "utf-8"
    for candidate in (charset, "utf-8", "cp1252"):
        try:
            return payload.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("utf-8", errors="replace")


def html_to_text(html: str) -> str:
    """Sanitise (nh3: no script, style, event handler or remote image) then render text."""
    clean = nh3.clean(html, tags=SAFE_TAGS, attributes={"a": {"href"}},
                      clean_content_tags={"script", "style", "head", "title"})
    converter = html2text.HTML2Text()
    converter.body_width = 0
    converter.ignore_images = True
    converter.ignore_emphasis = True
    return converter.handle(clean).strip()


def trim_quoted(text: str) -> str:
    """The new part of a reply: quoted history and signatures removed (mail-parser-reply);
    the whole text when trimming would leave nothing."""
    text = normalise(text)
    try:
        latest = _replies.parse_reply(text=text) or ""
    except Exception:  # the library's regular expressions must never lose a message
        latest = ""
    latest = latest.strip()
    return latest or text


def normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return re.sub(r"\n{3,}", "\n\n", text).strip()
