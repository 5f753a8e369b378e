# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Profile the server workers of the queue benchmark with py-spy
(scripts/bench_queue.py --profile DIR): record collapsed stacks of each
gunicorn worker during a phase, then tell where the time goes.

py-spy is not a dependency of the project: `.venv/bin/pip install py-spy`.
"""
import collections
import os
import re
import shutil
import signal
import subprocess

VENV_BIN = os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
    '.venv', 'bin')
# "function (path/file.py:123)" in py-spy's raw (collapsed) output
FRAME = re.compile(r'^(?P<function>.*) \((?P<path>.*?)(?::(?P<line>\d+))?\)$')


def py_spy():
    path = os.path.join(VENV_BIN, 'py-spy')
    return path if os.path.exists(path) else shutil.which('py-spy')


class Recorder:
    "py-spy record of `pids` into `directory` until stop()"

    def __init__(self, directory, pids, name, rate=97):
        self.directory = directory
        self.pids = pids
        self.name = name
        self.rate = rate
        self.processes = []
        self.outputs = []

    def start(self):
        binary = py_spy()
        if not binary:
            raise RuntimeError(
                "py-spy not found: .venv/bin/pip install py-spy")
        os.makedirs(self.directory, exist_ok=True)
        for pid in self.pids:
            output = os.path.join(
                self.directory, f'{self.name}-{pid}.collapsed')
            self.outputs.append(output)
            self.processes.append(subprocess.Popen([binary, 'record',
                        '--pid', str(pid), '--rate', str(self.rate),
                        '--format', 'raw', '--nonblocking', '--gil',
                        '--output', output],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        for process in self.processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
        return [o for o in self.outputs if os.path.exists(o)]


def parse(paths):
    "The stacks (tuples of frames, outermost first) and their sample counts"
    stacks = collections.Counter()
    for path in paths:
        with open(path, encoding='utf-8', errors='replace') as fp:
            for line in fp:
                line = line.rstrip('\n')
                if not line:
                    continue
                frames, _, count = line.rpartition(' ')
                try:
                    stacks[tuple(frames.split(';'))] += int(count)
                except ValueError:
                    continue
    return stacks


def short(frame):
    "function (package/file.py) without the line and the site-packages path"
    match = FRAME.match(frame)
    if not match:
        return frame
    path = match.group('path')
    for marker in ['site-packages/', 'modules/', 'lib/python3']:
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{match.group('function')} ({path})"


def summary(paths, top=30):
    """Lines telling the share of the samples spent in each function
    (inclusive: the function and what it calls) and the heaviest leaves"""
    stacks = parse(paths)
    total = sum(stacks.values())
    if not total:
        return ["  (no samples)"]
    inclusive = collections.Counter()
    leaves = collections.Counter()
    for stack, count in stacks.items():
        names = [short(f) for f in stack]
        for name in set(names):
            inclusive[name] += count
        if names:
            leaves[names[-1]] += count
    lines = [f"  {total} samples of the busy threads "
        f"({len(paths)} workers)", "  inclusive (the function and its "
        "callees):"]
    for name, count in inclusive.most_common(top):
        lines.append(f"    {100 * count / total:5.1f}%  {name}")
    lines.append("  self (leaf frames):")
    for name, count in leaves.most_common(top // 2):
        lines.append(f"    {100 * count / total:5.1f}%  {name}")
    return lines
