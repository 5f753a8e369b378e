#!/usr/bin/env python3
# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The halls of the indicators' benchmark (scripts/bench_kpi.py), through
proteus, in a database where the demo is loaded (scripts/demo.py):

- the demo hall becomes the city's hall (市级) with 132 windows, each
  serving every service of the demo;
- four district halls (区县级) under it, with 20 windows each;
- the leader who reads the figures: benchleader, role 大厅领导, password
  `--password`.

    python scripts/bench_kpi_setup.py --config CONF --database DB \\
        --password PW --output FILE

It writes to FILE a JSON object: today (the company's), the ids of the
windows with the ids of their halls, and of the services."""
import argparse
import datetime as dt
import json
import zoneinfo

CITY_WINDOWS = 132
DISTRICTS = ["江北区政务服务中心", "江南区政务服务中心", "高新区政务服务中心",
    "滨海新区政务服务中心"]
DISTRICT_WINDOWS = 20
LEADER = 'benchleader'


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--config', required=True)
    parser.add_argument('--database', required=True)
    parser.add_argument('--password', required=True)
    parser.add_argument('--output', required=True)
    args = parser.parse_args(argv)

    from proteus import Model, config as pconfig
    pconfig.set_trytond(args.database, config_file=args.config)
    User = Model.get('res.user')
    pconfig.get_config()._context = User.get_preferences(True, {})

    Company = Model.get('company.company')
    Hall = Model.get('hall.hall')
    Window = Model.get('hall.window')
    Service = Model.get('hall.service')
    company, = Company.find([])
    services = Service.find([])
    city, = Hall.find([], order=[('id', 'ASC')], limit=1)
    city.level = 'city'
    city.save()

    def windows(hall, prefix, count):
        existing = {w.number for w in Window.find([('hall', '=', hall.id)])}
        new = []
        for i in range(1, count + 1 - len(existing)):
            number = f'{prefix}{i:03d}'
            if number in existing:
                continue
            window = Window(hall=hall, number=number)
            window.services.extend(Service(s.id) for s in services)
            new.append(window)
        Window.save(new)
        return Window.find([('hall', '=', hall.id)])

    all_windows = windows(city, 'K', CITY_WINDOWS)
    for i, name in enumerate(DISTRICTS, 1):
        district = Hall(name=name, level='district', parent=city,
            company=company)
        district.save()
        all_windows += windows(district, f'Q{i}', DISTRICT_WINDOWS)

    Role = Model.get('res.role')
    ModelData = Model.get('ir.model.data')
    leader = User(login=LEADER, name="王建国", password=args.password)
    leader.companies.append(Company(company.id))
    leader.company = Company(company.id)
    user_role = leader.roles.new()
    user_role.role = Role(ModelData.get_id('hall', 'role_hall_leader', {}))
    leader.save()

    today = dt.datetime.now(
        zoneinfo.ZoneInfo(company.timezone or 'UTC')).date()
    with open(args.output, 'w') as fp:
        json.dump({
                'today': today.isoformat(),
                'timezone': company.timezone or 'UTC',
                'leader': LEADER,
                'windows': [w.id for w in all_windows],
                'window_halls': [w.hall.id for w in all_windows],
                'services': [s.id for s in services],
                }, fp)


if __name__ == '__main__':
    main()
