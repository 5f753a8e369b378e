# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import fields
from trytond.pool import PoolMeta


class Configuration(metaclass=PoolMeta):
    __name__ = 'hall.configuration'

    max_recalls = fields.Integer(
        "Recalls Before No-Show", required=True,
        domain=[('max_recalls', '>=', 0)],
        help="A called ticket recalled this many times without the holder "
        "coming becomes a no-show at the next recall.")
    appointment_cancel_hours = fields.Integer(
        "Appointment Cancellation Cutoff (Hours)", required=True,
        domain=[('appointment_cancel_hours', '>=', 0)],
        help="An appointment can be cancelled until this many hours before "
        "its slot.")
    checkin_early_minutes = fields.Integer(
        "Check-in Opens (Minutes Before)", required=True,
        domain=[('checkin_early_minutes', '>=', 0)])
    checkin_late_minutes = fields.Integer(
        "Check-in Closes (Minutes After)", required=True,
        domain=[('checkin_late_minutes', '>=', 0)],
        help="After this, an appointment not checked in is missed.")
    estimate_sample = fields.Integer(
        "Services Sampled for Estimates", required=True,
        domain=[('estimate_sample', '>', 0)],
        help="The wait is estimated from the duration of this many latest "
        "services of the queue.")
    kiosk_requests_per_minute = fields.Integer(
        "Kiosk Requests per Minute", required=True,
        domain=[('kiosk_requests_per_minute', '>', 0)],
        help="Tickets a client address may take at the kiosk in a minute.")

    @classmethod
    def default_max_recalls(cls):
        return 2

    @classmethod
    def default_appointment_cancel_hours(cls):
        return 2

    @classmethod
    def default_checkin_early_minutes(cls):
        return 30

    @classmethod
    def default_checkin_late_minutes(cls):
        return 15

    @classmethod
    def default_estimate_sample(cls):
        return 20

    @classmethod
    def default_kiosk_requests_per_minute(cls):
        return 6
