# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Article bodies as the checkers and the reviewers see them.

Plain functions, no ORM import.  An article body is plain text or HTML.
The checkers scan `plain_text(body)`, which has exactly the length of the
body: markup is blanked out in place (the links of href/src attributes are
kept where they stand), so the offsets of a finding are offsets into the
stored body and the reviewer's highlighted copy marks the right characters.
`text_offsets(body)` reads the markup the same way but removes it, with
the span of the body each character comes from (for `checks.scan_html`).
"""
import html
import re

__all__ = ['is_html', 'plain_text', 'text_offsets', 'tag_spans', 'highlight',
    'excerpt']

_LOOKS_HTML = re.compile(
    r'<(?:[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?|/[a-zA-Z][a-zA-Z0-9]*\s*)>')
# a comment, a script or style with its code, a tag
_MARKUP = re.compile(
    r'<!--.*?-->|<(script|style)\b[^<>]*>.*?</\1\s*>|<[a-zA-Z/!][^<>]*>',
    re.S | re.I)
_ENTITY = re.compile(
    r'&(?:[a-zA-Z][a-zA-Z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});')
_PIECE = re.compile(f'{_MARKUP.pattern}|{_ENTITY.pattern}', re.S | re.I)
_LINK_ATTRIBUTE = re.compile(
    r'''\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))''', re.I)
_BLOCK = re.compile(
    r'</?(?:br|div|p|li|dl|dt|dd|tr|td|th|h[1-6]|table|thead|tbody|caption'
    r'|ul|ol|blockquote|section|article|header|footer|pre|hr|img)\b', re.I)
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


def _pieces(text):
    """Return the markup of an HTML body piece by piece.

    Yield (start, end, char, block, links) for each tag, comment, script or
    style (char is None) and each character entity (char is the character
    it stands for, a space for a no-break space): block tells whether a tag
    reads as a line break, links are the spans of its href and src values.
    An entity standing for more than one character is left as it is."""
    for match in _PIECE.finditer(text):
        start, end = match.span()
        token = match.group()
        if token[0] == '&':
            char = html.unescape(token)
            if char == '\xa0':
                char = ' '
            if len(char) == 1:
                yield start, end, char, False, ()
            continue
        if token.startswith('<!--'):
            yield start, end, None, False, ()
            continue
        # the opening tag (of a script or style, its code follows)
        tag = token[:token.index('>') + 1]
        links = [(start + link.start(group), start + link.end(group))
            for link in _LINK_ATTRIBUTE.finditer(tag)
            for group in (1, 2, 3) if link.group(group) is not None]
        yield start, end, None, bool(_BLOCK.match(tag)), links


def plain_text(text):
    """Return the text of the body with the markup blanked out in place.

    The result has the length of `text`; each tag becomes spaces (a line
    break for block tags) except the value of its href or src attribute,
    which stays at its offset; comments, scripts and styles become spaces;
    each character entity becomes the character it stands for followed by
    spaces."""
    if not text or not is_html(text):
        return text or ''
    chars = list(text)
    for start, end, char, block, links in _pieces(text):
        if char is not None:
            chars[start:end] = char + ' ' * (end - start - 1)
            continue
        chars[start:end] = ' ' * (end - start)
        if block:
            chars[start] = '\n'
        for link_start, link_end in links:
            chars[link_start:link_end] = text[link_start:link_end]
    return ''.join(chars)


def text_offsets(text):
    """Return the text of the body without its markup and where each of
    its characters comes from.

    Returns (plain, starts, ends): the markup read as `plain_text` does but
    removed (a line break for block tags, the values of href and src
    attributes on lines of their own, an entity decoded) and, for each
    character of plain, the span of `text` it stands for."""
    text = text or ''
    if not is_html(text):
        return text, list(range(len(text))), list(range(1, len(text) + 1))
    parts, starts, ends = [], [], []

    def add(chunk, start, end=None):
        parts.append(chunk)
        if end is None:   # verbatim
            starts.extend(range(start, start + len(chunk)))
            ends.extend(range(start + 1, start + len(chunk) + 1))
        else:
            starts.extend([start] * len(chunk))
            ends.extend([end] * len(chunk))

    position = 0
    for start, end, char, block, links in _pieces(text):
        if start > position:
            add(text[position:start], position)
        if char is not None:
            add(char, start, end)
        else:
            if block:
                add('\n', start, start)
            for link_start, link_end in links:
                add('\n', start, start)
                add(text[link_start:link_end], link_start)
                add('\n', start, start)
        position = end
    if position < len(text):
        add(text[position:], position)
    return ''.join(parts), starts, ends


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
