# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""pytest glue for the Tryton modules under modules/ (used by scripts/test).

1. Import test files under their real names.  modules/ is not a Python
   package, so pytest would import modules/hall/tests/test_module.py as
   ``hall.tests.test_module`` (a second copy of the module ``hall`` beside
   ``trytond.modules.hall``).  The collectors below import
   ``trytond.modules.hall.tests.test_module`` instead.

2. Run the doctest scenarios.  Tryton modules list ``tests/scenario_*.rst``
   through the unittest ``load_tests`` protocol in ``tests/test_scenario.py``,
   which pytest does not implement.  Each ``scenario_*.rst`` of a module is
   collected here the way ``trytond.tests.test_tryton.load_doc_tests`` builds
   it (same option flags, checker, setUp/tearDown and optional
   ``scenario_*.json`` globals), one pytest item per scenario and
   configuration, so ``-k scenario_hall`` selects it.

3. Run in parallel with pytest-xdist (scripts/test does, one worker a
   core).  Each worker tests on a database of its own: ``DB_NAME`` gets the
   worker's id on PostgreSQL (set before trytond reads it), SQLite runs in
   each worker's memory.  The workers share the activated-module cache
   ``DB_CACHE``; a worker writes a cache entry under a name of its own and
   renames it into place when complete, so that another worker never
   restores half an entry.
