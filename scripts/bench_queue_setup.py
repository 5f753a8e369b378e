#!/usr/bin/env python3
# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Set up the data of the queue benchmark (scripts/bench_queue.py) through
proteus, in a database where hall_queue is activated:

- the company 滨江市政务服务中心 (timezone Asia/Shanghai, CNY);
- the hall "contention" with queue A called by `--contention-windows`
  windows (C001…);
- the hall "peak" with eight queues A–H, each with its service, called by
  `--peak-windows` windows (P001…): window i serves queue i mod 8 first and,
  one window in three, the next queue as well;
- every window open;
- a user a window (bench001…, each with an employee) with the role
  窗口管理员 (hall manager: may operate any window without a roster, see
  hall.window check_operator) and the password `--password`;
- one clerk (benchclerk, with an employee and the role 窗口人员, no
  shift): the scale-out benchmark rosters them on one node and watches
  another node let them call;
- tickets issuable whatever day and hour the benchmark runs: queues open
  00:00–23:59:59 with weekend service, the halls with weekend service.
  (A public holiday on a weekday is turned into a workday by the benchmark
  itself, at run time, since the template database is reused.)

Run by scripts/bench_queue.py:

    python scripts/bench_queue_setup.py --config CONF --database DB \
        --contention-windows 40 --peak-windows 132 --password PW

