# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""What the command lines that print figures share (scripts/hotline_figures,
scripts/theme_figures): the options (--database, --config, --from, --to),
the database opened as the admin through proteus, a value as a cell."""
import argparse
import datetime as dt
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse(description, argv=None, extra=None):
    "The options of a figures command; `extra(parser)` adds its own"
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument('--database', default='hall')
    parser.add_argument('--config', default=str(ROOT / 'trytond.conf'))
    parser.add_argument('--from', dest='from_date',
        type=dt.date.fromisoformat)
    parser.add_argument('--to', dest='to_date', type=dt.date.fromisoformat)
    if extra:
        extra(parser)
    return parser.parse_args(argv)


def open_database(args):
    """The proteus configuration of the database of `args`, and the
    context of the period"""
    os.environ.setdefault('TRYTOND_DATABASE__PATH', str(ROOT / 'var'))
    from proteus import config
    cfg = config.set_trytond(args.database, config_file=args.config)
    context = {'language': 'zh_CN'}
    for name in ['from_date', 'to_date']:
        if getattr(args, name):
            context[name] = getattr(args, name)
    return cfg, context


def cell(value, rate=False):
    if value is None:
        return '—'
    if rate:
        return f'{value:.2%}'
    return str(value)