"""
import doctest
import importlib
import json
import os
import shutil
import unittest
from pathlib import Path

import pytest

_WORKER = os.environ.get('PYTEST_XDIST_WORKER')
if _WORKER and os.environ.get('DB_NAME', ':memory:') != ':memory:':
    os.environ['DB_NAME'] = f"{os.environ['DB_NAME']}_{_WORKER}"

ROOT = Path(__file__).resolve().parent
MODULES = ROOT / 'modules'


def _tryton_parts(path):
    """Return the path parts relative to modules/ when `path` is inside a
    Tryton module folder (modules/<name>/ with tryton.cfg), else None."""
    try:
        parts = Path(path).resolve().relative_to(MODULES).parts
    except ValueError:
        return None
    if not parts or not (MODULES / parts[0] / 'tryton.cfg').is_file():
        return None
    return parts


def _dotted_name(parts):
    parts = list(parts)
    if parts[-1].endswith('.py'):
        parts[-1] = parts[-1][:-len('.py')]
    if parts[-1] == '__init__':
        parts.pop()
    return '.'.join(['trytond', 'modules', *parts])


def _import(name, path):
    try:
        return importlib.import_module(name)
    except pytest.skip.Exception:
        raise
    except Exception as exception:
        raise pytest.Collector.CollectError(
            f"ImportError while importing {name} ({path}):\n"
            + ''.join(_format_exception(exception))) from exception


def _format_exception(exception):
    import traceback
    return traceback.format_exception(
        type(exception), exception, exception.__traceback__)


class TrytonPackage(pytest.Package):
    "A package inside modules/<name>/ imported as trytond.modules.<name>..."

    def setup(self):
        parts = _tryton_parts(self.path / '__init__.py')
        module = _import(_dotted_name(parts), self.path)
        for name in ('setUpModule', 'setup_module'):
            func = getattr(module, name, None)
            if callable(func):
                func()
                break
        for name in ('tearDownModule', 'teardown_module'):
            func = getattr(module, name, None)
            if callable(func):
                self.addfinalizer(func)
                break


class TrytonModule(pytest.Module):
    "A test file inside modules/<name>/ imported as trytond.modules.<name>..."

    def _getobj(self):
        module = _import(_dotted_name(_tryton_parts(self.path)), self.path)
        self.config.pluginmanager.consider_module(module)
        return module


class ScenarioFailed(Exception):
    pass


class _Result(unittest.TestResult):
    "Keep a doctest failure as its report, other errors as tracebacks"

    def __init__(self):
        super().__init__()
        self.problems = []

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self.problems.append(str(err[1]))

    def addError(self, test, err):
        super().addError(test, err)
        self.problems.append(''.join(_format_exception(err[1])))


class TrytonScenario(pytest.Item):
    "One doctest scenario (scenario_*.rst) run like trytond's load_doc_tests"

    def __init__(self, *, case, **kwargs):
        super().__init__(**kwargs)
        self.case = case

    def runtest(self):
        result = _Result()
        self.case.run(result)
        if result.problems:
            raise ScenarioFailed('\n'.join(result.problems))
        if result.skipped:
            pytest.skip(result.skipped[0][1])

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, ScenarioFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, None, f"scenario {self.name}"


class TrytonScenarioFile(pytest.File):

    def collect(self):
        # Imported here: importing test_tryton starts trytond's Pool
        from trytond import backend
        from trytond.tests.test_tryton import (
            STRIP_DECIMAL, doctest_checker, doctest_setup, doctest_teardown)

        optionflags = (
            doctest.REPORT_ONLY_FIRST_FAILURE
            | doctest.ELLIPSIS
            | doctest.IGNORE_EXCEPTION_DETAIL)
        if backend.name == 'sqlite':
            optionflags |= STRIP_DECIMAL
        config = self.path.with_suffix('.json')
        if config.exists():
            with config.open() as fp:
                configs = json.load(fp)
        else:
            configs = [{}]
        for i, globs in enumerate(configs):
            suite = doctest.DocFileSuite(
                str(self.path), module_relative=False, globs=globs,
                setUp=doctest_setup, tearDown=doctest_teardown,
                encoding='utf-8', checker=doctest_checker,
                optionflags=optionflags)
            name = self.path.name if len(configs) == 1 else (
                f'{self.path.name}[{i}]')
            for case in suite:
                yield TrytonScenario.from_parent(self, name=name, case=case)


def pytest_collect_directory(path, parent):
    if (path / '__init__.py').is_file() and _tryton_parts(path):
        return TrytonPackage.from_parent(parent, path=path)
    return None


def pytest_pycollect_makemodule(module_path, parent):
    if _tryton_parts(module_path):
        return TrytonModule.from_parent(parent, path=module_path)
    return None


def pytest_collect_file(file_path, parent):
    parts = _tryton_parts(file_path)
    if (parts and len(parts) == 3 and parts[1] == 'tests'
            and file_path.name.startswith('scenario_')
            and file_path.suffix == '.rst'):
        return TrytonScenarioFile.from_parent(parent, path=file_path)
    return None


def _written_whole(write):
    """`write(cache_file)` of trytond's test cache, made to write under a
    name of its own first and rename the entry into place once complete"""
    def wrapper(cache_file, restore=False):
        if restore:
            return write(cache_file, restore=True)
        if os.path.exists(cache_file):
            return False
        partial = f'{cache_file}.{os.getpid()}.partial'
        try:
            result = write(partial)
            if result is not False:
                os.replace(partial, cache_file)
            return result
        except OSError:
            # another worker renamed its (same) entry into place first
            return False
        finally:
            if os.path.isdir(partial):
                shutil.rmtree(partial, ignore_errors=True)
            elif os.path.exists(partial):
                os.remove(partial)
    return wrapper


def pytest_sessionstart(session):
    if not os.environ.get('DB_CACHE'):
        return
    # Imported here: importing test_tryton starts trytond's Pool
    from trytond.tests import test_tryton
    test_tryton._sqlite_copy = _written_whole(test_tryton._sqlite_copy)
    pg_dump = test_tryton._pg_dump
    test_tryton._pg_dump = _written_whole(
        lambda cache_file, restore=False: pg_dump(cache_file))


# The tests that open tens of connections at once run one after the other
# in a single worker: two of them at once in two workers would exceed
# PostgreSQL's connections (max_connections is 100 by default)
MANY_CONNECTIONS = (
    'hall_queue/tests/test_concurrency.py',
    'hall_queue/tests/test_routes.py',
    )


# The longest test files start first: pytest-xdist hands the scopes out in
# collection order, so a long one collected last would keep one worker busy
# after the other has finished
LONGEST_FIRST = (
    'tests/test_browser_screens.py',
    )


def pytest_collection_modifyitems(session, config, items):
    def longest_first(item):
        path = item.nodeid.split('::', 1)[0]
        return 0 if path.endswith(LONGEST_FIRST) else 1
    items.sort(key=longest_first)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadScopeScheduling

    class Scheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            if nodeid.split('::', 1)[0].endswith(MANY_CONNECTIONS):
                return 'many-connections'
            return super()._split_scope(nodeid)
    return Scheduling(config, log)
