# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The access matrix: who may do what, as data.

docs/access.csv holds, for every role (res.role of the modules) and every
model of the modules (and the party models that hold citizens' data), what
the server grants: read, create, write, delete, the buttons the role may
press and the fields it may not read.  tests/test_rpc_access.py asserts
each cell over JSON-RPC as a user of the role; the README's access table is
made from it (`scripts/access`), so the three cannot drift apart.

To change an access: change the module's XML, then run
`ACCESS_MATRIX=write scripts/test -k test_rpc_access` (rewrites the CSV
from the server) and `scripts/access` (rewrites the README's table); review
the diff of both."""
import csv
import io
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CSV = ROOT / 'docs' / 'access.csv'
README = ROOT / 'README.md'
COLUMNS = ['role', 'model', 'read', 'create', 'write', 'delete', 'buttons',
    'hidden_fields']
PERMISSIONS = ['read', 'create', 'write', 'delete']
MODULES = ['hall', 'hall_queue', 'hall_evaluation', 'hall_green_channel',
    'hall_proxy', 'hall_delivery', 'content_review', 'hall_indicators',
    'hall_hotline', 'hall_theme']
# The core models that hold a citizen's data
PERSONAL_MODELS = ['party.party', 'party.identifier',
    'party.contact_mechanism', 'party.address']
BEGIN = '<!-- access table: made by scripts/access from docs/access.csv -->'
END = '<!-- end of access table -->'


def row_key(row):
    return (row['role'], row['model'])


def to_text(rows):
    output = io.StringIO()
    writer = csv.DictWriter(output, COLUMNS, lineterminator='\n')
    writer.writeheader()
    for row in sorted(rows, key=row_key):
        writer.writerow({c: row.get(c, '') for c in COLUMNS})
    return output.getvalue()


def read(path=CSV):
    with open(path, newline='', encoding='utf-8') as file:
        return list(csv.DictReader(file))


def write(rows, path=CSV):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(to_text(rows), encoding='utf-8')


def cell(value):
    return 'x' if value else ''


def table(rows):
    """The README's table: per role, the models it changes and those it
    only reads, by module"""
    by_role = defaultdict(lambda: {'changes': [], 'reads': []})
    for row in sorted(rows, key=row_key):
        if not row['read']:
            continue
        rights = ''.join(
            letter for letter, name in [('c', 'create'), ('w', 'write'),
                ('d', 'delete')] if row[name])
        if rights:
            by_role[row['role']]['changes'].append(
                f"`{row['model']}` ({rights})")
        else:
            by_role[row['role']]['reads'].append(f"`{row['model']}`")
    lines = [
        BEGIN,
        '',
        '| role | creates (c), writes (w), deletes (d) | reads only |',
        '|---|---|---|',
        ]
    for role in sorted(by_role):
        access = by_role[role]
        lines.append(
            f"| `{role}` | {', '.join(access['changes']) or '—'} "
            f"| {', '.join(access['reads']) or '—'} |")
    lines += ['', END]
    return '\n'.join(lines)


def readme_with_table(readme, rows):
    "The README text with its access table made anew"
    start = readme.index(BEGIN)
    end = readme.index(END) + len(END)
    return readme[:start] + table(rows) + readme[end:]


def update_readme(path=README, rows=None):
    rows = read() if rows is None else rows
    text = path.read_text(encoding='utf-8')
    new = readme_with_table(text, rows)
    if new != text:
        path.write_text(new, encoding='utf-8')
        return True
    return False
