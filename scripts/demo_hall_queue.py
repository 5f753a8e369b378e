# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Demo of the queue (module hall_queue), loaded by scripts/demo.py after the
hall: one queue per zone called by the zone's windows, a day of tickets
played at the kiosk's pace (the last working day, or today until now) with
the clerks calling, recalling, transferring and serving, and appointment
slots for the coming working days with some bookings."""
import datetime as dt
import random
from unittest.mock import patch

from proteus import Model, Wizard
from trytond.modules.hall import clock
from trytond.modules.hall.working_days_rules import is_working_day

SEED = 2027
# (zone letter, queue name, tickets a day)
QUEUES = [
    ('A', "企业开办与经营", 70),
    ('B', "工程建设项目审批", 25),
    ('C', "社会事务", 60),
    ('D', "咨询导办", 30),
    ('E', "绿色通道", 6),
    ('F', "综合收件出件", 35),
    ]
OPEN, CLOSE = dt.time(8, 30), dt.time(17, 0)
# local times of the day played
FIRST_TICKET, LAST_CALL = dt.time(8, 45), dt.time(16, 40)


def load(cfg, company, password_of, say):
    return QueueDemo(cfg, company, say).run()


class QueueDemo:

    def __init__(self, cfg, company, say):
        from trytond.wsgi import app
        from werkzeug.test import Client
        self.database = cfg.database_name
        self.client = Client(app)
        self.kiosk_address = 0
        self.company = company
        self.say = say
        self.rng = random.Random(SEED)
        self.zone = clock.tz.get_tzinfo(company.timezone or 'Asia/Shanghai')
        self.now = None

    def utc(self, day, time_):
        return dt.datetime.combine(day, time_, tzinfo=self.zone).astimezone(
            dt.timezone.utc).replace(tzinfo=None)

    def run(self):
        Hall = Model.get('hall.hall')
        self.hall, = Hall.find([('code', '=', 'BJZWFW')])
        self.real_now = clock.utcnow()
        local = clock.to_local(self.real_now, self.company.timezone)
        with patch.object(clock, 'utcnow', side_effect=lambda: self.now):
            self.queues = self.create_queues()
            day, until = self.day_to_play(local)
            served = self.play(day, until) if day else 0
            booked = self.appointments(local.date())
        self.say(f"queue: {len(self.queues)} queues, a day of tickets on "
            f"{day} ({served} served), {booked} appointments booked")
        return []

    def create_queues(self):
        Queue = Model.get('hall.queue')
        Window = Model.get('hall.window')
        queues = []
        windows = Window.find([('hall', '=', self.hall.id)])
        for letter, name, _ in QUEUES:
            zone_windows = [w for w in windows if w.number[0] == letter]
            services = {s.id for w in zone_windows for s in w.services}
            queue = Queue(hall=self.hall, prefix=letter, name=name,
                open_time=OPEN, close_time=CLOSE, weekend=True,
                daily_cap=400)
            for sequence, window in enumerate(zone_windows, 1):
                queue.windows.new(window=window, sequence=sequence)
            queue.services.extend(
                Model.get('hall.service')(s) for s in sorted(services))
            queue.save()
            queues.append(queue)
        # the collection windows also call the enterprise queue, after
        # their own
        enterprise, collection = queues[0], queues[5]
        for line in collection.windows:
            enterprise.windows.new(window=line.window, sequence=100)
        enterprise.save()
        return queues

    def day_to_play(self, local):
        "Today until now if the hall is open, else the last working day"
        CalendarDay = Model.get('hall.calendar.day')
        days = CalendarDay.find([])
        holidays = {d.date for d in days if d.kind == 'holiday'}
        workdays = {d.date for d in days if d.kind == 'workday'}
        day = local.date()
        if (is_working_day(day, holidays, workdays)
                and local.time() > dt.time(9, 30)):
            return day, min(local.time(), LAST_CALL)
        for back in range(1, 15):
            previous = day - dt.timedelta(days=back)
            if is_working_day(previous, holidays, workdays):
                return previous, LAST_CALL
        return None, None

    def play(self, day, until):
        """Issue the day's tickets at random times and let the open windows
        call and serve them, minute by minute"""
        Window = Model.get('hall.window')
        rng = self.rng
        start = dt.datetime.combine(day, FIRST_TICKET)
        end = dt.datetime.combine(day, until)
        minutes = int((end - start).total_seconds() // 60)
        arrivals = {}
        for queue, (_, _, count) in zip(self.queues, QUEUES):
            count = round(count * minutes / 475)
            for _ in range(count):
                minute = int(rng.triangular(0, minutes, minutes * 0.3))
                arrivals.setdefault(minute, []).append(queue)
        windows = [w for w in Window.find([
                    ('hall', '=', self.hall.id), ('state', '=', 'open')])
            if w.queue_lines]
        queues_of = {w.id: {l.queue.id for l in w.queue_lines}
            for w in windows}
        waiting = {q.id: 0 for q in self.queues}
        # window id -> (state, minute it changes, ticket's queue)
        desk = {w.id: ('idle', 0, None) for w in windows}
        served = 0
        for minute in range(minutes + 1):
            local = start + dt.timedelta(minutes=minute)
            self.now = self.utc(day, local.time())
            for queue in arrivals.get(minute, []):
                values = {}
                if rng.random() < 0.4:
                    values['mobile'] = '13%09d' % rng.randrange(10 ** 9)
                self.issue(queue, values)
                waiting[queue.id] += 1
            for window in windows:
                state, until, queue_id = desk[window.id]
                if until > minute:
                    continue
                if state == 'serving':
                    finish = Wizard('hall.window.finish', [window])
                    finish.form.outcome = rng.choices(
                        ['handled', 'consulted', 'materials_missing'],
                        [80, 15, 5])[0]
                    finish.execute('finish')
                    served += 1
                    desk[window.id] = ('idle', minute + 1, None)
                elif state == 'called':
                    if rng.random() < 0.05:
                        # the citizen is not there: recalled until no-show
                        while True:
                            # recalled some seconds apart
                            self.now += dt.timedelta(seconds=15)
                            window.click('recall_ticket')
                            window.reload()
                            if not window.current_ticket:
                                break
                        desk[window.id] = ('idle', minute + 1, None)
                        continue
                    window.click('start_ticket')
                    desk[window.id] = (
                        'serving', minute + rng.randint(4, 18), queue_id)
                elif any(waiting[q] for q in queues_of[window.id]):
                    window.click('call_next')
                    window.reload()
                    queue_id = window.current_ticket.queue.id
                    waiting[queue_id] -= 1
                    desk[window.id] = ('called', minute + 1, queue_id)
        if day < clock.to_local(self.real_now, self.company.timezone).date():
            Cron = Model.get('ir.cron')
            expire, = Cron.find([
                    ('method', '=', 'hall.ticket|expire_unserved')])
            self.now = self.utc(day, dt.time(17, 30))
            expire.click('run_once')
        return served

    def issue(self, queue, values):
        "Take a ticket at the kiosk (the public route), from its own address"
        self.kiosk_address += 1
        address = '10.1.%d.%d' % divmod(self.kiosk_address, 250)
        response = self.client.post(
            f'/{self.database}/hall/{self.hall.id}/kiosk',
            json={'queue': queue.id, **values},
            environ_base={'REMOTE_ADDR': address})
        if response.status_code != 201:
            raise RuntimeError(response.get_json())

    def appointments(self, today):
        "Slots on the next five working days; some booked"
        Slot = Model.get('hall.queue.slot')
        Appointment = Model.get('hall.appointment')
        CalendarDay = Model.get('hall.calendar.day')
        days = CalendarDay.find([])
        holidays = {d.date for d in days if d.kind == 'holiday'}
        workdays = {d.date for d in days if d.kind == 'workday'}
        coming, day = [], today
        while len(coming) < 5:
            day += dt.timedelta(days=1)
            if is_working_day(day, holidays, workdays):
                coming.append(day)
        self.now = self.real_now
        booked = 0
        for queue in self.queues[:3]:
            for day in coming:
                for hour, minute in [(9, 0), (9, 30), (10, 0), (10, 30),
                        (14, 30), (15, 0)]:
                    slot = Slot(queue=queue, date=day,
                        start_time=dt.time(hour, minute),
                        end_time=dt.time(hour, minute + 29), capacity=4)
                    slot.save()
                    for _ in range(self.rng.randint(0, 4)):
                        Appointment(slot=slot,
                            mobile='139%08d' % self.rng.randrange(10 ** 8)
                            ).save()
                        booked += 1
        return booked
