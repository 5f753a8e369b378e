# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Demo data of the website and new-media office (module content_review).

    load(cfg, company, password_of, say) -> list of login lines

Called by scripts/demo.py after the base setup, through proteus only: the
office of the bureau's government service website (滨江市政务服务网) with its
columns, four new-media accounts and a closed one, the editors, the three
reviewers and the office manager (logins below), the leader register, a few
sensitive words and link domains, and about forty articles of the past two
months played through the three reviews (初审, 复审, 终审) by their users, the
server's clock set to each day: most published, some rejected with a
reason, a few waiting at each step, one blocked by a resident ID number the
checks found.  Then the rectification ledger of the year (self-checks and
higher-level notices) and the daily monitoring cron, which flags the silent,
empty and zombie accounts and the blank columns.  Deterministic.
"""
import datetime as dt
import random
from zoneinfo import ZoneInfo

from proteus import Model
from stdnum.cn import ric
from trytond.modules.content_review import clock as content_clock

from demo_tools import ModuleDemo, SimClock, demo_language, new_user

SEED = 2027
MODULE = 'content_review'

USERS = [
    # login, name, role, label
    ('wzb', "周敏", 'role_content_manager', "网站与新媒体管理员"),
    ('bianji1', "陈晓雨", 'role_web_editor', "网站编辑"),
    ('bianji2', "刘洋", 'role_web_editor', "网站编辑"),
    ('chushen', "孙丽", 'role_reviewer_first', "内容审核员（初审）"),
    ('fushen', "吴建华", 'role_reviewer_second', "内容审核员（复审）"),
    ('zhongshen', "郑国强", 'role_reviewer_final', "内容审核员（终审）"),
    ]

DEPARTMENTS = [
    ('BGS', "办公室"),
    ('ZWGK', "政务公开科"),
    ('XXJS', "信息技术科"),
    ]

SITE = {
    'name': "滨江市政务服务网",
    'code': '3302000012',
    'url': 'https://zwfw.binjiang.gov.cn/',
    'icp_number': "浙ICP备05012345号",
    'security_number': "浙公网安备33010802001234号",
    }

# code, name, update class, department, editor, share of the articles
COLUMNS = [
    ('GZDT', "工作动态", 'dynamic', 'BGS', 'bianji1', 10),
    ('TZGG', "通知公告", 'notice', 'ZWGK', 'bianji2', 4),
    ('ZCWJ', "政策文件", 'notice', 'ZWGK', 'bianji2', 2),
    ('ZCJD', "政策解读", 'notice', 'ZWGK', 'bianji2', 2),
    ('BMDT', "部门动态", 'dynamic', 'BGS', 'bianji1', 3),
    ('RSXX', "人事信息", 'planning', 'BGS', 'bianji2', 0),
    ('GHJH', "规划计划", 'planning', 'ZWGK', 'bianji2', 0),
    ('BSZN', "办事指南", 'static', 'ZWGK', 'bianji2', 0),
    ('JGGK', "机构概况", 'static', 'BGS', 'bianji1', 0),
    ('NDBG', "政府信息公开年报", 'other', 'ZWGK', 'bianji2', 0),
    ('YSHJ', "优化营商环境专栏", 'dynamic', 'BGS', 'bianji1', 0),
    ('ZLXC', "政务服务增值化改革专栏", 'dynamic', 'BGS', 'bianji1', 0),
    ]
# Manual dates (days ago) of columns updated outside the system
MANUAL_COLUMNS = {
    'RSXX': 150, 'GHJH': 400, 'BSZN': 40, 'JGGK': 200, 'NDBG': 260}

# code, name, platform, account id, days since the last post (None: never),
# opened days ago
ACCOUNTS = [
    ('WX01', "滨江政务服务", 'wechat', 'bjzwfw', 0, 2400),
    ('WB01', "滨江政务服务", 'weibo', 'bjzwfwwb', 19, 2900),
    ('DY01', "滨江政务服务", 'douyin', 'bjzwfw2021', None, 600),
    ('TT01', "滨江政务服务", 'toutiao', 'bjzwfwtt', 121, 1500),
    ]
CLOSED_ACCOUNT = ('KS01', "滨江政务服务", 'kuaishou', 'bjzwfwks')

LEADERS = [
    ("林振华", "市长", dt.date(2023, 2, 1), None),
    ("林振华", "常务副市长", dt.date(2019, 12, 1), dt.date(2023, 1, 31)),
    ("陈立新", "副市长", dt.date(2021, 3, 1), None),
    ("周志勇", "局长", dt.date(2022, 6, 1), None),
    ("何晓东", "局长", dt.date(2017, 5, 1), dt.date(2022, 5, 31)),
    ]
SENSITIVE_WORDS = [
    ("绝密", 'serious', "保密"),
    ("机密★", 'serious', "保密"),
    ("内部资料", 'serious', "保密"),
    ("仅供内部参考", 'serious', "保密"),
    ("据不完全统计", 'normal', "表述规范"),
    ]
LINK_DOMAINS = [
    ('gov.cn', 'whitelist', "政府网站"),
    ('zjzwfw.gov.cn', 'whitelist', "浙江政务服务网"),
    ('people.com.cn', 'whitelist', "人民网"),
    ('xinhuanet.com', 'whitelist', "新华网"),
    ('pan.baidu.com', 'blacklist', "网盘不得用于发布政府信息"),
    ]

# Titles and bodies of the articles (plain text; {leader} and {mayor} are
# filled from the register)
ARTICLES = [
    ("市政务服务中心推出“周末不打烊”延时服务",
     "为方便企业群众错时办事，市政务服务中心自本月起推行“周末不打烊”服务，"
     "每周六上午9:00至11:30、下午14:00至17:00开放综合窗口，提供企业开办、"
     "不动产登记、社保医保等高频事项办理。咨询电话：12345。"),
    ("我局召开“最多跑一次”改革深化推进会",
     "会上，{leader}对下一阶段工作作了部署，要求全体干部再接再励，"
     "持续深化“放管服”改革，推动更多事项“一网通办”“掌上可办”。"),
    ("关于调整不动产登记窗口受理时间的通知",
     "因系统升级，不动产登记窗口受理时间临时调整，具体安排见附件。"
     "详情请登录浙江政务服务网（https://www.zjzwfw.gov.cn/）查询。"),
    ("{mayor}调研企业开办“一件事”集成改革",
     "{mayor}一行察看了企业开办专区，详细了解“一件事”联办和免费刻制"
     "首枚公章工作情况，对窗口工作人员的热情服务给予肯定。"),
    ("市政务服务中心2025年上半年好差评情况通报",
     "上半年，全市政务服务“好差评”系统共收到评价12.6万条，满意率99.98%，"
     "差评整改率100%。"),
    ("政务服务增值化改革政策解读",
     "本次改革围绕企业全生命周期，整合涉企服务事项，打造“一类事”服务场景。"
     "政策原文见《滨江市人民政府关于推进政务服务增值化改革的实施意见》"
     "（滨政发〔2024〕12号）。"),
    ("帮办代办服务助力重点项目早落地",
     "截止目前，代办员已为全市45家企业提供全流程帮办代办服务，"
     "涉及审批事项120余项。"),
    ("免费证照寄递服务上半年惠及群众1.3万人次",
     "市政务服务中心联合EMS开展免费证照寄递，群众可在受理时选择邮寄送达，"
     "实现办事“零跑动”。"),
    ]
# Ids, mobiles and bank cards put in some drafts, found by the checks
LEAKS = [
    "申请人王某（身份证号{id}）已于当日领取证照。",
    "如有疑问请联系经办人李先生，手机{mobile}。",
    ]

# Final states of the articles (the rest is published)
PLAN = (['draft'] * 3 + ['rejected'] * 2 + ['submitted'] * 3
    + ['first_reviewed'] * 2 + ['second_reviewed'] * 2 + ['approved'] * 2
    + ['withdrawn'] * 2)
N_ARTICLES = 42

RECTIFICATIONS = [
    # category, source, notice, days ago, state, problem, measures
    ('privacy', 'notice', "浙政办网〔2025〕5号", 160, 'verified',
     "公示名单附件含未遮挡的身份证号码", "已替换附件，身份证号码中间8位以星号遮挡"),
    ('privacy', 'self_check', None, 120, 'verified',
     "通知正文含经办人手机号码", "已删除手机号码，改为办公电话"),
    ('privacy', 'self_check', None, 35, 'rectified',
     "政策解读配图含申请人银行卡号", "已更换配图"),
    ('expression', 'notice', "滨政办网〔2025〕11号", 90, 'verified',
     "将“中华人民共和国”误写为“中华人民共合国”", "已更正并在网站首页致歉"),
    ('expression', 'self_check', None, 60, 'verified',
     "领导职务表述不准确（已调任仍称原职务）", "已按领导名录更正职务"),
    ('typo', 'self_check', None, 45, 'verified',
     "“再接再厉”误写为“再接再励”", "已更正"),
    ('link', 'self_check', None, 20, 'open',
     "政策文件栏目3处链接指向已失效的网盘地址", None),
    ('not_updated', 'notice', "滨政办网〔2025〕14号", 15, 'open',
     "“优化营商环境专栏”长期未更新", None),
    ]


# The clock with which the module stamps its records
STAMPING = [content_clock]


def _ric(rng):
    birth = dt.date(rng.randrange(1960, 2000), rng.randrange(1, 13),
        rng.randrange(1, 29))
    first17 = f'330108{birth:%Y%m%d}{rng.randrange(100, 999)}'
    return first17 + ric.calc_check_digit(first17 + '0')


def _mobile(rng):
    return f'13{rng.randrange(5, 10)}{rng.randrange(10 ** 7, 10 ** 8)}'


class ContentDemo(ModuleDemo):

    def __init__(self, cfg, company, password_of, say):
        super().__init__(cfg, company, password_of, say)
        self.rng = random.Random(SEED)
        zone = getattr(company, 'timezone', None) or 'Asia/Shanghai'
        self.zone = ZoneInfo(zone)
        self.today = dt.datetime.now(self.zone).date()

    # -- helpers -------------------------------------------------------------

    def as_user(self, login):
        "Click as the user `login`, with the preferences of a login"
        User = Model.get('res.user')
        user_id = self.users[login].id if login else self.admin_id
        if user_id not in self._contexts:
            self.cfg.user = user_id
            self._contexts[user_id] = User.get_preferences(True, {})
        self.cfg.user = user_id
        self.cfg._context = self._contexts[user_id]

    def as_admin(self):
        self.as_user(None)

    def ref(self, fs_id):
        ModelData = Model.get('ir.model.data')
        return ModelData.get_id(MODULE, fs_id, {})

    # -- setup ---------------------------------------------------------------

    def create_users(self):
        User = Model.get('res.user')
        Role = Model.get('res.role')
        lang = demo_language()
        users = []
        for login, name, role, _ in USERS:
            users.append(new_user(self.company, login, name,
                    self.password_of(login), Role(self.ref(role)), lang))
        User.save(users)
        self.users = {u.login: u for u in users}

    def create_structure(self):
        Department = Model.get('content.department')
        Site = Model.get('content.site')
        Channel = Model.get('content.channel')
        User = Model.get('res.user')
        manager = User(self.users['wzb'].id)
        departments = [Department(code=code, name=name)
            for code, name in DEPARTMENTS]
        for department in departments:
            department.responsible = manager
        Department.save(departments)
        self.departments = {d.code: d for d in departments}
        site = Site(**SITE)
        site.department = self.departments['BGS']
        site.responsible = manager
        site.save()
        self.site = site

        columns = []
        for code, name, update_class, dept, editor, _ in COLUMNS:
            column = Channel(kind='column', site=site, code=code, name=name,
                update_class=update_class,
                department=self.departments[dept],
                url=f"{SITE['url']}col/{code.lower()}/index.html",
                opened_date=dt.date(2019, 1, 1))
            column.editors.append(User(self.users[editor].id))
            if code in MANUAL_COLUMNS:
                column.manual_last_update = self.today - dt.timedelta(
                    days=MANUAL_COLUMNS[code])
            if code == 'ZLXC':
                column.opened_date = self.today - dt.timedelta(days=30)
            columns.append(column)
        Channel.save(columns)
        self.columns = {c.code: c for c in columns}

        accounts = []
        for code, name, platform, handle, last, opened in ACCOUNTS:
            account = Channel(kind='account', code=code, name=name,
                platform=platform, account_name=handle,
                department=self.departments['BGS'],
                opened_date=self.today - dt.timedelta(days=opened),
                registration_number=f"浙网信备3301{code}号",
                registration_date=self.today - dt.timedelta(
                    days=opened - 3),
                registration_authority="滨江市委网信办")
            account.editors.append(User(self.users['bianji1'].id))
            if last:
                account.manual_last_update = self.today - dt.timedelta(
                    days=last)
            accounts.append(account)
        code, name, platform, handle = CLOSED_ACCOUNT
        closed = Channel(kind='account', code=code, name=name,
            platform=platform, account_name=handle,
            department=self.departments['BGS'],
            opened_date=dt.date(2020, 6, 1),
            manual_last_update=dt.date(2024, 3, 1),
            closure_reason="账号长期无更新，按规定整合关停")
        accounts.append(closed)
        Channel.save(accounts)
        self.accounts = {a.code: a for a in accounts}
        closed.click('request_closure')
        closed.closure_notice_date = closed.closure_requested_date
        closed.save()
        closed.click('deregister')
        closed.closure_filed_date = self.today
        closed.save()

    def create_lexicons(self):
        Leader = Model.get('content.leader')
        Word = Model.get('content.sensitive_word')
        Link = Model.get('content.link_domain')
        Leader.save([Leader(name=n, title=t, start_date=s, end_date=e,
                    organisation="滨江市人民政府" if '市长' in t
                    else "滨江市政务服务管理局")
                for n, t, s, e in LEADERS])
        Word.save([Word(word=w, severity=s, category=c)
                for w, s, c in SENSITIVE_WORDS])
        Link.save([Link(domain=d, list=l, note=n)
                for d, l, n in LINK_DOMAINS])

    # -- articles ------------------------------------------------------------

    def plan_articles(self):
        rng = self.rng
        shares = [(c[0], c[4], c[5]) for c in COLUMNS if c[5]]
        weighted = [code for code, _, share in shares for _ in range(share)]
        states = PLAN + ['published'] * (N_ARTICLES - len(PLAN))
        rng.shuffle(states)
        plans = []
        for index, state in enumerate(states):
            column = weighted[index % len(weighted)]
            editor = dict((c[0], c[4]) for c in COLUMNS)[column]
            title, body = ARTICLES[index % len(ARTICLES)]
            # recent days for the articles still in review
            if state in {'published', 'withdrawn'}:
                back = rng.randrange(2, 60)
            else:
                back = rng.randrange(0, 4)
            day = self.today - dt.timedelta(days=back)
            while day.weekday() >= 5 and back > 1:
                back -= 1
                day = self.today - dt.timedelta(days=back)
            plans.append({
                    'state': state, 'column': column, 'editor': editor,
                    'title': title, 'body': body, 'day': day,
                    'leak': state in {'submitted', 'rejected'}
                    and index % 2 == 0,
                    })
        # the WeChat account carries the latest news too
        for plan in plans:
            if plan['column'] == 'GZDT' and plan['editor'] == 'bianji1':
                plan['account'] = True
        plans.sort(key=lambda p: p['day'])
        return plans

    def fill(self, text, index):
        return text.format(
            leader="周志勇局长", mayor="林振华市长",
            id=_ric(self.rng), mobile=_mobile(self.rng))

    def create_articles(self, clock):
        Article = Model.get('content.article')
        Channel = Model.get('content.channel')
        self.counts = {}
        for index, plan in enumerate(self.plan_articles()):
            day, state = plan['day'], plan['state']
            clock.set(day, dt.time(9, 0))
            self.as_user(plan['editor'])
            article = Article(title=self.fill(plan['title'], index))
            body = self.fill(plan['body'], index)
            if plan['leak']:
                body += self.fill(LEAKS[index % len(LEAKS)], index)
            article.body = body
            article.source = "市政务服务管理局" + (
                "办公室" if plan['editor'] == 'bianji1' else "政务公开科")
            article.channels.append(Channel(self.columns[plan['column']].id))
            if plan.get('account'):
                article.channels.append(Channel(self.accounts['WX01'].id))
            article.save()
            self.counts[state] = self.counts.get(state, 0) + 1
            if state == 'draft':
                continue
            article.click('submit')
            if plan['leak']:
                if state == 'rejected':
                    clock.set(day, dt.time(10, 30))
                    self.as_user('chushen')
                    article = Article(article.id)
                    article.rejection_reason = (
                        "正文含个人信息，请删除或遮挡后重新送审。")
                    article.click('reject')
                # 'submitted' leaks stay blocked at the first review
                continue
            if state == 'rejected':
                clock.set(day, dt.time(10, 30))
                self.as_user('chushen')
                article = Article(article.id)
                article.rejection_reason = "标题不够规范，请按政务信息标题要求修改。"
                article.click('reject')
                continue
            if state == 'submitted':
                continue
            for hour, login, step in [
                    (10, 'chushen', 'first_review'),
                    (14, 'fushen', 'second_review'),
                    (16, 'zhongshen', 'final_review')]:
                clock.set(day, dt.time(hour, 15))
                self.as_user(login)
                article = Article(article.id)
                for finding in article.findings:
                    if finding.state == 'open' and (
                            finding.severity == 'normal'):
                        finding.reason = "引用会议原话，保留原文"
                        finding.save()
                        finding.click('accept')
                article = Article(article.id)
                article.click(step)
                if article.state == state:
                    break
            if state in {'published', 'withdrawn'}:
                clock.set(day, dt.time(17, 0))
                self.as_user(plan['editor'])
                article = Article(article.id)
                article.url = (f"{SITE['url']}art/{day:%Y/%m/%d}/"
                    f"art_{1200 + index}.html")
                article.click('publish')
            if state == 'withdrawn':
                clock.set(day + dt.timedelta(days=1), dt.time(9, 30))
                self.as_user('wzb')
                article = Article(article.id)
                article.withdrawal_reason = "稿件信息已更新，按要求撤回原稿。"
                article.click('withdraw')
        self.as_admin()

    # -- ledger, adjustments, monitoring -------------------------------------

    def create_rectifications(self, clock):
        Rectification = Model.get('content.rectification')
        Article = Model.get('content.article')
        Channel = Model.get('content.channel')
        User = Model.get('res.user')
        published = Article.find([('state', '=', 'published')],
            order=[('published_at', 'ASC')])
        for index, (category, source, notice, back, state, problem,
                measures) in enumerate(RECTIFICATIONS):
            day = self.today - dt.timedelta(days=back)
            clock.set(day, dt.time(9, 0))
            self.as_user('wzb')
            entry = Rectification(category=category, source=source,
                reported_date=day, description=problem)
            if notice:
                entry.notice_reference = notice
                entry.notice_issuer = "滨江市人民政府办公室"
            if category == 'not_updated':
                entry.channel = Channel(self.columns['YSHJ'].id)
            elif category == 'link':
                entry.channel = Channel(self.columns['ZCWJ'].id)
            elif published:
                entry.article = published[index % len(published)]
                entry.channel = entry.article.channels[0]
            entry.responsible = User(self.users['bianji2'].id)
            entry.deadline = day + dt.timedelta(days=5)
            entry.save()
            entry.click('register')
            if state in {'rectified', 'verified'}:
                clock.set(day + dt.timedelta(days=2), dt.time(15, 0))
                self.as_user('bianji2')
                entry = Rectification(entry.id)
                entry.measures = measures
                entry.evidence = "整改后页面截图见附件"
                entry.click('rectify')
            if state == 'verified':
                clock.set(day + dt.timedelta(days=3), dt.time(10, 0))
                self.as_user('wzb')
                entry = Rectification(entry.id)
                entry.recheck_note = "经复核，问题已整改到位。"
                entry.click('verify')
        self.as_admin()

    def create_adjustments(self):
        Adjustment = Model.get('content.channel.adjustment')
        Channel = Model.get('content.channel')
        self.as_user('bianji1')
        rename = Adjustment(column=Channel(self.columns['BMDT'].id),
            kind='rename', new_name="部门动态与基层风采",
            reason="按网站集约化栏目规范调整栏目名称")
        rename.save()
        rename.click('submit')
        self.as_admin()

    def monitor(self):
        Cron = Model.get('ir.cron')
        cron, = Cron.find([('method', '=', 'content.channel|monitor')])
        cron.click('run_once')

    def summary(self):
        Channel = Model.get('content.channel')
        Site = Model.get('content.site')
        Rectification = Model.get('content.rectification')
        site = Site(self.site.id)
        flags = {name: len(Channel.find([(name, '=', True)]))
            for name in ['stale', 'blank', 'silent', 'empty', 'zombie']}
        self.say("content: articles " + ', '.join(
                f'{s} {n}' for s, n in sorted(self.counts.items()))
            + f"; {len(RECTIFICATIONS)} rectifications "
            f"({len(Rectification.find([('state', '=', 'verified')]))} "
            "verified)")
        self.say("content monitoring: " + ', '.join(
                f'{k} {v}' for k, v in flags.items())
            + f"; site columns past limit {site.columns_past_limit}, "
            f"blank {site.columns_blank}, veto {bool(site.veto)}, "
            f"forecast {bool(site.veto_forecast)}")

    def run(self):
        self.admin_id = self.cfg.user
        self._contexts = {self.admin_id: self.cfg._context}
        self.create_users()
        self.create_structure()
        self.create_lexicons()
        with SimClock(self.cfg.database_name, self.zone, STAMPING) as clock:
            try:
                self.create_articles(clock)
                self.create_rectifications(clock)
            finally:
                self.as_admin()
        self.create_adjustments()
        self.monitor()
        self.summary()
        return [f'{login:<9} / {self.password_of(login):<20} {label}（{name}）'
            for login, name, _, label in USERS]


def load(cfg, company, password_of, say):
    "Load the demo of the website and new-media office; return the logins"
    Site = Model.get('content.site')
    if Site.find([('code', '=', SITE['code'])]):
        say(f"the site {SITE['name']} already exists: content demo skipped")
        return []
    return ContentDemo(cfg, company, password_of, say).run()
