#!/usr/bin/env python3
# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Configure a new service-hall database and load the demo data.

    scripts/demo.py --database NAME --config FILE [--no-demo]

Called by scripts/run right after trytond-admin created the database with
the modules activated and zh_CN loaded.  It works through proteus, as a user
of the client would (buttons, wizards), never with SQL:

A. base setup (always): zh_CN as the language of the database and of admin,
   the CNY currency, the company (滨江市政务服务管理局, Asia/Shanghai), the
   module configuration wizard marked done, the working-day calendar of this
   year and the next;
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
from decimal import Decimal

from proteus import Model, Wizard, config as pconfig

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import demo_data as D  # noqa: E402
from demo_hall import HallDemo  # noqa: E402
from demo_hall_delivery import DeliveryDemo  # noqa: E402
from demo_tools import LANGUAGE  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOGINS_FILE = os.path.join(ROOT, 'var', 'demo-logins.txt')

# Demo passwords: strong (upper, lower, digit, symbol, 16+ characters) and
# deterministic so that they can be printed and documented.
PASSWORD_PREFIX = 'Bjzw#2026!'

# Modules with a demo of their own (scripts/demo_<module>.py), in the order
# they are loaded, after the hall
MODULE_DEMOS = ['hall_queue', 'hall_green_channel', 'hall_proxy',
    'hall_evaluation', 'content_review']


def say(*args):
    print('demo:', *args, flush=True)


def password_of(login):
    return PASSWORD_PREFIX + login


def refresh_context(cfg):
    "Reload the user preferences into the proteus context (as a login)."
    User = Model.get('res.user')
    cfg._context = User.get_preferences(True, {})


# ---------------------------------------------------------------------------
# A. Base setup
# ---------------------------------------------------------------------------

def set_database_language(cfg, code):
    """ir.configuration has no RPC (it is not a ModelView), so the database
    language is written through the ORM of the proteus backend."""
    from trytond.transaction import Transaction
    with Transaction().start(cfg.database_name, 0):
        Configuration = cfg.pool.get('ir.configuration')
        configuration = Configuration(1)
        if configuration.language != code:
            Configuration.write([configuration], {'language': code})
            return True
    return False


def setup_base(cfg):
    Lang = Model.get('ir.lang')
    User = Model.get('res.user')
    Currency = Model.get('currency.currency')
    Company = Model.get('company.company')
    Party = Model.get('party.party')
    ConfigItem = Model.get('ir.module.config_wizard.item')
    CalendarDay = Model.get('hall.calendar.day')
    Date = Model.get('ir.date')

    lang, = Lang.find([('code', '=', LANGUAGE)])
    if not lang.translatable:
        Lang.click([lang], 'load_translations')
        say(f"loaded the {LANGUAGE} translations")
    if set_database_language(cfg, LANGUAGE):
        say(f"database language set to {LANGUAGE}")

    admin, = User.find([('login', '=', 'admin')])
    if admin.language != lang:
        admin.language = lang
        admin.save()
    refresh_context(cfg)

    currencies = Currency.find([('code', '=', 'CNY')])
    if currencies:
        cny, = currencies
    else:
        cny = Currency(name="人民币", code='CNY', numeric_code='156',
            symbol='¥', rounding=Decimal('0.01'), digits=2)
        cny.save()
        say("created the currency 人民币 (CNY)")

    companies = Company.find([])
    if companies:
        company = companies[0]
    else:
        party = Party(name=D.COMPANY_NAME)
        address, = party.addresses
        address.street = D.HALL['address']
        address.city = D.CITY
        party.save()
        company_config = Wizard('company.company.config')
        company_config.execute('company')
        form = company_config.form
        form.party = party
        form.currency = cny
        form.timezone = D.TIMEZONE
        company_config.execute('add')
        company, = Company.find([])
        say(f"created the company {D.COMPANY_NAME}")
    admin = User(admin.id)
    if company not in admin.companies:
        admin.companies.append(Company(company.id))
    if admin.company != company:
        admin.company = company
    admin.save()
    refresh_context(cfg)

    items = ConfigItem.find([('state', '!=', 'done')])
    for item in items:
        item.state = 'done'
    if items:
        ConfigItem.save(items)
        say(f"marked {len(items)} configuration wizard items done")

    year = Date.today(pconfig.get_config().context).year
    for y in [year, year + 1]:
        if not CalendarDay.find([
                    ('date', '>=', dt.date(y, 1, 1)),
                    ('date', '<=', dt.date(y, 12, 31)),
                    ], limit=1):
            seed = Wizard('hall.calendar.seed')
            seed.form.year = y
            seed.execute('seed')
            say(f"imported the public holidays of {y}")
    return company


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
