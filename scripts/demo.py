#!/usr/bin/env python3
# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Configure a new service-hall database and load the demo data.

    scripts/demo.py --database NAME --config FILE [--no-demo]

Called by scripts/run right after trytond-admin created the database with
the modules activated and zh_CN loaded.  It works through proteus, as a user
of the client would (buttons, wizards), never with SQL:

A. base setup (always): scripts/setup's (scripts/hall_setup.py: zh_CN, the
   CNY currency, the company 滨江市政务服务管理局 in Asia/Shanghai, the
   module configuration wizard marked done, the working-day calendar of
   this year and the next), and the holidays of both years confirmed as the
   hall manager would;
B. demo data (unless --no-demo), deterministic: the hall with its staff
   and 200 applications (scripts/demo_hall.py), played together with the
   free certificate delivery that follows them (scripts/demo_hall_delivery.py,
   module hall_delivery); then the demo of each further activated module
   (scripts/demo_<module>.py).  The logins are printed and written to
   var/demo-logins.txt.  Shared tools: scripts/demo_tools.py.

Running it again on a database that already has the demo hall only repeats
the base setup (which changes nothing the second time).
"""
import argparse
import datetime as dt
import importlib
import os
import sys
import time

from proteus import Model, Wizard, config as pconfig

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import demo_data as D  # noqa: E402
import hall_setup  # noqa: E402
from demo_hall import HallDemo  # noqa: E402
from demo_hall_delivery import DeliveryDemo  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOGINS_FILE = os.path.join(ROOT, 'var', 'demo-logins.txt')

# Demo passwords: strong (upper, lower, digit, symbol, 16+ characters) and
# deterministic so that they can be printed and documented.
PASSWORD_PREFIX = 'Bjzw#2026!'

# Modules with a demo of their own (scripts/demo_<module>.py), in the order
# they are loaded, after the hall
MODULE_DEMOS = ['hall_queue', 'hall_green_channel', 'hall_proxy',
    'hall_evaluation', 'content_review', 'hall_hotline', 'hall_theme']


def say(*args):
    print('demo:', *args, flush=True)


def password_of(login):
    return PASSWORD_PREFIX + login


# ---------------------------------------------------------------------------
# A. Base setup: scripts/setup's (scripts/hall_setup.py), with the demo's
# company; and the holiday calendar confirmed, as a manager would
# ---------------------------------------------------------------------------

DEMO_COMPANY = {
    'name': D.COMPANY_NAME,
    'timezone': D.TIMEZONE,
    'street': D.HALL['address'],
    'city': D.CITY,
    }


def setup_base(cfg):
    # scripts/run created the database from config/demo.toml: the same
    # company, or setup_base would not find it as the demo's
    demo_toml = hall_setup.load(os.path.join(ROOT, 'config', 'demo.toml'))
    if demo_toml['company'] != DEMO_COMPANY:
        raise SystemExit("config/demo.toml's [company] differs from the "
            f"demo's: {demo_toml['company']} != {DEMO_COMPANY}")
    company = hall_setup.setup_base(cfg, DEMO_COMPANY)
    confirm_calendar(cfg)
    return company


def confirm_calendar(cfg):
    """Confirm this year's and next year's holidays as the hall manager
    does from the State Council's notice (a hall in service leaves it to
    the manager: scripts/doctor fails until then)"""
    CalendarYear = Model.get('hall.calendar.year')
    Date = Model.get('ir.date')
    year = Date.today(cfg.context).year
    for y in [year, year + 1]:
        if CalendarYear.find([('year', '=', y), ('confirmed', '=', True)]):
            continue
        confirm = Wizard('hall.calendar.confirm')
        confirm.form.year = y
        confirm.execute('days')
        confirm.form.notice = f"国务院办公厅关于{y}年部分节假日安排的通知"
        # the holidays package may know no make-up workday of next year
        cfg.skip_warning = True
        try:
            confirm.execute('confirm')
        finally:
            cfg.skip_warning = False
        say(f"confirmed the public holidays of {y}")


# ---------------------------------------------------------------------------
# B. Demo data
# ---------------------------------------------------------------------------

def activated_modules():
    Module = Model.get('ir.module')
    return {m.name for m in Module.find([('state', '=', 'activated')])}


def run_demo(cfg, company, roster_week, logins_file):
    """Load the demo of the hall and of the activated modules; write their
    logins to `logins_file` and return them"""
    activated = activated_modules()
    hall_demo = HallDemo(cfg, company, password_of, say, roster_week)
    delivery = None
    if 'hall_delivery' in activated:
        delivery = DeliveryDemo(
            cfg, company, hall_demo.today, password_of, say)
        hall_demo.extensions.append(delivery)
    steps = [
        ("hall and zones", hall_demo.create_hall),
        ("departments", hall_demo.create_departments),
        ("services", hall_demo.create_services),
        ("windows", hall_demo.create_windows),
        ("staff and users", hall_demo.create_staff),
        ("delivery clerk", delivery and delivery.create_clerk),
        ("roster", hall_demo.create_roster),
        ("open windows", hall_demo.open_windows),
        ("divisions and couriers", delivery and delivery.setup),
        ("applicants", hall_demo.create_applicants),
        ("applications", hall_demo.create_applications),
        ("certificate delivery", delivery and delivery.play),
        ]
    for label, step in steps:
        if step is None:
            continue
        start = time.monotonic()
        step()
        say(f"{label}: {time.monotonic() - start:.1f}s")
    weekend_lines = hall_demo.check_weekend()
    hall_demo.summary(weekend_lines, extra_staff=1 if delivery else 0)
    lines = hall_demo.login_lines()
    if delivery:
        delivery.summary()
        lines += delivery.login_lines()
    lines += load_module_demos(cfg, company, activated)
    lines.append(f'clerk01 … clerk{hall_demo.n_clerks:02d}: password '
        f'{PASSWORD_PREFIX}<login>, e.g. {password_of("clerk03")}')
    os.makedirs(os.path.dirname(os.path.abspath(logins_file)), exist_ok=True)
    with open(logins_file, 'w', encoding='utf-8') as f:
        f.write('\n'.join(lines) + '\n')
    return lines


def load_module_demos(cfg, company, activated):
    """The demo of each further activated module: scripts/demo_<module>.py
    with load(cfg, company, password_of, say) returning its login lines"""
    lines = []
    for module in MODULE_DEMOS:
        if module not in activated:
            continue
        start = time.monotonic()
        demo = importlib.import_module(f'demo_{module}')
        lines.extend(demo.load(cfg, company, password_of, say))
        say(f"{module}: {time.monotonic() - start:.1f}s")
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--database', '-d', required=True)
    parser.add_argument('--config', '-c', default=None)
    parser.add_argument('--no-demo', action='store_true',
        help="only the base setup, no demo data")
    parser.add_argument('--roster-week', type=dt.date.fromisoformat,
        metavar='YYYY-MM-DD', help="roster the week of this day instead of "
        "the current week (to try weeks with holidays)")
    parser.add_argument('--logins-file', default=LOGINS_FILE,
        help="where to write the demo logins (default: %(default)s)")
    args = parser.parse_args(argv)

    start = time.monotonic()
    cfg = pconfig.set_trytond(database=args.database,
        config_file=args.config)
    company = setup_base(cfg)
    say(f"base setup done ({time.monotonic() - start:.1f}s)")
    if args.no_demo:
        return 0

    Hall = Model.get('hall.hall')
    if Hall.find(['OR',
                ('name', '=', D.HALL['name']),
                ('code', '=', D.HALL['code']),
                ]):
        say(f"the hall {D.HALL['name']} already exists: "
            "demo data not loaded again")
        return 0
    lines = run_demo(cfg, company, args.roster_week, args.logins_file)
    say(f"done in {time.monotonic() - start:.1f}s")
    print()
    shown = os.path.abspath(args.logins_file)
    if shown.startswith(ROOT + os.sep):
        shown = os.path.relpath(shown, ROOT)
    print(f"  Demo logins (also in {shown}):")
    print("    admin     / admin                (administrator)")
    for line in lines:
        print('    ' + line)
    print()
    return 0


if __name__ == '__main__':
    sys.exit(main())
