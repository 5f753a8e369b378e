#!/usr/bin/env python3
# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Benchmark of the leadership's indicators (hall_indicators) over a year of
a large city, on PostgreSQL, against a real server.

    scripts/bench kpi [--quick] [options]      (--help lists them)

1. A fresh database bench_kpi_<pid> is copied from a template database
   (scripts/bench_kpi_data.py), made in two layers each cached on its
   own: the base (every hall module activated, the demo loaded, 5 halls in
   two levels, 132 windows in the city's; about 5 minutes, once for these
   module sources; under 2 on a quiet machine), then a copy of it with a year to today written in
   set-based SQL: 880,000 applications, 1,150,000 tickets, 600,000 ratings
   with their rectifications, 50,000 deliveries, 8,000 green-channel
   items and 8,000 proxy steps (--quick: a tenth of each, under 2 minutes
   over the base).  --no-cache builds both anew.
2. gunicorn serves it with the production settings (config/gunicorn.conf.py,
   config/trytond-postgresql.conf); the city's leader logs in over JSON-RPC.
3. Each indicator model is read for the year (search_read of every row and
   figure: one request, where sao's list makes two, a search then a
   read), its whole-year row and its month, hall and
   department rows; each board (this month and this year beside last year)
   and the dashboard (every board and the catalogue, one after the other);
   the yearly work report is printed through its wizard.  Each time is the
   median of --repeat runs after one warm-up.