The last output line is a JSON object with the ids the benchmark needs.
"""
import argparse
import datetime as dt
import json

PEAK_QUEUES = [
    ('A', "企业开办", 'QY-001', "企业设立登记"),
    ('B', "不动产登记", 'BDC-001', "不动产转移登记"),
    ('C', "社保医保", 'SB-001', "社会保险参保登记"),
    ('D', "公积金", 'GJJ-001', "住房公积金提取"),
    ('E', "户籍出入境", 'HJ-001', "户口迁移"),
    ('F', "税务", 'SW-001', "增值税发票领用"),
    ('G', "交通车管", 'JT-001', "机动车登记"),
    ('H', "综合受理", 'ZH-001', "综合事项受理"),
    ]

ALL_DAY = (dt.time(0, 0), dt.time(23, 59, 59))
BENCH_LOGIN = 'bench'



def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--config', required=True)
    parser.add_argument('--database', required=True)
    parser.add_argument('--contention-windows', type=int, default=40)
    parser.add_argument('--peak-windows', type=int, default=132)
    parser.add_argument('--password', required=True)
    args = parser.parse_args(argv)

    from proteus import Model, Wizard, config as pconfig

    pconfig.set_trytond(args.database, config_file=args.config)

    Party = Model.get('party.party')
    Currency = Model.get('currency.currency')
    User = Model.get('res.user')
    Role = Model.get('res.role')
    ModelData = Model.get('ir.model.data')
    Hall = Model.get('hall.hall')
    Department = Model.get('hall.department')
    Service = Model.get('hall.service')
    Window = Model.get('hall.window')
    Queue = Model.get('hall.queue')
    Company = Model.get('company.company')
    Employee = Model.get('company.employee')

    currencies = Currency.find([('code', '=', 'CNY')])
    if currencies:
        currency, = currencies
    else:
        currency = Currency(name="人民币", code='CNY', symbol='¥')
        currency.save()
    company_config = Wizard('company.company.config')
    company_config.execute('company')
    company = company_config.form
    party = Party(name="滨江市政务服务中心")
    party.save()
    company.party = party
    company.currency = currency
    company.timezone = 'Asia/Shanghai'
    company_config.execute('add')
    company = Model.get('company.company').find()[0]

    admin = User(1)
    pconfig.get_config()._context = User.get_preferences(True, {})

    department = Department(name="市政务服务管理局", code='ZWFW')
    department.save()

    def make_hall(name, code):
        hall = Hall(name=name, code=code, company=company)
        hall.weekend_service = True
        # The hall's sessions are not checked when a ticket is issued,
        # only the queue's hours
        hall.weekend_morning_start = dt.time(9, 0)
        hall.weekend_morning_end = dt.time(12, 0)
        hall.weekend_afternoon_start = dt.time(13, 30)
        hall.weekend_afternoon_end = dt.time(17, 0)
        hall.weekend_min_windows = 0
        hall.save()
        return hall

    def make_windows(hall, prefix, count):
        windows = []
        for i in range(1, count + 1):
            windows.append(Window(
                    hall=hall, number=f'{prefix}{i:03d}',
                    name=f"{i}号窗口"))
        Window.save(windows)
        Window.click(windows, 'open')
        return windows

    def make_queue(hall, prefix, name, services, lines):
        queue = Queue(hall=hall, prefix=prefix, name=name)
        queue.open_time, queue.close_time = ALL_DAY
        queue.weekend = True
        queue.daily_cap = None
        for service in services:
            queue.services.append(Service(service.id))
        for sequence, window in lines:
            line = queue.windows.new()
            line.window = Window(window.id)
            line.sequence = sequence
        queue.save()
        return queue

    # --- contention: one queue, N windows ----------------------------------
    contention = make_hall("性能测试大厅（并发）", 'BENCH-C')
    c_windows = make_windows(contention, 'C', args.contention_windows)
    c_service = Service(code='BC-001', name="并发测试事项",
        department=department, legal_limit=20, promised_limit=5)
    c_service.save()
    c_queue = make_queue(contention, 'A', "综合窗口", [c_service],
        [(1, w) for w in c_windows])

    # --- peak day: 8 queues, 132 windows -----------------------------------
    peak = make_hall("性能测试大厅（高峰日）", 'BENCH-P')
    p_windows = make_windows(peak, 'P', args.peak_windows)
    services = []
    for prefix, queue_name, code, service_name in PEAK_QUEUES:
        service = Service(code=code, name=service_name,
            department=department, legal_limit=20, promised_limit=5)
        services.append(service)
    Service.save(services)
    lines = {prefix: [] for prefix, *_ in PEAK_QUEUES}
    n = len(PEAK_QUEUES)
    for i, window in enumerate(p_windows):
        lines[PEAK_QUEUES[i % n][0]].append((1, window))
        if i % 3 == 0:
            lines[PEAK_QUEUES[(i + 1) % n][0]].append((2, window))
    p_queues = []
    for (prefix, queue_name, _, _), service in zip(PEAK_QUEUES, services):
        p_queues.append(make_queue(
                peak, prefix, queue_name, [service], lines[prefix]))

    # --- the users operating the windows -------------------------------------
    # One user (with an employee, the clerk of the tickets) a window, as in
    # the hall; the hall manager role lets them operate any window without
    # a roster.
    role, = Role.find([('id', '=', ModelData.get_id(
                    'hall', 'role_hall_manager', {}))])
    count = max(args.contention_windows, args.peak_windows)
    parties = [Party(name=f"窗口人员{i:03d}") for i in range(1, count + 1)]
    Party.save(parties)
    employees = [Employee(party=p, company=company) for p in parties]
    Employee.save(employees)
    users = []
    for i, employee in enumerate(employees, 1):
        user = User(login=f'{BENCH_LOGIN}{i:03d}',
            name=f"性能测试窗口人员{i:03d}")
        user.password = args.password
        user.companies.append(Company(company.id))
        user.company = Company(company.id)
        user.employees.append(Employee(employee.id))
        user.employee = Employee(employee.id)
        user_role = user.roles.new()
        user_role.role = role
        users.append(user)
    User.save(users)

    clerk_role, = Role.find([('id', '=', ModelData.get_id(
                    'hall', 'role_window_clerk', {}))])
    clerk_party = Party(name="轮岗窗口人员")
    clerk_party.save()
    clerk_employee = Employee(party=clerk_party, company=company)
    clerk_employee.save()
    clerk = User(login=f'{BENCH_LOGIN}clerk', name="性能测试轮岗窗口人员")
    clerk.password = args.password
    clerk.companies.append(Company(company.id))
    clerk.company = Company(company.id)
    clerk.employees.append(Employee(clerk_employee.id))
    clerk.employee = Employee(clerk_employee.id)
    clerk.roles.new(role=clerk_role)
    clerk.save()
    del admin

    print(json.dumps({
                'company': company.id,
                'user': users[0].id,
                'logins': [u.login for u in users],
                'clerk': {'login': clerk.login,
                    'employee': clerk_employee.id},
                'contention': {
                    'hall': contention.id,
                    'queue': c_queue.id,
                    'prefix': c_queue.prefix,
                    'windows': [w.id for w in c_windows],
                    },
                'peak': {
                    'hall': peak.id,
                    'queues': [{'id': q.id, 'prefix': q.prefix,
                            'services': [s.id for s in q.services]}
                        for q in p_queues],
                    'windows': [w.id for w in p_windows],
                    },
                }))


if __name__ == '__main__':
    main()
