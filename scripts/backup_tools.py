# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""What scripts/backup and scripts/restore share: the trytond
configuration, the databases (PostgreSQL through its client programs,
SQLite through the sqlite3 module), the code versions and the archive.

Standard library only (the scripts run with the system python3)."""
import configparser
import hashlib
import importlib.util
import io
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import time
import traceback
from pathlib import Path

import backup_rules as rules

ROOT = Path(__file__).resolve().parent.parent
CHUNK = 1024 * 1024
SENTINEL = '__hall_backup_end_of_answer__'


class Failure(Exception):
    "A failure told to the user in Chinese, then in English"

    def __init__(self, chinese, english):
        super().__init__(english)
        self.chinese = chinese
        self.english = english


def run_main(program, main):
    """Run `main()`; on a Failure (or an interruption) tell it in Chinese
    then in English on stderr and exit with status 1"""
    def terminate(signum, frame):
        raise Failure(f"收到信号 {signum}，已中止", f"stopped by signal {signum}")
    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGHUP, terminate)
    try:
        main()
    except BrokenPipeError:
        # the reader of the report went away (`| head`): no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        failure = Failure("已被用户中断", "interrupted")
    except Failure as exception:
        failure = exception
    except Exception as exception:
        traceback.print_exc()
        failure = Failure(f"意外错误：{exception!r}",
            f"unexpected error: {exception!r}")
    else:
        return 0
    print(f"{program}: 错误：{failure.chinese}", file=sys.stderr)
    print(f"{program}: error: {failure.english}", file=sys.stderr)
    return 1


class Settings:
    "The [database] settings of the trytond configuration"

    def __init__(self, config_files, environ=os.environ):
        if not config_files:
            config_files = [environ.get('TRYTOND_CONFIG') or None]
        if not any(config_files):
            raise Failure(
                "未指定 trytond 配置文件（-c 或 TRYTOND_CONFIG）",
                "no trytond configuration file (-c or TRYTOND_CONFIG)")
        parsers = []
        for filename in config_files:
            filename = os.path.expanduser(filename)
            parser = configparser.ConfigParser(interpolation=None)
            try:
                with open(filename, encoding='utf-8') as fp:
                    parser.read_file(fp)
            except OSError as exception:
                raise Failure(f"无法读取配置文件 {filename}：{exception.strerror}",
                    f"cannot read the configuration file {filename}: "
                    f"{exception.strerror}")
            except configparser.Error as exception:
                raise Failure(f"配置文件 {filename} 格式错误",
                    f"the configuration file {filename} is invalid: "
                    f"{exception}")
            parsers.append(parser)
        settings = rules.database_settings(parsers, environ)
        self.uri = settings['uri']
        self.backend = rules.backend(self.uri)
        if not self.backend:
            raise Failure(f"不支持的数据库 URI：{self.uri.split('@')[-1]}",
                f"unsupported database URI: {self.uri.split('@')[-1]}")
        # as trytond: [database] path, relative to the working directory
        self.path = Path(os.path.abspath(
                settings['path'] or os.path.join(
                    os.path.expanduser('~'), 'db')))

    def server(self):
        "The database server (or SQLite directory) of the configuration"
        if self.backend == 'postgresql':
            return PostgreSQL(self.uri)
        return SQLite(self.path)

    def filestore(self, name):
        "The directory of the files of database `name` (ir.attachment...)"
        return self.path / name

    def check_name(self, name):
        try:
            rules.check_database_name(name, self.backend)
        except ValueError as exception:
            raise Failure(f"数据库名称无效：{name!r}",
                f"invalid database name {name!r}: {exception}")


def hall_modules():
    "The modules of this repository (modules/<name>/tryton.cfg)"
    return sorted(path.parent.name
        for path in (ROOT / 'modules').glob('*/tryton.cfg'))


def _trytond_directories():
    "Where trytond may be installed: the checkout's .venv first"
    directories = sorted(ROOT.glob('.venv/lib/python3*/site-packages/trytond'))
    spec = importlib.util.find_spec('trytond')
    if spec and spec.origin:
        directories.append(Path(spec.origin).parent)
    return [d for d in directories if (d / '__init__.py').is_file()]


def code_versions(modules):
    """The version of trytond and of each of `modules` (None when unknown)
    installed with this checkout, read from the files without importing"""
    directories = _trytond_directories()
    if not directories:
        return None, {name: None for name in modules}
    trytond = directories[0]
    match = re.search(r'''__version__\s*=\s*['"]([^'"]+)['"]''',
        (trytond / '__init__.py').read_text(encoding='utf-8'))
    trytond_version = match.group(1) if match else None
    versions = {}
    for name in modules:
        version = None
        for cfg in [trytond / 'modules' / name / 'tryton.cfg',
                ROOT / 'modules' / name / 'tryton.cfg',
                trytond / name / 'tryton.cfg']:
            if cfg.is_file():
                parser = configparser.ConfigParser(interpolation=None)
                parser.read(cfg, encoding='utf-8')
                version = parser.get('tryton', 'version', fallback=None)
                if version is None and cfg.parent.parent == trytond:
                    version = trytond_version  # ir, res: trytond's own
                break
        versions[name] = version
    return trytond_version, versions


def database_facts(query, catalog_query):
    """The activated modules and the record count of the main tables of a
    database, through `query(sql) -> rows`; `catalog_query` lists the
    tables of the database"""
    modules = [row[0] for row in query(
            "SELECT name FROM ir_module WHERE state = 'activated' "
            "ORDER BY name")]
    existing = {row[0] for row in query(catalog_query)}
    tables = {row[0] for row in query(
            "SELECT DISTINCT replace(name, '.', '_') FROM ir_model WHERE "
            + rules.main_models_condition(hall_modules()))} & existing
    counts = {table: int(count)
        for table, count in query(rules.count_query(tables))} if tables else {}
    return modules, counts


def _program(name):
    path = shutil.which(name)
    if not path:
        raise Failure(f"找不到 {name}（请安装 PostgreSQL 客户端 postgresql-client）",
            f"{name} not found (install the PostgreSQL client programs, "
            "postgresql-client)")
    return path


class PostgreSQL:
    """A PostgreSQL server, through psql, pg_dump, pg_restore, createdb and
    dropdb; never asks for a password (~/.pgpass, PGPASSWORD or the URI's,
    given in PGPASSWORD)"""
    name = 'postgresql'
    catalog_query = ("SELECT tablename FROM pg_tables "
        "WHERE schemaname = current_schema()")
    maintenance_database = 'postgres'

    def __init__(self, uri):
        self.uri = uri
        _, password = rules.split_password(uri, 'postgres')
        self.env = dict(os.environ)
        if password is not None:
            self.env['PGPASSWORD'] = password

    def conninfo(self, database):
        return rules.split_password(self.uri, database)[0]

    def run(self, program, *args, what_zh, what_en, input=None):
        command = [_program(program), '--no-password', *args]
        result = subprocess.run(command, input=input, env=self.env,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if result.returncode:
            raise Failure(f"{what_zh}失败（{program} 退出码 {result.returncode}）",
                f"{what_en} failed ({program} exit status "
                f"{result.returncode}): {result.stderr.strip()}")
        return result.stdout

    def psql(self, database, sql, what_zh, what_en, **variables):
        "Rows of the `sql` script run by psql on `database`"
        args = ['-X', '-q', '-A', '-t', '-F', '\t', '-v', 'ON_ERROR_STOP=1',
            '-d', self.conninfo(database)]
        for key, value in variables.items():
            args += ['-v', f'{key}={value}']
        output = self.run('psql', *args, input=sql, what_zh=what_zh,
            what_en=what_en)
        return [line.split('\t') for line in output.splitlines() if line]

    def exists(self, name):
        return bool(self.psql(self.maintenance_database,
                "SELECT 1 FROM pg_database WHERE datname = :'name';",
                "查询数据库列表", "listing the databases", name=name))

    def backup(self, name, destination):
        """Dump `name` into the file `destination` (custom format) and give
        its activated modules and record counts, all of one snapshot"""
        if not self.exists(name):
            raise Failure(f"数据库 {name} 不存在", f"database {name} does not exist")
        session = PsqlSession(self, name)
        try:
            session.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
            (snapshot,), = session.query('SELECT pg_export_snapshot()')
            modules, counts = database_facts(session.query, self.catalog_query)
            (server_version,), = session.query('SHOW server_version')
            self.run('pg_dump', '--format=custom', f'--snapshot={snapshot}',
                f'--file={destination}', '-d', self.conninfo(name),
                what_zh=f"导出数据库 {name}（pg_dump）",
                what_en=f"dumping database {name} (pg_dump)")
            session.query('COMMIT')
        finally:
            session.close()
        return modules, counts, {'server_version': server_version}

    def create(self, name):
        owner = rules.uri_user(self.uri)
        self.run('createdb', '--encoding=UTF8', '--template=template0',
            *([f'--owner={owner}'] if owner else []),
            f'--maintenance-db={self.conninfo(self.maintenance_database)}',
            name, what_zh=f"创建数据库 {name}",
            what_en=f"creating database {name}")

    def drop(self, name):
        self.run('dropdb', '--if-exists', '--force',
            f'--maintenance-db={self.conninfo(self.maintenance_database)}',
            name, what_zh=f"删除数据库 {name}",
            what_en=f"dropping database {name}")

    def restore(self, name, source):
        """Restore the dump file `source` into the new database `name`, as
        config/README.md creates a database: no privilege for PUBLIC (a
        database's privileges are not in its dump)"""
        self.create(name)
        self.psql(self.maintenance_database,
            'REVOKE ALL ON DATABASE :"name" FROM PUBLIC;',
            f"收回数据库 {name} 的 PUBLIC 权限",
            f"revoking the privileges of PUBLIC on database {name}",
            name=name)
        self.run('pg_restore', '--no-owner', '--exit-on-error',
            '-d', self.conninfo(name), str(source),
            what_zh=f"恢复数据库 {name}（pg_restore）",
            what_en=f"restoring database {name} (pg_restore)")

    def counts(self, name, tables):
        if not tables:
            return {}
        return {table: int(count) for table, count in self.psql(name,
                rules.count_query(tables) + ';', "统计记录数",
                "counting the records")}

    def replace(self, temporary, name):
        "Put the database `temporary` in the place of `name`"
        self.drop(name)
        self.psql(self.maintenance_database,
            'ALTER DATABASE :"old" RENAME TO :"new";',
            f"重命名数据库 {temporary}", f"renaming database {temporary}",
            old=temporary, new=name)

    def describe(self, name):
        return self.conninfo(name)


class PsqlSession:
    "One psql process holding one transaction, answering query after query"

    def __init__(self, server, database):
        self.stderr = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [_program('psql'), '--no-password', '-X', '-q', '-A', '-t',
                '-F', '\t', '-v', 'ON_ERROR_STOP=1',
                '-d', server.conninfo(database)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr,
            env=server.env, text=True, encoding='utf-8')

    def _failure(self):
        self.process.wait()
        self.stderr.seek(0)
        message = self.stderr.read().decode('utf-8', 'replace').strip()
        return Failure("读取数据库失败（psql）",
            f"reading the database failed (psql): {message}")

    def query(self, sql):
        try:
            self.process.stdin.write(f'{sql};\n\\echo {SENTINEL}\n')
            self.process.stdin.flush()
        except BrokenPipeError:
            raise self._failure()
        rows = []
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise self._failure()
            line = line.rstrip('\n')
            if line == SENTINEL:
                return rows
            if line:
                rows.append(line.split('\t'))

    def close(self):
        if self.process.poll() is None:
            try:
                self.process.stdin.close()
            except BrokenPipeError:
                pass
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stdout.close()
        self.stderr.close()


class SQLite:
    "SQLite database files <path>/<name>.sqlite, as trytond's backend"
    name = 'sqlite'
    catalog_query = "SELECT name FROM sqlite_master WHERE type = 'table'"

    def __init__(self, path):
        self.path = path

    def file(self, name):
        return self.path / f'{name}.sqlite'

    def exists(self, name):
        return self.file(name).exists()

    @staticmethod
    def _facts(connection):
        def query(sql):
            return connection.execute(sql).fetchall()
        return database_facts(query, SQLite.catalog_query)

    def backup(self, name, destination):
        """Copy `name` into the file `destination` with SQLite's backup API
        (a consistent copy even while trytond writes) and give its activated
        modules and record counts, read from the copy"""
        source_file = self.file(name)
        if not source_file.is_file():
            raise Failure(f"数据库文件 {source_file} 不存在",
                f"the database file {source_file} does not exist "
                "(is [database] path, or TRYTOND_DATABASE__PATH, right?)")
        try:
            source = sqlite3.connect(source_file.as_uri() + '?mode=ro',
                uri=True)
            try:
                target = sqlite3.connect(destination)
                try:
                    source.backup(target)
                    modules, counts = self._facts(target)
                finally:
                    target.close()
            finally:
                source.close()
        except sqlite3.Error as exception:
            raise Failure(f"复制数据库 {source_file} 失败",
                f"copying the database {source_file} failed: {exception}")
        return modules, counts, {'sqlite_version': sqlite3.sqlite_version}

    def counts(self, file, tables):
        connection = sqlite3.connect(file)
        try:
            check, = connection.execute('PRAGMA quick_check').fetchone()
            if check != 'ok':
                raise Failure(f"数据库文件损坏：{check}",
                    f"the database file is damaged: {check}")
            if not tables:
                return {}
            return {table: count for table, count in
                connection.execute(rules.count_query(tables))}
        except sqlite3.Error as exception:
            raise Failure("读取恢复的数据库失败",
                f"reading the restored database failed: {exception}")
        finally:
            connection.close()

    def drop(self, name):
        for suffix in ['', '-wal', '-shm', '-journal']:
            Path(f'{self.file(name)}{suffix}').unlink(missing_ok=True)

    def describe(self, name):
        return str(self.file(name))


class HashingReader:
    "A file read once, by tarfile, counting and hashing what it reads"

    def __init__(self, fp):
        self.fp = fp
        self.sha256 = hashlib.sha256()

    def read(self, size=-1):
        data = self.fp.read(size)
        self.sha256.update(data)
        return data


class ArchiveWriter:
    "A tar archive whose members' sizes and checksums go into the manifest"

    def __init__(self, fileobj, compressed):
        if compressed:
            self.tar = tarfile.open(fileobj=fileobj, mode='w:gz',
                compresslevel=6, format=tarfile.PAX_FORMAT)
        else:
            self.tar = tarfile.open(fileobj=fileobj, mode='w',
                format=tarfile.PAX_FORMAT)
        self.files = {}

    def add_file(self, name, path):
        with open(path, 'rb') as fp:
            stat = os.fstat(fp.fileno())
            info = tarfile.TarInfo(name)
            info.size = stat.st_size
            info.mtime = stat.st_mtime
            info.mode = 0o600
            reader = HashingReader(fp)
            self.tar.addfile(info, reader)
        self.files[name] = {
            'size': info.size, 'sha256': reader.sha256.hexdigest()}

    def add_bytes(self, name, data):
        info = tarfile.TarInfo(name)
        info.size = len(data)
        info.mode = 0o600
        info.mtime = time.time()
        self.tar.addfile(info, io.BytesIO(data))

    def close(self):
        self.tar.close()


def copy_hashed(source, target_path):
    "Copy the file object `source` to `target_path`: (size, sha256)"
    sha256 = hashlib.sha256()
    size = 0
    with open(target_path, 'xb') as target:
        while chunk := source.read(CHUNK):
            sha256.update(chunk)
            size += len(chunk)
            target.write(chunk)
    return size, sha256.hexdigest()


def publish(source, target):
    """Give the complete file `source` the name `target` at once, never
    replacing an existing `target`"""
    try:
        os.link(source, target)
    except FileExistsError:
        raise
    except OSError:
        # a file system without hard links (some network shares)
        if os.path.exists(target):
            raise FileExistsError(17, "File exists", str(target))
        os.rename(source, target)


def fsync_directory(path):
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
