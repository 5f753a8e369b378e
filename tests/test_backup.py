# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""scripts/backup and scripts/restore.

A database with `hall` activated (SQLite, or PostgreSQL when
TRYTOND_DATABASE__URI names it), a party, a service and an attachment
whose bytes are in the filestore is backed up, dropped with its filestore
and restored: the record counts and the attachment's bytes (read through
trytond) are those of before.  A restore over the existing database is
refused without --force and done with it; a damaged archive is refused
without changing anything; rotation keeps the newest N archives; a failed
backup leaves nothing behind.  The scripts run with the system python3
(standard library only) when there is one.

The rules without a database (configuration precedence, connection
strings, rotation, archive members, manifest checks) are tested directly.
"""
import configparser
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import time
import urllib.parse
from pathlib import Path

import pytest
from conftest import BIN, ROOT, _clean_env, _pg_create, _pg_drop

sys.path.insert(0, str(ROOT / 'scripts'))
import backup_rules as rules  # noqa: E402

BACKUP = ROOT / 'scripts' / 'backup'
RESTORE = ROOT / 'scripts' / 'restore'
# the scripts must run without the virtualenv's packages
PYTHON = '/usr/bin/python3' if os.path.exists('/usr/bin/python3') \
    else sys.executable
ADMIN_PASSWORD = 'Admin-2026!'
ATTACHMENT_NAME = '营业执照.pdf'
COUNTED_TABLES = ['party_party', 'hall_department', 'hall_service',
    'ir_attachment', 'res_user', 'ir_module', 'ir_model', 'ir_translation']

POPULATE = '''
import hashlib, json, sys
from trytond.pool import Pool
from trytond.transaction import Transaction
database, name = sys.argv[1:]
pool = Pool(database)
pool.init()
with Transaction().start(database, 0, context={'language': 'zh_CN'}) as t:
    Party = pool.get('party.party')
    Department = pool.get('hall.department')
    Service = pool.get('hall.service')
    Attachment = pool.get('ir.attachment')
    party, = Party.create([{'name': "张建明"}])
    department, = Department.create([{'name': "市场监督管理局", 'code': 'SCJG'}])
    Service.create([{'code': 'SC-001', 'name': "食品经营许可",
        'department': department.id, 'legal_limit': 20, 'promised_limit': 5}])
    data = bytes(range(256)) * 64 + "营业执照".encode()
    attachment, = Attachment.create([{
        'name': name, 'resource': str(party), 'data': data}])
    t.commit()
    print(json.dumps({'file_id': attachment.file_id,
        'sha256': hashlib.sha256(data).hexdigest()}))
'''

READ_ATTACHMENT = '''
import hashlib, sys
from trytond.pool import Pool
from trytond.transaction import Transaction
database, name = sys.argv[1:]
pool = Pool(database)
pool.init()
with Transaction().start(database, 0, readonly=True):
    attachment, = pool.get('ir.attachment').search([('name', '=', name)])
    print(hashlib.sha256(attachment.data).hexdigest())
'''


class Hall:
    "The database under test, its configuration and its filestore"

    def __init__(self, tmp, uri, name):
        self.tmp = tmp
        self.uri = uri
        self.postgresql = uri.startswith('postgresql')
        self.name = name
        self.data = tmp / 'data'            # [database] path
        self.conf = tmp / 'trytond.conf'
        self.env = _clean_env()

    def filestore(self, name=None):
        return self.data / (name or self.name)

    def exists(self, name=None):
        name = name or self.name
        if self.postgresql:
            return bool(self._pg(
                    'postgres', "SELECT 1 FROM pg_database WHERE datname = %s",
                    (name,)))
        return (self.data / f'{name}.sqlite').exists()

    def drop(self, name=None):
        name = name or self.name
        if self.postgresql:
            _pg_drop(self.uri, name)
        else:
            for suffix in ['', '-wal', '-shm']:
                Path(f'{self.data / name}.sqlite{suffix}').unlink(
                    missing_ok=True)
        shutil.rmtree(self.filestore(name), ignore_errors=True)

    def counts(self):
        query = ' UNION ALL '.join(
            f"SELECT '{table}', COUNT(*) FROM {table}"
            for table in COUNTED_TABLES)
        if self.postgresql:
            return dict(self._pg(self.name, query))
        connection = sqlite3.connect(self.data / f'{self.name}.sqlite')
        try:
            return dict(connection.execute(query).fetchall())
        finally:
            connection.close()

    def _pg(self, database, query, params=()):
        import psycopg
        uri = urllib.parse.urlsplit(self.uri)
        options = dict(urllib.parse.parse_qsl(uri.query))
        with psycopg.connect(host=uri.hostname, port=uri.port,
                user=uri.username, dbname=database, autocommit=True,
                **options) as connection:
            return connection.execute(query, params).fetchall()

    def trytond(self, script, *args):
        result = subprocess.run([sys.executable, '-c', script, *args],
            env=dict(self.env, TRYTOND_CONFIG=str(self.conf)), cwd=ROOT,
            capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout.strip().splitlines()[-1]

    def leftovers(self):
        "Restore work directories and temporary databases left behind"
        found = [p.name for p in self.data.glob('.restore-*')]
        if self.postgresql:
            found += [name for name, in self._pg('postgres',
                    "SELECT datname FROM pg_database WHERE datname LIKE %s",
                    (self.name + '%_restore_%',))]
        return found


def script(script_path, *args, env):
    return subprocess.run([PYTHON, str(script_path), *map(str, args)],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)


def succeed(script_path, *args, env):
    result = script(script_path, *args, env=env)
    assert result.returncode == 0, (
        f"{script_path.name} exited {result.returncode}:\n"
        f"{result.stdout}\n{result.stderr}")
    return result


def refused(result, *words):
    "The script failed, saying so in Chinese first and English after"
    assert result.returncode != 0, result.stdout
    chinese = result.stderr.find(': 错误：')
    assert 0 <= chinese < result.stderr.find(': error: ', chinese), \
        result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def archives(directory):
    return sorted(p.name for p in directory.iterdir())


@pytest.fixture(scope='module')
def hall(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('backup')
    uri = os.environ.get('TRYTOND_DATABASE__URI') or 'sqlite://'
    if uri.startswith('postgresql'):
        base = os.environ.get('DB_NAME', '')
        if not base or base == ':memory:':
            base = f'test_svc_{int(time.time())}_{os.getpid()}'
        name = f'{base}_backup'
    else:
        name = 'backup'
    hall = Hall(tmp, uri, name)
    hall.data.mkdir()
    hall.conf.write_text('\n'.join(['[database]', f'uri = {uri}',
                f'path = {hall.data}', 'language = zh_CN', '',
                '[password]', 'length = 8', '']))
    (tmp / 'admin-password').write_text(ADMIN_PASSWORD + '\n')
    try:
        if hall.postgresql:
            _pg_create(uri, name)
        else:
            (hall.data / f'{name}.sqlite').touch()
        result = subprocess.run([BIN / 'trytond-admin', '-c', hall.conf,
                '-d', name, '-u', 'hall', '--activate-dependencies',
                '-l', 'zh_CN', '--email', 'admin@example.com'],
            env=dict(hall.env, TRYTONPASSFILE=str(tmp / 'admin-password')),
            cwd=ROOT, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr[-4000:]
        hall.attachment = json.loads(
            hall.trytond(POPULATE, name, ATTACHMENT_NAME))
        yield hall
    finally:
        if hall.postgresql:
            for database in [name, f'{name}_copy']:
                _pg_drop(uri, database)


def test_backup_and_restore(hall, tmp_path):
    file_id = hall.attachment['file_id']
    stored = hall.filestore() / file_id[:2] / file_id[2:4] / file_id
    assert hashlib.sha256(stored.read_bytes()).hexdigest() \
        == hall.attachment['sha256']
    before = hall.counts()
    assert before['party_party'] >= 1 and before['hall_service'] == 1
    assert before['ir_attachment'] == 1

    # the configuration file from TRYTOND_CONFIG, as trytond
    backups = tmp_path / 'backups'
    output = succeed(BACKUP, '-d', hall.name, '--dir', backups,
        env=dict(hall.env, TRYTOND_CONFIG=str(hall.conf))).stdout
    archive, = backups.iterdir()
    assert str(archive) in output
    suffix = '.tar' if hall.postgresql else '.tar.gz'
    assert re.fullmatch(
        rf'hall-{re.escape(hall.name)}-\d{{8}}-\d{{6}}{re.escape(suffix)}',
        archive.name)
    assert archive.stat().st_mode & 0o777 == 0o600
    with tarfile.open(archive) as tar:
        members = {m.name for m in tar.getmembers()}
        manifest = json.load(tar.extractfile('manifest.json'))
    database_member = 'database.dump' if hall.postgresql \
        else 'database.sqlite'
    assert members == {'manifest.json', database_member,
        f'filestore/{file_id[:2]}/{file_id[2:4]}/{file_id}'}
    assert manifest['database'] == hall.name
    assert manifest['backend'] == ('postgresql' if hall.postgresql
        else 'sqlite')
    hall_cfg = configparser.ConfigParser()
    hall_cfg.read(ROOT / 'modules' / 'hall' / 'tryton.cfg')
    assert manifest['modules']['hall'] == hall_cfg.get('tryton', 'version')
    assert manifest['trytond_version'].startswith('8.0.')
    for table in ['party_party', 'hall_service', 'hall_department',
            'ir_attachment', 'res_user']:
        assert manifest['counts'][table] == before[table], table
    assert set(manifest['files']) == members - {'manifest.json'}

    hall.drop()
    assert not hall.exists() and not hall.filestore().exists()
    output = succeed(RESTORE, '-c', hall.conf, archive, env=hall.env).stdout
    assert hall.name in output and 'party_party' in output
    assert hall.counts() == before
    assert stored.read_bytes() and hall.trytond(
        READ_ATTACHMENT, hall.name, ATTACHMENT_NAME) \
        == hall.attachment['sha256']
    if hall.postgresql:
        # as config/README.md creates the database: PUBLIC may not connect
        assert hall._pg('postgres', "SELECT has_database_privilege("
            "'public', %s, 'CONNECT')", (hall.name,)) == [(False,)]

    # over the existing database: refused, then done with --force
    refused(script(RESTORE, '-c', hall.conf, archive, env=hall.env),
        '已存在', 'exists', '--force')
    assert hall.counts() == before
    succeed(RESTORE, '-c', hall.conf, archive, '--force', env=hall.env)
    assert hall.counts() == before
    assert hashlib.sha256(stored.read_bytes()).hexdigest() \
        == hall.attachment['sha256']
    assert not hall.leftovers()

    # damaged archives change nothing
    copy = f'{hall.name}_copy'
    tampered = tmp_path / archive.name.replace(hall.name, 'tampered')
    with tarfile.open(archive) as source, \
            tarfile.open(tampered, 'w:gz' if suffix == '.tar.gz' else 'w') \
            as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith('filestore/'):
                data = data[:-1] + b'!'
            target.addfile(member, io.BytesIO(data))
    refused(script(RESTORE, '-c', hall.conf, tampered, '-d', copy,
            env=hall.env), '损坏', 'checksum mismatch')
    truncated = tmp_path / archive.name.replace(hall.name, 'truncated')
    truncated.write_bytes(archive.read_bytes()[:archive.stat().st_size // 2])
    refused(script(RESTORE, '-c', hall.conf, truncated, '-d', copy,
            env=hall.env), '损坏', 'damaged')
    assert not hall.exists(copy) and not hall.filestore(copy).exists()
    assert not hall.leftovers()

    # rotation: the newest 2 archives of the database; other files stay
    rotated = tmp_path / 'rotated'
    rotated.mkdir()
    old = [f'hall-{hall.name}-2024010{day}-023000{suffix}'
        for day in [1, 2, 3]]
    others = [f'hall-{hall.name}-old-20240101-023000.tar',
        f'hall-{hall.name}-notes.txt']
    for name in old + others:
        (rotated / name).write_bytes(b'not an archive')
    abandoned = rotated / rules.partial_name(hall.name, '20240101-023000', 1)
    abandoned.mkdir()
    os.utime(abandoned, (time.time() - 3600,) * 2)
    output = succeed(BACKUP, '-c', hall.conf, '-d', hall.name,
        '--dir', rotated, '--keep', '2', env=hall.env).stdout
    new, = set(archives(rotated)) - set(old + others)
    assert archives(rotated) == sorted([old[-1], new] + others)
    assert old[0] in output and old[1] in output


def test_failed_backup_leaves_nothing(hall, tmp_path):
    backups = tmp_path / 'backups'
    backups.mkdir()
    refused(script(BACKUP, '-c', hall.conf, '-d', f'{hall.name}_missing',
            '--dir', backups, env=hall.env), '不存在', 'does not exist')
    assert archives(backups) == []

    env = dict(hall.env)
    if hall.postgresql:
        # pg_dump fails half-way: a dump file is written, then an error
        fake = tmp_path / 'bin'
        fake.mkdir()
        (fake / 'pg_dump').write_text('#!/bin/sh\n'
            'for a; do case "$a" in --file=*) echo partial > "${a#--file=}";;'
            ' esac; done\necho "pg_dump: error: disk full" >&2\nexit 1\n')
        (fake / 'pg_dump').chmod(0o755)
        env['PATH'] = f"{fake}:{env['PATH']}"
        words = ['pg_dump', 'disk full']
    else:
        # a damaged database file (the end cut off)
        broken = hall.data / f'{hall.name}_broken.sqlite'
        source = (hall.data / f'{hall.name}.sqlite').read_bytes()
        broken.write_bytes(source[:len(source) // 3])
        words = ['失败', 'failed']
    database = hall.name if hall.postgresql else f'{hall.name}_broken'
    refused(script(BACKUP, '-c', hall.conf, '-d', database, '--dir', backups,
            env=env), *words)
    assert archives(backups) == []


# The rules, without a database


def parsed(text):
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(text)
    return parser


def test_settings_as_trytond():
    "The files win over TRYTOND_DATABASE__*, which fill in what they lack"
    environ = {'TRYTOND_DATABASE__URI': 'postgresql://env@db/',
        'TRYTOND_DATABASE__PATH': '/env/path'}
    assert rules.database_settings([parsed(
                '[database]\nuri = sqlite://\n')], environ) == {
        'uri': 'sqlite://', 'path': '/env/path'}
    assert rules.database_settings([parsed('[web]\nroot = /x\n')],
        environ) == {'uri': 'postgresql://env@db/', 'path': '/env/path'}
    assert rules.database_settings([parsed('[database]\npath = /a\n'),
            parsed('[database]\npath = /b\n')], {}) == {
        'uri': 'sqlite://', 'path': '/b'}
    assert rules.database_settings([], {
            'TRYTOND_DATABASE_URI': 'postgresql://old@db/'})['uri'] \
        == 'postgresql://old@db/'


def test_connection_without_password():
    conninfo, password = rules.split_password(
        'postgresql://tryton:p%40ss:w@10.0.0.5:5433/ignored'
        '?sslmode=require', 'hall')
    assert conninfo == 'postgresql://tryton@10.0.0.5:5433/hall' \
        '?sslmode=require'
    assert password == 'p@ss:w'
    assert rules.split_password('postgresql:///', 'hall') == (
        'postgresql:///hall', None)
    assert rules.uri_user('postgresql://tryton@db/') == 'tryton'
    assert rules.uri_user('postgresql:///') is None
    assert rules.backend('postgresql://x@y/') == 'postgresql'
    assert rules.backend('sqlite://') == 'sqlite'
    assert rules.backend('mysql://x@y/') is None


def test_rotation():
    names = ['hall-hall-20250101-023000.tar', 'hall-hall-20250102-023000.tar',
        'hall-hall-20250103-023000.tar.gz', 'hall-hall-2-20250101-023000.tar',
        'hall-hall-20250101-023000.tar.partial', 'README']
    assert rules.archives_to_delete(names, 'hall', 2,
        'hall-hall-20250103-023000.tar.gz') == [
        'hall-hall-20250101-023000.tar']
    # the archive just written is kept even when older than others
    future = 'hall-hall-29991231-000000.tar'
    assert rules.archives_to_delete(names + [future], 'hall', 1,
        'hall-hall-20250103-023000.tar.gz') == sorted([
            'hall-hall-20250101-023000.tar', 'hall-hall-20250102-023000.tar',
            future])
    assert rules.archives_to_delete(names, 'hall-2', 1,
        'hall-hall-2-20250101-023000.tar') == []
    with pytest.raises(ValueError):
        rules.archives_to_delete(names, 'hall', 0, names[0])
    assert rules.is_partial(rules.partial_name('hall', '20250101-023000', 7),
        'hall')
    assert not rules.is_partial(
        rules.partial_name('hall-2', '20250101-023000', 7), 'hall')


def test_archive_members():
    assert rules.member_kind('manifest.json') == 'manifest'
    assert rules.member_kind('database.dump') == 'database'
    assert rules.member_kind('filestore/ab/cd/abcd-1') == 'filestore'
    for name in ['../etc/passwd', '/etc/passwd', 'filestore/../x',
            'filestore/', 'filestore/a//b', 'filestore/./a', 'other',
            'filestore']:
        with pytest.raises(ValueError):
            rules.member_kind(name)


def test_manifest_problems():
    files = {'database.sqlite': (3, 'aaa'), 'filestore/a/b/c': (2, 'bbb')}
    manifest = {'format': 1, 'backend': 'sqlite', 'database': 'hall',
        'counts': {}, 'files': {
            'database.sqlite': {'size': 3, 'sha256': 'aaa'},
            'filestore/a/b/c': {'size': 2, 'sha256': 'bbb'}}}
    assert rules.manifest_problems(manifest, files) == []
    assert rules.manifest_problems(manifest, dict(files,
            **{'filestore/a/b/c': (2, 'ccc')})) == [
        "filestore/a/b/c: checksum mismatch"]
    assert rules.manifest_problems(manifest, {
            'database.sqlite': (3, 'aaa'), 'filestore/x': (1, 'd')}) == [
        "filestore/a/b/c is missing", "filestore/x is not in the manifest"]
    assert rules.manifest_problems(dict(manifest, backend='postgresql'),
        files)[0] == "database.dump is missing"
    assert rules.manifest_problems([], files)


def test_temporary_database_name():
    name = 'test_svc_1796380235_31982_' + 'x' * 40
    temporary = rules.temporary_database(name, 123456)
    assert len(temporary.encode()) <= 63
    assert temporary.endswith('_restore_123456')
    assert temporary.startswith('test_svc_1796380235_31982_')
    assert rules.count_differences({'a': 1, 'b': 2}, {'a': 1, 'b': 3}) \
        == [('b', 2, 3)]
