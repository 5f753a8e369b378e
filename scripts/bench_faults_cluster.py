# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Part of scripts/bench_faults.py: the PostgreSQL cluster the database
restart scenario restarts.

- PrivateCluster (default): a throwaway PostgreSQL cluster of the same
  binaries (initdb in a temporary directory, its own port), so that the
  restart breaks nobody else's connections on this shared machine; the
  bench database is copied into it from the template (pg_dump and
  pg_restore).  Stopped and removed at the end, also on failure.
- SharedCluster (--cluster shared): the machine's cluster
  (`pg_ctlcluster 15 main restart`); every other user of it loses their
  connections.  At the end the bench starts it again if it is down.
"""
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time


def pg_bin():
    "The directory of the PostgreSQL server binaries (initdb, pg_ctl)"
    candidates = [os.environ.get('BENCH_PG_BIN', '')]
    try:
        out = subprocess.run(['pg_config', '--bindir'], capture_output=True,
            text=True).stdout.strip()
        candidates.append(out)
    except FileNotFoundError:
        pass
    candidates += ['/usr/lib/postgresql/15/bin']
    for directory in candidates:
        if directory and os.path.exists(os.path.join(directory, 'initdb')):
            return directory
    raise RuntimeError("initdb not found (set BENCH_PG_BIN)")


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


class PrivateCluster:
    def __init__(self):
        self.bin = pg_bin()
        self.port = free_port()
        self.directory = None
        self.uri = f'postgresql://postgres@127.0.0.1:{self.port}/'
        self.name = f'private cluster on port {self.port}'

    def _run(self, *args, check=True):
        """Run as postgres (initdb and pg_ctl refuse root); no pipe, which
        the postmaster started by pg_ctl would keep open"""
        command = list(args)
        if os.geteuid() == 0:
            command = ['runuser', '-u', 'postgres', '--'] + command
        with open(os.path.join(self.directory, 'commands.log'), 'a') as out:
            return subprocess.run(command, check=check,
                stdin=subprocess.DEVNULL, stdout=out,
                stderr=subprocess.STDOUT, timeout=120)

    def start(self):
        self.directory = tempfile.mkdtemp(prefix='bench_faults_pg_')
        if os.geteuid() == 0:
            user = pwd.getpwnam('postgres')
            os.chown(self.directory, user.pw_uid, user.pw_gid)
        self.data = os.path.join(self.directory, 'data')
        self._run(os.path.join(self.bin, 'initdb'), '-D', self.data,
            '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync',
            '--locale=C.UTF-8')
        options = (f'-p {self.port} -c listen_addresses=127.0.0.1 '
            f'-c unix_socket_directories={self.directory} '
            '-c max_connections=200 -c fsync=off '
            '-c synchronous_commit=off -c full_page_writes=off')
        self._run(os.path.join(self.bin, 'pg_ctl'), '-D', self.data,
            '-l', os.path.join(self.directory, 'log'), '-o', options,
            '-w', '-t', '60', 'start')

    def copy_database(self, source_uri, name):
        "Copy the database `source_uri` into this cluster as `name`"
        dump = os.path.join(self.directory, 'dump')
        subprocess.run(['pg_dump', '-Fc', '-Z', '0', '-f', dump,
                '--dbname', source_uri], check=True, capture_output=True)
        subprocess.run(['createdb', '-h', '127.0.0.1', '-p', str(self.port),
                '-U', 'postgres', '-E', 'UTF8', '-T', 'template0', name],
            check=True, capture_output=True)
        subprocess.run(['pg_restore', '-j', '2', '--no-owner',
                '-h', '127.0.0.1', '-p', str(self.port), '-U', 'postgres',
                '-d', name, dump], check=True, capture_output=True)
        os.unlink(dump)

    def restart(self):
        self._run(os.path.join(self.bin, 'pg_ctl'), '-D', self.data,
            '-l', os.path.join(self.directory, 'log'),
            '-m', 'fast', '-w', '-t', '60', 'restart')

    def stop(self):
        if self.directory is None:
            return
        if os.path.exists(os.path.join(self.data, 'postmaster.pid')):
            self._run(os.path.join(self.bin, 'pg_ctl'), '-D', self.data,
                '-m', 'immediate', '-w', 'stop', check=False)
        shutil.rmtree(self.directory, ignore_errors=True)
        self.directory = None


class SharedCluster:
    "The machine's cluster: pg_ctlcluster VERSION NAME"

    def __init__(self, uri, version='15', name='main'):
        self.uri = uri
        self.version = version
        self.cluster = name
        self.name = f'shared cluster {version}/{name}'

    def start(self):
        pass

    def restart(self):
        subprocess.run(['pg_ctlcluster', self.version, self.cluster,
                'restart'], check=True, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, timeout=120)

    def is_up(self):
        return subprocess.run(['pg_isready', '-q', '-d', self.uri]
            ).returncode == 0

    def stop(self):
        "Not stopped: started again if a failed restart left it down"
        if self.is_up():
            return
        subprocess.run(['pg_ctlcluster', self.version, self.cluster,
                'start'], check=False, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, timeout=120)
        for _ in range(60):
            if self.is_up():
                return
            time.sleep(1)
        raise RuntimeError(f"{self.name} is down: start it with "
            f"pg_ctlcluster {self.version} {self.cluster} start")
