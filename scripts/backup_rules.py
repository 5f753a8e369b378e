# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The rules of scripts/backup and scripts/restore that need no database,
no file and no process: configuration precedence, connection strings,
archive names and rotation, archive members, manifest checks.

Standard library only (the scripts run with the system python3)."""
import posixpath
import re
import urllib.parse

FORMAT = 1
MANIFEST = 'manifest.json'
FILESTORE = 'filestore'
DATABASE_MEMBERS = {
    'postgresql': 'database.dump',
    'sqlite': 'database.sqlite',
    }
# the dump of PostgreSQL is compressed already; a SQLite file is not
ARCHIVE_SUFFIXES = {
    'postgresql': '.tar',
    'sqlite': '.tar.gz',
    }
STAMP_FORMAT = '%Y%m%d-%H%M%S'
POSTGRESQL_NAME_LENGTH = 63
# core tables counted in the manifest beside the tables of the hall modules
CORE_MODELS = (
    'ir.attachment', 'ir.note', 'ir.module', 'ir.model',
    'res.user', 'res.group',
    'party.party', 'party.identifier', 'party.address',
    'party.contact_mechanism',
    'company.company', 'company.employee',
    )


def database_settings(files, environ):
    """The [database] uri and path that trytond uses, from the parsed
    configuration `files` (ConfigParser objects, in the order read) and the
    environment `environ`.

    trytond sets TRYTOND_DATABASE__URI / TRYTOND_DATABASE__PATH first and
    reads the configuration files afterwards, so a value in a file wins and
    the environment fills in what the files leave out."""
    settings = {
        'uri': environ.get('TRYTOND_DATABASE_URI') or 'sqlite://',
        'path': None,
        }
    for option in settings:
        value = environ.get(f'TRYTOND_DATABASE__{option.upper()}')
        if value is not None:
            settings[option] = value
    for parser in files:
        for option in settings:
            if parser.has_option('database', option):
                settings[option] = parser.get('database', option)
    return settings


def backend(uri):
    "The backend name of a trytond database URI, or None"
    scheme = urllib.parse.urlsplit(uri).scheme
    for name in DATABASE_MEMBERS:
        if scheme == name or scheme.startswith(name + '+'):
            return name
    return None


def split_password(uri, database):
    """Return the libpq URI of `database` on the server of the trytond
    `uri` (trytond replaces the path by the database name the same way),
    without its password, and the password (or None).

    The URI goes on command lines, the password only into PGPASSWORD."""
    parts = urllib.parse.urlsplit(uri)
    netloc = parts.netloc
    password = None
    if '@' in netloc:
        userinfo, hostport = netloc.rsplit('@', 1)
        if ':' in userinfo:
            userinfo, password = userinfo.split(':', 1)
            password = urllib.parse.unquote(password)
        netloc = f'{userinfo}@{hostport}'
    conninfo = (f'postgresql://{netloc}/'
        + urllib.parse.quote(database, safe=''))
    if parts.query:
        conninfo += '?' + parts.query
    return conninfo, password


def uri_user(uri):
    "The user name of a database URI, or None"
    username = urllib.parse.urlsplit(uri).username
    return urllib.parse.unquote(username) if username else None


def check_database_name(name, backend_name):
    "Raise ValueError when `name` cannot be a database of `backend_name`"
    if not name or name.strip() != name:
        raise ValueError("empty name or leading/trailing spaces")
    if '/' in name or '\\' in name or '\0' in name or name.startswith('.'):
        raise ValueError("a name with '/', '\\', NUL or a leading '.'")
    if (backend_name == 'postgresql'
            and len(name.encode('utf-8')) > POSTGRESQL_NAME_LENGTH):
        raise ValueError(
            f"longer than {POSTGRESQL_NAME_LENGTH} bytes")


def archive_name(database, stamp, backend_name):
    return f'hall-{database}-{stamp}{ARCHIVE_SUFFIXES[backend_name]}'


def archive_stamp(filename, database):
    """The time stamp of `filename` when it is an archive of `database`
    (hall-<database>-YYYYmmdd-HHMMSS.tar[.gz]), else None"""
    match = re.fullmatch(
        r'hall-' + re.escape(database) + r'-(\d{8}-\d{6})\.tar(\.gz)?',
        filename)
    return match.group(1) if match else None


def archives_to_delete(filenames, database, keep, current):
    """The archives of `database` among `filenames` that rotation deletes:
    all but the newest `keep`, where the archive `current` (just written)
    always counts among those kept"""
    if keep < 1:
        raise ValueError("keep at least one archive")
    others = sorted(
        ((archive_stamp(name, database), name) for name in filenames
            if name != current and archive_stamp(name, database)),
        reverse=True)
    return sorted(name for _, name in others[keep - 1:])


def partial_name(database, stamp, pid):
    "The work directory of a backup being written, beside the archives"
    return f'.hall-{database}-{stamp}-{pid}.partial'


def is_partial(filename, database):
    "Whether `filename` is the work directory of a backup of `database`"
    return re.fullmatch(r'\.hall-' + re.escape(database)
        + r'-\d{8}-\d{6}-\d+\.partial', filename) is not None


def temporary_database(name, pid):
    """A database name for restoring `name` before it replaces it; it
    starts as `name` does (test clean-ups drop databases by prefix)"""
    suffix = f'_restore_{pid}'
    head = name.encode('utf-8')[:POSTGRESQL_NAME_LENGTH - len(suffix)]
    return head.decode('utf-8', 'ignore') + suffix


def member_kind(name):
    """What the archive member `name` is: 'manifest', 'database' or
    'filestore'; ValueError for any other name (absolute, '..', ...)"""
    if name == MANIFEST:
        return 'manifest'
    if name in DATABASE_MEMBERS.values():
        return 'database'
    parts = name.split('/')
    if (len(parts) >= 2 and parts[0] == FILESTORE
            and all(part not in ('', '.', '..') for part in parts[1:])
            and '\\' not in name and '\0' not in name
            and posixpath.normpath(name) == name):
        return 'filestore'
    raise ValueError(f"unexpected archive member {name!r}")


def manifest_problems(manifest, files):
    """What is wrong with the archive: `manifest` is the parsed
    manifest.json, `files` maps each other member name to (size, sha256) as
    read from the archive.  An empty list means the archive is sound."""
    if not isinstance(manifest, dict):
        return ["manifest.json is not an object"]
    problems = []
    if manifest.get('format') != FORMAT:
        problems.append(f"unknown manifest format {manifest.get('format')!r}")
    backend_name = manifest.get('backend')
    if backend_name not in DATABASE_MEMBERS:
        problems.append(f"unknown backend {backend_name!r}")
    elif DATABASE_MEMBERS[backend_name] not in files:
        problems.append(f"{DATABASE_MEMBERS[backend_name]} is missing")
    if not isinstance(manifest.get('database'), str):
        problems.append("no database name")
    if not isinstance(manifest.get('counts'), dict):
        problems.append("no record counts")
    expected = manifest.get('files')
    if not isinstance(expected, dict):
        return problems + ["no checksums"]
    for name in sorted(set(expected) - set(files)):
        problems.append(f"{name} is missing")
    for name in sorted(set(files) - set(expected)):
        problems.append(f"{name} is not in the manifest")
    for name in sorted(set(files) & set(expected)):
        entry = expected[name]
        if not isinstance(entry, dict):
            problems.append(f"{name}: no checksum")
            continue
        size, sha256 = files[name]
        if entry.get('size') != size:
            problems.append(
                f"{name}: {size} bytes instead of {entry.get('size')}")
        elif entry.get('sha256') != sha256:
            problems.append(f"{name}: checksum mismatch")
    return problems


def count_differences(expected, actual):
    "The tables whose record count differs: [(table, expected, actual)]"
    return [(table, count, actual.get(table))
        for table, count in sorted(expected.items())
        if actual.get(table) != count]


def quote_identifier(name):
    "SQL identifier quoting (PostgreSQL and SQLite)"
    return '"' + name.replace('"', '""') + '"'


def quote_literal(value):
    return "'" + value.replace("'", "''") + "'"


def count_query(tables):
    "One query giving (table, count) for each of `tables`"
    return '\nUNION ALL\n'.join(
        f'SELECT {quote_literal(table)}, COUNT(*) FROM '
        f'{quote_identifier(table)}' for table in sorted(tables))


def main_models_condition(modules):
    """SQL condition on ir_model selecting the models of `modules` and the
    core models of CORE_MODELS"""
    listed = ', '.join(quote_literal(m) for m in sorted(modules)) or "''"
    core = ', '.join(quote_literal(m) for m in CORE_MODELS)
    return f'module IN ({listed}) OR name IN ({core})'


def human_size(size):
    for unit in ['B', 'kB', 'MB', 'GB']:
        if size < 1024 or unit == 'GB':
            return f'{size:.0f} {unit}' if unit == 'B' else f'{size:.1f} {unit}'
        size /= 1024
