# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Article bodies as the checkers and the reviewers see them.

Plain functions, no ORM import.  An article body is plain text or HTML.
The checkers scan `plain_text(body)`, which has exactly the length of the
body: markup is blanked out in place (the links of href/src attributes are
kept where they stand), so the offsets of a finding are offsets into the
stored body and the reviewer's highlighted copy marks the right characters.
"""
import html
import re

__all__ = ['is_html', 'plain_text', 'tag_spans', 'highlight', 'excerpt']

_LOOKS_HTML = re.compile(
    r'<(?:[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?|/[a-zA-Z][a-zA-Z0-9]*\s*)>')
_MARKUP = re.compile(r'<!--.*?-->|<[a-zA-Z/!][^<>]*>', re.S)
_ENTITY = re.compile(
    r'&(?:[a-zA-Z][a-zA-Z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});')
_LINK_ATTRIBUTE = re.compile(
    r'''\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))''', re.I)
_BLOCK = re.compile(
    r'</?(?:br|div|p|li|tr|td|th|h[1-6]|table|ul|ol|blockquote|section'
    r'|article|pre|hr)\b', re.I)
_SPACES = re.compile(r'\s+')

# Colours of the marks in the reviewer's copy (the rich text widget of the
# client keeps <b>, <font color> and <font size>).
SERIOUS_COLOR = '#c00000'
NORMAL_COLOR = '#b35900'
RESOLVED_COLOR = '#808080'


def is_html(text):
    "Tell whether the body is HTML rather than plain text"
    return bool(text) and bool(_LOOKS_HTML.search(text))


def tag_spans(text):
    "Return the (start, end) spans of the markup of an HTML body"
    if not is_html(text):
        return []
    return [m.span() for m in _MARKUP.finditer(text)]


def plain_text(text):
    """Return the text of the body with the markup blanked out in place.

    The result has the length of `text`; each tag becomes spaces (a line
    break for block tags) except the value of its href or src attribute,
    which stays at its offset; each character entity becomes the character
    it stands for followed by spaces."""
    if not text or not is_html(text):
        return text or ''
    chars = list(text)
    for match in _MARKUP.finditer(text):
        start, end = match.span()
        chars[start:end] = ' ' * (end - start)
        if _BLOCK.match(text, start):
            chars[start] = '\n'
        for link in _LINK_ATTRIBUTE.finditer(match.group()):
            for group in (1, 2, 3):
                if link.group(group) is not None:
                    value_start, value_end = link.span(group)
                    chars[start + value_start:start + value_end] = (
                        match.group()[value_start:value_end])
    for match in _ENTITY.finditer(text):
        start, end = match.span()
        if chars[start] != '&':
            # inside a tag, already handled
            continue
        char = html.unescape(match.group())
        if char == '\xa0':
            char = ' '
        if len(char) != 1:
            continue
        chars[start:end] = char + ' ' * (end - start - 1)
    return ''.join(chars)


def _escape(text):
    return html.escape(text, quote=False).replace('\n', '<br/>')


def highlight(text, marks):
    """Return the body as rich text with the marks highlighted.

    `marks` are tuples (start, end, label, severity, resolved) where
    severity is 'serious' or 'normal'; the marked characters are shown in
    bold and coloured, followed by the label in small print.  Marks that
    overlap an earlier mark or fall inside the markup of an HTML body are
    left out (they are still listed with their excerpt)."""
    text = text or ''
    html_body = is_html(text)
    tags = tag_spans(text)

    def in_tag(start, end):
        return any(s < end and start < e for s, e in tags)

    parts = []
    position = 0
    for start, end, label, severity, resolved in sorted(
            marks, key=lambda m: (m[0], m[1])):
        if (start < position or end <= start or end > len(text)
                or (html_body and in_tag(start, end))):
            continue
        before = text[position:start]
        parts.append(before if html_body else _escape(before))
        if resolved:
            color = RESOLVED_COLOR
        elif severity == 'serious':
            color = SERIOUS_COLOR
        else:
            color = NORMAL_COLOR
        marked = text[start:end]
        if not html_body:
            marked = _escape(marked)
        parts.append(
            f'<font color="{color}"><b>{marked}</b></font>'
            f'<font color="{color}" size="1">[{html.escape(str(label))}]'
            '</font>')
        position = end
    rest = text[position:]
    parts.append(rest if html_body else _escape(rest))
    return ''.join(parts)


def excerpt(text, start, end, width=20):
    "Return the matched text in its context: …before【match】after…"
    text = text or ''
    before = text[max(0, start - width):start]
    after = text[end:end + width]
    prefix = '…' if start > width else ''
    suffix = '…' if end + width < len(text) else ''
    return ''.join([
            prefix, _SPACES.sub(' ', before), '【', text[start:end], '】',
            _SPACES.sub(' ', after), suffix])
