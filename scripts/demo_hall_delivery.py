# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Demo of the free certificate delivery (免费证照寄递, module
hall_delivery), played by scripts/demo.py together with the hall's
applications (scripts/demo_hall.py), since the deliveries follow them:

the divisions of 浙江省 (the addresses are real ones of 杭州市), two
couriers (EMS, 顺丰), a delivery clerk (jidi); about 40 applicants ask for
mail delivery at reception, the clerk completes the addresses the same day,
the certificates are entered at completion; over the last working days the
clerk packs the pieces, hands them over in batches and imports the
couriers' tracking files: most signed for, two returned, a few left to
pack, to hand over or on their way.

It draws from its own random generator, so that the rest of the demo stays
the same with or without it."""
import csv
import datetime as dt
import io
import random
import re
from collections import Counter, defaultdict
from decimal import Decimal
from zoneinfo import ZoneInfo

from proteus import Model, Wizard
from trytond.modules.hall import clock as hall_clock

import demo_data as D
from demo_tools import (
    SimClock, as_user, demo_language, make_mobile, make_ric, make_uscc,
    new_user, role_of)

# (the seed of the hall's demo + 1, its own generator)
SEED = 2027
ROLE_LABEL = "寄递专员 delivery clerk"
# How many applications ask for the delivery, by what became of them:
# completed (within MAIL_DONE working days, at most), rejected or
# withdrawn, still drafts (submitted online) and the others still in
# progress (received within MAIL_LAUNCH working days).
MAIL_TOTAL = 40
MAIL_COUNTS = {'completed': 24, 'closed': 3, 'draft': 2}
MAIL_DONE = 15
MAIL_LAUNCH = 20
# The couriers come for the packed pieces on these working days back from
# today (one handover batch each), and the share of the enterprises' pieces
# sent with 顺丰 rather than EMS.
PICKUPS = [(6, 'ems', dt.time(16, 0)), (3, 'sf', dt.time(15, 30)),
    (1, 'ems', dt.time(16, 0))]
SF_SHARE = 0.5
DELIVERY_STATES = ['draft', 'ready', 'packed', 'dispatched', 'delivered',
    'returned', 'lost', 'cancelled']
# The clock with which the module stamps the deliveries' state changes and
# the handover batches
STAMPING = [hall_clock]


def ems_waybill(serial):
    "EMS waybill (UPU S10): EA, 8 digits, check digit, CN"
    digits = f'{serial:08d}'
    total = sum(int(c) * w for c, w in zip(digits, [8, 6, 4, 2, 3, 5, 9, 7]))
    check = 11 - total % 11
    check = {10: 0, 11: 5}.get(check, check)
    return f'EA{digits}{check}CN'


def sf_waybill(serial):
    "顺丰 waybill: SF and 13 digits"
    return f'SF{serial:013d}'


class DeliveryDemo:
    """The deliveries of the hall's applications; the hall's demo calls
    before_workflow, before_click and after_click while it plays them."""

    STAMPING = STAMPING

    def __init__(self, cfg, company, today, password_of, say):
        self.cfg = cfg
        self.password_of = password_of
        self.say = say
        self.company = company
        self.today = today
        self.rng = random.Random(SEED)
        self.clerk = None
        self.back = None  # the hall's working days, most recent first
        self.mail = {}  # application id -> its delivery plan
        self.counts = {}

    def clock(self):
        "The server's clock, stamping the deliveries too"
        return SimClock(self.cfg.database_name, D.TIMEZONE, STAMPING)

    def create_clerk(self):
        "The delivery clerk (寄递专员) of the issuing windows"
        Party = Model.get('party.party')
        Employee = Model.get('company.employee')
        rng = self.rng
        name, gender = D.DELIVERY_CLERK
        login = D.DELIVERY_CLERK_LOGIN
        party = Party(name=name)
        party.addresses[0].city = D.CITY
        party.identifiers.new(type='cn_ric', code=make_ric(
                rng, D.LOCAL_AREA_CODES, dt.date(1994, 6, 17), gender))
        party.contact_mechanisms.new(type='mobile', value=make_mobile(rng))
        party.save()
        employee = Employee(party=party, company=self.company,
            start_date=dt.date(2021, 3, 1))
        employee.save()
        user = new_user(self.company, login, name, self.password_of(login),
            role_of(self.cfg, 'hall_delivery', 'role_delivery_clerk'),
            demo_language(), employee=employee)
        user.save()
        self.clerk = user

    def login_lines(self):
        login = self.clerk.login
        return [f'{login:<9} / {self.password_of(login):<20} '
            f'{ROLE_LABEL} ({self.clerk.name})']

    # -- hooks of the hall's applications --------------------------------

    def before_workflow(self, hall, apps, plans, days_of):
        self.back = hall.back
        self.choose_mail(hall, apps, plans, days_of)

    def before_click(self, action, apps, day):
        if action == 'complete':
            self.issue_certificates(apps, day)

    def setup(self):
        """Import the administrative divisions of the demo's province with
        the wizard, as the hall manager would, and contract the couriers."""
        Subdivision = Model.get('country.subdivision')
        Party = Model.get('party.party')
        Courier = Model.get('hall.courier')
        division_import = Wizard('hall.delivery.division.import')
        division_import.form.all_provinces = False
        division_import.form.provinces = [D.DELIVERY_PROVINCE]
        division_import.execute('import_')
        self.counts['subdivisions'] = division_import.form.created
        division_import.execute('end')

        city, = Subdivision.find(
            [('code', '=', f'CN-{D.DELIVERY_CITY_CODE}')])
        assert city.name == D.DELIVERY_CITY_NAME, city.name
        assert city.parent.name == D.DELIVERY_PROVINCE_NAME, city.parent.name
        self.province_id, self.city_id = city.parent.id, city.id
        self.districts = []
        for code, name, weight, postal_codes, streets in (
                D.DELIVERY_DISTRICTS):
            district, = Subdivision.find([
                    ('code', '=', f'CN-{code}'), ('parent', '=', city.id)])
            assert district.name == name, district.name
            self.districts.append({'id': district.id, 'name': name,
                    'weight': weight, 'postal_codes': postal_codes,
                    'streets': streets})

        year = self.today.year
        parties = []
        for info in D.COURIERS:
            party = Party(name=info['party'])
            party.contact_mechanisms.new(type='website',
                value=info['website'])
            parties.append(party)
        Party.save(parties)
        couriers = []
        for info, party in zip(D.COURIERS, parties):
            (sy, sm, sd), (ey, em, ed) = info['contract']
            courier = Courier(party=party, company=self.company,
                service_code=info['service_code'],
                contract_start=dt.date(year + sy, sm, sd),
                contract_end=dt.date(year + ey, em, ed),
                extra_kg_price=Decimal(info['extra_kg']))
            for max_weight, price in info['tiers']:
                courier.price_tiers.new(max_weight=Decimal(max_weight),
                    price=Decimal(price))
            couriers.append(courier)
        Courier.save(couriers)
        self.couriers = {i['key']: c.id for i, c in zip(D.COURIERS, couriers)}
        self.courier_info = {i['key']: i for i in D.COURIERS}

    def choose_mail(self, hall, apps, plans, days_of):
        """While they are still drafts, about 40 applicants of services
        that issue a certificate ask for it to be mailed (those received
        since the service started); the enterprises among them give a
        mobile for the courier."""
        rng = self.rng
        Application = Model.get('hall.application')
        Party = Model.get('party.party')
        Identifier = Model.get('party.identifier')
        ContactMechanism = Model.get('party.contact_mechanism')
        self.service_name = {s.id: s.name for s in hall.services}
        groups = defaultdict(list)
        for app, plan in zip(apps, plans):
            if self.service_name[app.service.id] not in D.CERTIFICATES:
                continue
            state, days = plan['state'], days_of.get(app.id)
            if state == 'draft':
                if app.channel == 'online':
                    groups['draft'].append(app)
            elif days['receive'] > MAIL_LAUNCH:
                continue
            elif state == 'completed':
                if days['complete'] <= MAIL_DONE:
                    groups['completed'].append(app)
            elif state in {'rejected', 'withdrawn'}:
                groups['closed'].append(app)
            else:
                groups['open'].append(app)
        chosen = []
        for group, count in MAIL_COUNTS.items():
            chosen += rng.sample(groups[group], min(count, len(groups[group])))
        chosen += rng.sample(groups['open'],
            max(0, min(MAIL_TOTAL - len(chosen), len(groups['open']))))

        parties = hall.citizens + hall.enterprises
        names = {p.id: p.name for p in parties}
        enterprises = {p.id for p in hall.enterprises}
        identifiers = Identifier._proxy.search_read(
            [('party', 'in', [p.id for p in parties])], 0, None, None,
            ['party', 'type', 'code'], self.cfg.context)
        self.ric_of = {i['party']: i['code'] for i in identifiers
            if i['type'] == 'cn_ric'}
        self.uscc_of = {i['party']: i['code'] for i in identifiers
            if i['type'] == hall.uscc_type}
        state_of = {app.id: plan['state'] for app, plan in zip(apps, plans)}
        mechanisms, with_mobile = [], set()
        for app in chosen:
            app.delivery_method = 'mail'
            applicant = app.applicant.id
            agent = app.agent.id if app.agent else None
            enterprise = applicant in enterprises
            district = rng.choices(self.districts,
                [d['weight'] for d in self.districts])[0]
            street = None  # where the applicant lives (滨江区)
            if district['streets']:
                street = f"{rng.choice(district['streets'])}"
                if enterprise:
                    street += (f"{rng.randrange(1, 800)}号"
                        f"{rng.choice(['创业大厦', '科技园', '商务中心'])}"
                        f"{rng.randrange(2, 25)}层")
                else:
                    street += (f"{rng.randrange(1, 600)}号"
                        f"{rng.randrange(1, 20)}幢{rng.randrange(1, 4)}单元"
                        f"{rng.randrange(1, 19)}{rng.randrange(1, 5):02d}室")
            if enterprise and applicant not in with_mobile:
                # the mobile of the enterprise's contact for the courier
                with_mobile.add(applicant)
                mechanisms.append(ContactMechanism(
                        party=Party(applicant), type='mobile',
                        value=make_mobile(rng), name=names.get(agent)))
            kg = rng.choices([(0.2, 0.5), (0.5, 1.0), (1.0, 1.5)],
                [70, 25, 5])[0]
            self.mail[app.id] = {
                'state': state_of[app.id],
                'days': days_of.get(app.id),
                'district': district,
                'street': street,
                'postal_code': rng.choice(district['postal_codes']),
                'enterprise': enterprise,
                'name': names[applicant],
                'agent': names.get(agent),
                'courier': ('sf' if enterprise and rng.random() < SF_SHARE
                    else 'ems'),
                'weight': Decimal(f'{rng.uniform(*kg):.2f}'),
                }
        ContactMechanism.save(mechanisms)
        Application.save(chosen)
        self.counts['mail'] = Counter(
            self.mail[a.id]['state'] for a in chosen)

    def certificate(self, template, app, day):
        "The name and number of the certificate issued to `app` on `day`"
        rng = self.rng
        applicant = app.applicant.id
        width = re.search(r'\{n:0(\d+)d\}', template)
        uscc = self.uscc_of.get(applicant)
        if uscc is None and '{uscc}' in template:
            uscc = make_uscc(rng, D.CITY_DIVISION,
                '92' if template.startswith('个体') else '91')
        ric = self.ric_of.get(applicant) or self.ric_of.get(
            app.agent.id if app.agent else None, '')
        return template.format(
            year=day.year, yy=f'{day:%y}', date=day, div=D.CITY_DIVISION,
            n=rng.randrange(1, 10 ** int(width.group(1)) if width else 1000),
            ric=ric, uscc=uscc,
            letter=rng.choice('ABCDEFGHJKLMNPQRSTUVWXYZ'),
            kind=rng.randint(1, 7), grade=rng.randint(1, 4))

    def issue_certificates(self, apps, day):
        "Enter the certificate issued before the completion is clicked"
        for app in apps:
            template = D.CERTIFICATES.get(self.service_name[app.service.id])
            if template:
                app.certificate = self.certificate(template, app, day)

    def after_click(self, action, apps, day, clock):
        """The delivery clerk completes the address of the deliveries the
        receptions of the day opened, and cancels those of the applications
        rejected or withdrawn."""
        ids = [a.id for a in apps if a.id in self.mail]
        if not ids:
            return
        Delivery = Model.get('hall.delivery')
        Subdivision = Model.get('country.subdivision')
        if action == 'receive':
            # (the delivery clerk has no access to the applications)
            app_of = {d.id: d.applications[0].id for d in Delivery.find([
                        ('applications', 'in', ids),
                        ('state', '=', 'draft'),
                        ])}
            clock.set(day, dt.time(10, 30))
            with as_user(self.cfg, self.clerk):
                deliveries = [Delivery(i) for i in sorted(app_of)]
                for delivery in deliveries:
                    plan = self.mail[app_of[delivery.id]]
                    delivery.province = Subdivision(self.province_id)
                    delivery.city = Subdivision(self.city_id)
                    delivery.district = Subdivision(plan['district']['id'])
                    if plan['street']:
                        delivery.street = plan['street']
                    delivery.postal_code = plan['postal_code']
                Delivery.save(deliveries)
        elif action in {'reject', 'withdraw'}:
            clock.set(day, dt.time(16, 30))
            with as_user(self.cfg, self.clerk):
                Delivery.click(Delivery.find([
                            ('applications', 'in', ids),
                            ('state', 'in', ['draft', 'ready']),
                            ]), 'cancel')

    def play(self):
        """The delivery clerk's last working days: each morning pack what
        was completed before (courier, waybill, weight), hand the packed
        pieces over when a courier comes (one batch each), then import the
        couriers' tracking files: most signed for, two returned (from the
        first batch), two still on their way (from the last one)."""
        Delivery = Model.get('hall.delivery')
        Courier = Model.get('hall.courier')
        rng = self.rng
        back = self.back
        done = {a: p for a, p in self.mail.items()
            if p['state'] == 'completed'}
        if not done:
            return
        pickups = defaultdict(list)
        for index, key, time_ in PICKUPS:
            pickups[index].append((key, time_))
        serial = {'ems': rng.randrange(10 ** 7, 9 * 10 ** 7),
            'sf': rng.randrange(10 ** 11, 9 * 10 ** 11)}
        waybill = {'ems': ems_waybill, 'sf': sf_waybill}
        packed, dispatched = set(), {}  # application ids; -> (day, time)
        batches = []
        # (the delivery clerk has no access to the applications)
        delivery_of = {d.applications[0].id: d.id for d in Delivery.find([
                    ('applications', 'in', list(done)),
                    ('state', '=', 'ready'),
                    ])}
        with as_user(self.cfg, self.clerk), \
                self.clock() as clock:
            delivery_of = {a: Delivery(i) for a, i in delivery_of.items()}
            first = max(p['days']['complete'] for p in done.values())
            for index in range(first, -1, -1):
                clock.set(back[index], dt.time(9, 30))
                to_pack = sorted(
                    (a for a, p in done.items() if a in delivery_of
                        and a not in packed
                        and p['days']['complete'] > index),
                    key=lambda a: delivery_of[a].id)
                for app_id in to_pack:
                    plan, delivery = done[app_id], delivery_of[app_id]
                    key = plan['courier']
                    delivery.courier = Courier(self.couriers[key])
                    delivery.waybill = waybill[key](serial[key])
                    serial[key] += 1
                    delivery.weight = plan['weight']
                if to_pack:
                    Delivery.click([delivery_of[a] for a in to_pack], 'pack')
                    packed.update(to_pack)
                for key, time_ in pickups.get(index, []):
                    pieces = [a for a in packed if a not in dispatched
                        and done[a]['courier'] == key]
                    if not pieces:
                        continue
                    clock.set(back[index], time_)
                    # the wizard proposes the courier's packed pieces
                    dispatch = Wizard('hall.delivery.dispatch')
                    dispatch.form.courier = Courier(self.couriers[key])
                    ids = {d.id for d in dispatch.form.deliveries}
                    agent = rng.choice(self.courier_info[key]['agents'])
                    dispatch.form.courier_signature = agent
                    dispatch.execute('dispatch')
                    for app_id, delivery in delivery_of.items():
                        if delivery.id in ids:
                            dispatched[app_id] = (back[index], time_, agent)
                    batches.append(key)
            self.counts['batches'] = batches

            # The couriers' tracking files, in local time, up to now
            clock.set(back[0], dt.time(17, 45))
            limit = min(dt.datetime.combine(back[0], dt.time(17, 45)),
                dt.datetime.now(ZoneInfo(D.TIMEZONE)).replace(tzinfo=None))
            order = sorted(dispatched,
                key=lambda a: (dispatched[a][0], delivery_of[a].id))
            ems = [a for a in order if done[a]['courier'] == 'ems']
            returned = [a for a in ems if dispatched[a][0]
                == dispatched[ems[0]][0]][:len(D.DELIVERY_RETURN_REASONS)]
            pending = [a for a in ems if a not in returned
                and dispatched[a][0] == dispatched[ems[-1]][0]][-2:]

            def at(day, hour, minutes=59):
                return dt.datetime.combine(day, dt.time(hour)) + (
                    dt.timedelta(minutes=rng.randint(0, minutes),
                        seconds=rng.randint(0, 59)))
            rows = defaultdict(list)
            for app_id in order:
                plan = done[app_id]
                info = self.courier_info[plan['courier']]
                day, time_, agent = dispatched[app_id]
                number = delivery_of[app_id].waybill
                start = dt.datetime.combine(day, time_)
                next_day = day + dt.timedelta(days=1)
                office = info['office'].format(
                    district=plan['district']['name'])
                events = [
                    (start + dt.timedelta(minutes=rng.randint(15, 45)),
                        "已揽收", f"{info['pickup']}已收件，"
                        f"{info['collector']}：{agent}"),
                    (at(day, 21, 90), "运输中", f"已到达{info['hub']}"),
                    (at(next_day, 7), "派送中",
                        f"{office}正在派送"),
                    ]
                if app_id in returned:
                    reason = D.DELIVERY_RETURN_REASONS[returned.index(app_id)]
                    events += [
                        (at(next_day, 11), "运输中", f"投递未成功：{reason}"),
                        (at(next_day + dt.timedelta(days=1), 14), "退回",
                            reason),
                        ]
                elif app_id in pending:
                    if pending.index(app_id):
                        events.append((at(next_day, 11), "运输中",
                                "收件人电话无人接听，已改约再次投递"))
                else:
                    events.append((at(next_day, 9, 8 * 60), "已签收",
                            self.signer(plan, rng)))
                for time_, status, note in events:
                    if time_ <= limit:
                        rows[plan['courier']].append(
                            (time_, number, status, note))
            applied = 0
            for key, events in rows.items():
                buffer = io.StringIO()
                writer = csv.writer(buffer, lineterminator='\r\n')
                writer.writerow(["运单号", "状态", "时间", "备注"])
                for time_, number, status, note in sorted(events):
                    writer.writerow([number, status,
                            f'{time_:%Y-%m-%d %H:%M:%S}', note])
                tracking = Wizard('hall.delivery.tracking.import')
                tracking.form.courier = Courier(self.couriers[key])
                tracking.form.file = buffer.getvalue().encode('utf-8')
                tracking.form.filename = (
                    f"{self.courier_info[key]['short']}轨迹"
                    f"{back[0]:%Y%m%d}.csv")
                tracking.execute('import_')
                applied += tracking.form.applied
                tracking.execute('end')
            self.counts['tracking events'] = applied

    def signer(self, plan, rng):
        "Who signed for a piece (签收人), as the courier's file says"
        if plan['enterprise']:
            if plan['agent'] and rng.random() < 0.6:
                return f"{plan['agent']}（经办人签收）"
            return rng.choice(["前台代收", "单位收发室代收"])
        chance = rng.random()
        if chance < 0.75:
            return f"{plan['name']}（本人签收）"
        if chance < 0.9:
            return (f"{plan['name'][0]}{rng.choice(['先生', '女士'])}"
                "（家属代收）")
        return "小区快递柜代收"

    def summary(self):
        Delivery = Model.get('hall.delivery')
        deliveries = Delivery.find([])
        states = Counter(d.state for d in deliveries)
        cost = sum((d.cost for d in deliveries if d.batch and d.cost),
            Decimal(0))
        batches = Counter(self.counts.get('batches', []))
        self.say("deliveries: " + ', '.join(
                f'{s} {states[s]}' for s in DELIVERY_STATES if states[s])
            + f" (total {len(deliveries)}); "
            + ', '.join(f"{self.courier_info[k]['short']} {n}"
                for k, n in batches.items())
            + f" handover batches, postage ¥{cost} paid by the bureau; "
            f"{self.counts.get('subdivisions', 0)} subdivisions of "
            f"{D.DELIVERY_PROVINCE_NAME}")

