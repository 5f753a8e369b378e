# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Browser test of the public rating pages of hall_evaluation.

A citizen opens the rating page of the QR code of an acceptance receipt on
a phone-sized screen, is refused 非常不满意 without a reason, gives the
reason and submits, and opening the page again tells that the service has
been rated.  The window device shows the rating the clerk asked for
(请评价) without a reload and takes the rating.  The queue's kiosk prints
the rating QR code on its slip (also when its form is posted without
script), and the holder's status page offers 去评价 once the ticket is done,
until it is rated.

The database is built by tests/conftest.py's serve_database (trytond-admin,
tests/browser_setup.py, a trytond process), with hall_evaluation and
hall_queue activated; the data is entered over JSON-RPC
as the admin.
Headless Debian chromium through Debian chromedriver; screenshots go to
var/screenshots/evaluation-*.png.
"""
import pytest
from browser_tools import Page, needs_chromium
from test_browser_queue import PREFIX

PHONE = (412, 915)
APPLICANT = ('张建明', '11010519491231002X')

pytestmark = needs_chromium


class Hall:
    "The data of the test entered over JSON-RPC as the admin"

    def __init__(self, server):
        self.server = server
        self.session = server.rpc_login()
        self.context = {'language': 'zh_CN'}
        company, = self.call('company.company', 'search', [], 0, 1, None)
        self.context = {'company': company, 'language': 'zh_CN'}
        hall, = self.call('hall.hall', 'search', [], 0, 1, None)
        self.hall = hall
        department, = self.call('hall.department', 'create', [{
                    'name': "市场监督管理局", 'code': 'SCJG'}])
        service, = self.call('hall.service', 'create', [{
                    'code': 'SC-001', 'name': "食品经营许可",
                    'department': department,
                    'legal_limit': 20, 'promised_limit': 5}])
        self.service = service
        self.window, = self.call('hall.window', 'create', [{
                    'hall': hall, 'number': 'A01',
                    'services': [('add', [service])]}])
        self.applicant, = self.call('party.party', 'create', [{
                    'name': APPLICANT[0],
                    'identifiers': [('create', [{
                                    'type': 'cn_ric',
                                    'code': APPLICANT[1]}])]}])

    def call(self, model, method, *args):
        return self.server.rpc(
            f'model.{model}.{method}', *args, self.context,
            session=self.session)

    def accepted_application(self):
        application, = self.call('hall.application', 'create', [{
                    'company': self.context['company'],
                    'hall': self.hall,
                    'applicant': self.applicant,
                    'service': self.service,
                    'window': self.window}])
        self.call('hall.application', 'receive', [application])
        self.call('hall.application', 'accept', [application])
        return application

    def token(self, application):
        link, = self.call('hall.evaluation.link', 'search_read', [
                ('application', '=', application),
                ('channel', '=', 'qr_code')], 0, None, None, ['token'])
        return link['token']

    def device_url(self):
        """Register the rating device of the window as the hall manager: the
        address to open on it, with its key (shown once)"""
        wizard = 'wizard.hall.evaluation.device.register'
        session, _, _ = self.server.rpc(
            f'{wizard}.create', self.context, session=self.session)
        result = self.server.rpc(f'{wizard}.execute', session, {
                'start': {'window': self.window, 'name': "A01 评价器"},
                }, 'register', self.context, session=self.session)
        self.server.rpc(
            f'{wizard}.delete', session, self.context, session=self.session)
        return result['view']['defaults']['url']

    def ratings(self, application):
        return self.call('hall.evaluation', 'search_read', [
                ('application', '=', application)], 0, None, None,
            ['level', 'reason', 'channel'])


@pytest.fixture(scope='module')
def hall(evaluation_server):
    return Hall(evaluation_server)


@pytest.fixture
def phone(browser):
    "conftest's browser on a phone-sized screen"
    browser.set_window_size(*PHONE)
    return browser


class PhonePage(Page):
    """The pages of a phone: screenshots <prefix>-<name>.png of the whole
    page, those of a previous run removed"""

    def __init__(self, driver, screenshots, prefix):
        super().__init__(driver, screenshots)
        self.prefix = prefix
        for old in screenshots.glob(f'{prefix}-*'):
            old.unlink()

    def shot(self, name, width=PHONE[0]):
        # The whole page, as tall as its content
        height = self.driver.execute_script(
            'return document.documentElement.scrollHeight')
        self.driver.set_window_size(width, max(PHONE[1], height + 100))
        return super().shot(f'{self.prefix}-{name}.png')

    def reporting(self):
        return super().reporting(f'{self.prefix}-failure')


def test_rating_page(evaluation_server, hall, phone, screenshot_dir):
    "Submit a rating on a phone, then the link is refused"
    from selenium.webdriver.common.by import By

    application = hall.accepted_application()
    token = hall.token(application)
    url = (f'{evaluation_server.url}{evaluation_server.database}'
        f'/hall/rate/{token}')
    page = PhonePage(phone, screenshot_dir, 'evaluation-rate')
    with page.reporting():
        phone.get(url)
        summary = page.text('#summary')
        assert "食品经营许可" in summary, summary
        assert "张*明" in summary and APPLICANT[0] not in summary, summary
        assert APPLICANT[1] not in phone.page_source
        page.shot('form')

        # 非常不满意 without a reason is refused
        page.visible('#level-very_dissatisfied').click()
        page.visible('#score_attitude')
        phone.find_element(By.ID, 'submit').click()
        errors = page.text('#errors')
        assert "请填写不满意的原因" in errors, errors
        assert phone.find_element(
            By.CSS_SELECTOR,
            '#level-very_dissatisfied input').is_selected()
        page.shot('refused-no-reason')
        assert hall.ratings(application) == []

        # with the reason it is stored
        phone.find_element(By.ID, 'reason').send_keys(
            "窗口人员办理时一直在看手机，解释不耐烦")
        phone.find_element(By.ID, 'phone').send_keys('13812345678')
        phone.find_element(
            By.CSS_SELECTOR, '#score_attitude option[value="1"]').click()
        phone.find_element(By.ID, 'submit').click()
        message = page.text('#outcome-text')
        assert "感谢您的评价" in message and "个工作日内" in message, message
        assert not phone.find_elements(By.ID, 'rating-form')
        page.shot('stored')

        # the same QR code again: refused with a message
        phone.get(url)
        message = page.text('#outcome-text')
        assert "本次服务已评价" in message, message
        assert not phone.find_elements(By.ID, 'rating-form')
        page.shot('reused')
    assert hall.ratings(application) == [{
            'id': hall.ratings(application)[0]['id'],
            'level': 'very_dissatisfied',
            'reason': "窗口人员办理时一直在看手机，解释不耐烦",
            'channel': 'qr_code'}]


def test_window_device(evaluation_server, hall, phone, screenshot_dir):
    """The device, not registered, says so; opened once at the address of
    its registration, it keeps its key, shows the rating the clerk asks for
    without a reload and takes it"""
    from selenium.webdriver.common.by import By

    url = (f'{evaluation_server.url}{evaluation_server.database}'
        f'/hall/window/{hall.window}/rate')
    page = PhonePage(phone, screenshot_dir, 'evaluation-device')
    with page.reporting():
        phone.get(url)
        assert "尚未登记" in page.text('#unregistered')
        page.shot('unregistered')
        registered = hall.device_url()
        assert registered.split('#')[0].endswith(
            f'/hall/window/{hall.window}/rate'), registered
        phone.get(url + '#' + registered.split('#', 1)[1])
        assert "欢迎您对我们的服务进行评价" in page.text('#idle')
        # the key left the address, the page keeps it
        assert '#key=' not in phone.current_url
        phone.get(url)
        assert "欢迎您对我们的服务进行评价" in page.text('#idle')
        page.shot('idle')
        application = hall.accepted_application()
        hall.call('hall.application', 'request_rating', [application])
        # the page polls every 2 s
        service = page.text('#service')
        assert "食品经营许可" in service and "张*明" in service, service
        page.shot('asked')
        phone.find_element(
            By.CSS_SELECTOR, '#rating-form input[value="satisfied"]').click()
        phone.find_element(
            By.CSS_SELECTOR, '#rating-form button[type="submit"]').click()
        assert "感谢您的评价" in page.text('#outcome-text')
        page.shot('stored')
    ratings = hall.ratings(application)
    assert [(r['level'], r['channel']) for r in ratings] == [
        ('satisfied', 'window_device')]


@pytest.fixture(scope='module')
def queue_hall(evaluation_server):
    "The queue of tests/test_browser_queue.py, open all day, on this server"
    from test_browser_queue import Hall as QueueHall
    return QueueHall(evaluation_server)


def test_ticket_slip_and_status_page(
        evaluation_server, queue_hall, phone, screenshot_dir):
    """The kiosk's slip carries the rating QR code, also when its form is
    posted without script; the holder's page offers 去评价 once the ticket
    is done, and no more once it is rated"""
    from selenium.webdriver.common.by import By

    page = PhonePage(phone, screenshot_dir, 'evaluation-ticket')
    kiosk = (1080, 1920)
    with page.reporting():
        # The form posted by the browser itself, as without script: it
        # must carry the page's origin (Origin: null is refused)
        phone.set_window_size(*kiosk)
        phone.get(queue_hall.url + 'kiosk')
        page.visible('#issue-form')
        phone.execute_script("""
            const form = document.getElementById('issue-form');
            const input = document.createElement('input');
            input.type = 'hidden';
            input.name = 'queue';
            input.value = arguments[0];
            form.append(input);
            HTMLFormElement.prototype.submit.call(form);
            """, queue_hall.queue)
        rating = page.visible('#slip-links figure[data-key="rating"]')
        assert rating.text == "办结后扫码评价", rating.text
        assert rating.find_element(By.TAG_NAME, 'img').is_displayed()
        number = page.text('#slip-number')
        status_url = phone.find_element(
            By.ID, 'slip-link').get_attribute('href')
        page.shot('kiosk-form', width=kiosk[0])

        # With script, the slip shows in place with the same QR code
        phone.get(queue_hall.url + 'kiosk')
        # the services of a queue open over the kiosk's screen
        page.clickable(f'#queue-{PREFIX} .services-menu summary').click()
        page.clickable("//button[@name='service' and "
            "normalize-space(.)='食品经营许可']", By.XPATH).click()
        rating = page.visible('#slip-links figure[data-key="rating"]')
        assert rating.text == "办结后扫码评价", rating.text
        assert rating.find_element(By.TAG_NAME, 'img').is_displayed()
        assert page.text('#slip-number') != number
        page.shot('kiosk', width=kiosk[0])

        # The holder follows the first ticket on the phone until it is done
        phone.set_window_size(*PHONE)
        phone.get(status_url)
        assert page.text('#number') == number
        assert not phone.find_elements(By.CSS_SELECTOR, '#links a')
        called = queue_hall.call_next(queue_hall.window)
        assert called['number'] == number, called
        queue_hall.rpc('model.hall.ticket.start', [called['id']], {})
        queue_hall.rpc('model.hall.ticket.finish', [called['id']], {})
        # the page polls every 3 s
        button = page.visible('#links a[data-key="rating"]')
        assert button.text == "去评价", button.text
        page.shot('status-done')

        button.click()
        page.visible('#level-satisfied').click()
        phone.find_element(By.ID, 'submit').click()
        message = page.text('#outcome-text')
        assert "感谢您的评价" in message, message
        page.shot('rated')

        phone.get(status_url)
        assert "已办结" in page.text('#headline')
        assert not phone.find_elements(By.CSS_SELECTOR, '#links a')
        page.shot('status-rated')
    ratings = queue_hall.rpc('model.hall.evaluation.search_read',
        [('ticket', '=', called['id'])], 0, None, None,
        ['level', 'channel'], {})
    assert [(r['level'], r['channel']) for r in ratings] == [
        ('satisfied', 'qr_code')]