4. The floor: the same figures computed by one hand-written SQL aggregate on
   the same database (psycopg, no ORM, no HTTP), median of as many runs.
   What a request costs whatever it computes (HTTP, session, access
   checks, the ORM's search and read) is measured on its own: the
   search_read of one hall's name (`rpc_seconds`); an indicator is compared
   with its floor net of it (`net_factor`: (seconds − rpc_seconds) ÷
   floor), the raw ratio beside it (`factor`).
5. Targets: each indicator of a year ≤ 1 s and, net of a request's cost,
   within 3 × its floor; the dashboard ≤ 2 s; the report ≤ 5 s.

The last output line is one JSON object: each figure with its floor, the
dashboard, the report and `targets_met`.
"""
import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_kpi_data import (  # noqa: E402
    BENCH_PASSWORD, SIZES, prepare_template)
from bench_queue_clients import Client  # noqa: E402
from bench_queue_db import (  # noqa: E402
    BenchDatabase, create_database, end_run, say, write_trytond_conf)
from bench_queue_server import Server, loadavg  # noqa: E402

INDICATOR_SECONDS = 1.0
FLOOR_FACTOR = 3.0
DASHBOARD_SECONDS = 2.0
REPORT_SECONDS = 5.0

APPLICATION_FLOOR = '''
SELECT {dimension} count(*),
    sum((a.state = 'withdrawn')::int),
    sum((a.state IN ('approved', 'rejected', 'completed')
        AND a.decision_date <= %(end)s)::int),
    sum((a.state IN ('approved', 'rejected', 'completed')
        AND a.decision_date <= a.promised_due_date)::int),
    sum((s.promised_limit = 0)::int), sum((a.channel = 'online')::int),
    sum((a.visits <= 1)::int), avg(a.actual_days)
FROM hall_application a JOIN hall_service s ON s.id = a.service
WHERE a.company = %(company)s AND a.received_date BETWEEN %(from)s AND %(to)s
    AND a.hall = ANY(%(halls)s)
{group}'''
TICKET_FLOOR = '''
SELECT {dimension} count(*) FILTER (WHERE t.transferred_from IS NULL),
    count(*) FILTER (WHERE t.state = 'done'),
    avg(t.wait_seconds) / 60,
    percentile_disc(0.9) WITHIN GROUP (ORDER BY t.wait_seconds) / 60.0
FROM hall_ticket t
WHERE t.date BETWEEN %(from)s AND %(to)s AND t.hall = ANY(%(halls)s)
{group}'''
RATING_FLOOR = '''
SELECT {dimension} count(*), sum((e.level IN ('dissatisfied',
        'very_dissatisfied'))::int)
FROM hall_evaluation e
WHERE e.company = %(company)s AND e.validity != 'invalid'
    AND e.rated_date BETWEEN %(from)s AND %(to)s AND e.hall = ANY(%(halls)s)
{group};
SELECT count(*), count(e.id) FROM hall_application a
LEFT JOIN hall_evaluation e ON e.application = a.id
WHERE a.company = %(company)s AND a.state = 'completed'
    AND a.completed_date BETWEEN %(from)s AND %(to)s
    AND a.hall = ANY(%(halls)s);
SELECT count(*) FROM hall_evaluation_rectification r
WHERE r.company = %(company)s AND r.opened_date BETWEEN %(from)s AND %(to)s'''
CATALOGUE_FLOOR = '''
SELECT count(*), sum(online::int), sum(full_online::int)
FROM hall_service WHERE active'''
ITEM_FLOOR = '''
SELECT count(*), count(DISTINCT i.{parent_field}), count(DISTINCT p.party),
    sum((i.state = 'done')::int), sum(i.actual_days) FILTER (
        WHERE i.state = 'done'),
    sum(i.legal_limit) FILTER (WHERE i.state = 'done'),
    sum((i.state = 'done' AND i.actual_days <= i.promised_limit)::int),
    sum((i.state = 'done' AND i.actual_days > i.promised_limit
        OR i.state = 'in_progress' AND i.promised_due_date < %(end)s)::int)
FROM {item} i
JOIN {parent} p ON p.id = i.{parent_field}
WHERE p.company = %(company)s AND i.state IN ('in_progress', 'done')
    AND i.start_date BETWEEN %(from)s AND %(to)s'''
DELIVERY_FLOOR = '''
SELECT count(*), sum((d.state = 'delivered')::int),
    sum((d.state = 'returned')::int), sum((d.state = 'lost')::int),
    avg(d.working_days)
FROM hall_delivery d
WHERE d.company = %(company)s AND d.dispatched_at >= %(from)s
    AND d.dispatched_at < %(to)s::date + 1'''

MONTH = ("date_trunc('month', {column})", "GROUP BY 1")


def floor_query(template, dimension=None):
    "The floor query of a model: `dimension`, (select expression, group)"
    select, group = dimension or ('', '')
    return template.format(
        dimension=f'{select}, ' if select else '', group=group)


# (model, floor query or None, floor repeated for the 4 board periods)
INDICATORS = [
    ('hall.indicator.application', floor_query(APPLICATION_FLOOR)),
    ('hall.indicator.application.month', floor_query(APPLICATION_FLOOR,
            (MONTH[0].format(column='a.received_date'), MONTH[1]))),
    ('hall.indicator.application.hall', floor_query(APPLICATION_FLOOR,
            ('a.hall', 'GROUP BY 1'))),
    ('hall.indicator.application.department', floor_query(
            APPLICATION_FLOOR, ('s.department', 'GROUP BY 1'))),
    ('hall.indicator.catalogue', CATALOGUE_FLOOR),
    ('hall.indicator.queue', floor_query(TICKET_FLOOR)),
    ('hall.indicator.queue.month', floor_query(TICKET_FLOOR,
            (MONTH[0].format(column='t.date'), MONTH[1]))),
    ('hall.indicator.queue.hall', floor_query(TICKET_FLOOR,
            ('t.hall', 'GROUP BY 1'))),
    ('hall.indicator.evaluation', floor_query(RATING_FLOOR)),
    ('hall.indicator.evaluation.hall', floor_query(RATING_FLOOR,
            ('e.hall', 'GROUP BY 1'))),
    ]
BOARDS = [
    ('hall.indicator.application.board', floor_query(APPLICATION_FLOOR)),
    ('hall.indicator.queue.board', floor_query(TICKET_FLOOR)),
    ('hall.indicator.evaluation.board', floor_query(RATING_FLOOR)),
    ('hall.indicator.green_channel.board', ITEM_FLOOR.format(
            item='hall_green_channel_item',
            parent='hall_green_channel_project', parent_field='project')),
    ('hall.indicator.proxy.board', ITEM_FLOOR.format(
            item='hall_proxy_step', parent='hall_proxy_case',
            parent_field='case')),
    ('hall.indicator.delivery.board', DELIVERY_FLOOR),
    ]


def rpc_date(day):
    "A date as Tryton's JSON-RPC carries it"
    return {'__class__': 'date', 'year': day.year, 'month': day.month,
        'day': day.day}


def median_time(function, repeat):
    "Median seconds of `repeat` calls after a warm-up, and the last result"
    result = function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def board_periods(today):
    "The four periods of the board (as hall_indicators.indicator_rules)"
    try:
        last_year = today.replace(year=today.year - 1)
    except ValueError:
        last_year = today.replace(year=today.year - 1, day=28)
    return [(today.replace(day=1), today),
        (last_year.replace(day=1), last_year),
        (today.replace(month=1, day=1), today),
        (last_year.replace(month=1, day=1), last_year)]


def run_floor(conn, query, parameters):
    for statement in query.split(';'):
        conn.execute(statement, parameters).fetchall()


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--quick', action='store_true',
        help="a tenth of the year's records (its year under 2 minutes)")
    parser.add_argument('--repeat', type=int, default=3,
        help="timed runs of each figure (median; default 3)")
    parser.add_argument('--workers', type=int, default=2,
        help="gunicorn workers (default 2)")
    parser.add_argument('--no-cache', action='store_true',
        help="build the template anew")
    parser.add_argument('--keep', action='store_true',
        help="keep the run's database and work directory")
    args = parser.parse_args(argv)
    size = 'quick' if args.quick else 'full'

    workdir = tempfile.mkdtemp(prefix='bench-kpi-')
    conf = write_trytond_conf(workdir, maxconn=args.workers * 4 + 2)
    say(f"bench kpi ({size}: {json.dumps(SIZES[size])})")
    started = time.monotonic()
    try:
        template, info, layers = prepare_template(
            conf, workdir, size, cache=not args.no_cache)
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        raise
    build_seconds = time.monotonic() - started
    database = BenchDatabase(f'bench_kpi_{os.getpid()}')
    create_database(database.name, template=template)
    conn = server = None
    try:
        conn = database.connect(autocommit=True)
        server = Server(database.name, workdir, conf, args.workers, 4)
        server.start()
        client = Client(server.port, database.name)
        client.login(info['leader'], BENCH_PASSWORD)
        company = client.context['company']
        today = dt.date.fromisoformat(info['today'])
        year_from = today - dt.timedelta(days=364)
        year = {'from_date': rpc_date(year_from), 'to_date': rpc_date(today)}
        halls = [r[0] for r in conn.execute(
                'SELECT id FROM hall_hall WHERE company = %s', (company,))]
        parameters = {'company': company, 'halls': halls,
            'from': year_from, 'to': today, 'end': today}
        say(f"  load before the run: {loadavg()}")

        def read(model, context=None):
            fields = [n for n, f in client.model(model, 'fields_get', [])
                .items() if f['type'] not in {'one2many', 'many2many'}]
            return lambda: client.call(f'model.{model}.search_read', [],
                0, None, None, fields, {**client.context, **(context or {})})

        rpc_seconds, _ = median_time(lambda: client.call(
                'model.hall.hall.search_read', [], 0, 1, None, ['name'],
                client.context), max(args.repeat, 5))
        say(f"  a request's own cost (search_read of one hall's name): "
            f"{rpc_seconds:.3f}s")
        figures = {}
        failures = []
        for model, floor in INDICATORS + BOARDS:
            board = model.endswith('.board')
            context = {} if board else (
                {'date': rpc_date(today)} if 'catalogue' in model else year)
            seconds, rows = median_time(read(model, context), args.repeat)
            floor_seconds = None
            if floor:
                periods = board_periods(dt.date.today()) if board else [None]

                def floor_run():
                    for period in periods:
                        values = dict(parameters)
                        if period:
                            values.update({'from': period[0],
                                    'to': period[1], 'end': period[1]})
                        run_floor(conn, floor, values)
                floor_seconds, _ = median_time(floor_run, args.repeat)
            figures[model] = {'seconds': round(seconds, 3),
                'floor': round(floor_seconds, 3) if floor_seconds else None,
                'rows': len(rows)}
            limit = INDICATOR_SECONDS if not board else DASHBOARD_SECONDS
            if seconds > limit:
                failures.append(f"{model}: {seconds:.2f}s > {limit}s")
            factors = ''
            if floor_seconds:
                floor_seconds = max(floor_seconds, 0.001)
                factor = seconds / floor_seconds
                net_factor = max(seconds - rpc_seconds, 0) / floor_seconds
                figures[model].update(factor=round(factor, 1),
                    net_factor=round(net_factor, 1))
                factors = f" ({factor:.1f} ×, net {net_factor:.1f} ×)"
                if net_factor > FLOOR_FACTOR:
                    failures.append(f"{model}: {seconds:.2f}s less a "
                        f"request's {rpc_seconds:.3f}s > {FLOOR_FACTOR} × "
                        f"floor {floor_seconds:.3f}s")
            say(f"  {model}: {seconds:.3f}s ({len(rows)} rows), floor "
                + (f"{floor_seconds:.3f}s" if floor_seconds else "-")
                + factors)

        def dashboard():
            for model, _ in BOARDS:
                read(model)()
            read('hall.indicator.catalogue', {'date': rpc_date(today)})()
        dashboard_seconds, _ = median_time(dashboard, args.repeat)
        say(f"  dashboard: {dashboard_seconds:.3f}s")
        if dashboard_seconds > DASHBOARD_SECONDS:
            failures.append(f"dashboard: {dashboard_seconds:.2f}s")

        def report():
            wizard = 'wizard.hall.indicator.work_report.print'
            session_id, state, _ = client.call(
                f'{wizard}.create', client.context)
            data = {'company': company, 'hall': None, 'sub_halls': True,
                **year}
            result = client.call(f'{wizard}.execute', session_id,
                {'start': data}, 'print_', client.context)
            client.call(f'{wizard}.delete', session_id, client.context)
            (action, data), = result['actions']
            return client.call('report.hall.indicator.work_report.execute',
                [], data, client.context)
        report_seconds, (extension, content, _, _) = median_time(
            report, args.repeat)
        say(f"  yearly work report ({extension}): {report_seconds:.3f}s")
        if report_seconds > REPORT_SECONDS:
            failures.append(f"report: {report_seconds:.2f}s")
        for failure in failures:
            say(f"  target missed: {failure}")
        print(json.dumps({
                    'benchmark': 'kpi', 'size': size, 'records': SIZES[size],
                    'template_seconds': round(build_seconds, 1),
                    'template_layers_seconds': layers,
                    'rpc_seconds': round(rpc_seconds, 3),
                    'figures': figures,
                    'dashboard_seconds': round(dashboard_seconds, 3),
                    'report_seconds': round(report_seconds, 3),
                    'targets': {'indicator_seconds': INDICATOR_SECONDS,
                        'floor_factor': FLOOR_FACTOR,
                        'dashboard_seconds': DASHBOARD_SECONDS,
                        'report_seconds': REPORT_SECONDS},
                    'targets_met': not failures,
                    }, ensure_ascii=False), flush=True)
        return 0 if not failures else 1
    finally:
        if server:
            server.stop()
        end_run(database, conn, workdir, keep=args.keep)


if __name__ == '__main__':
    sys.exit(main())
