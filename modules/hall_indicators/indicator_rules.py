# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The pure rules of the indicators: levels of halls, periods, and the
sentences of the yearly work report"""
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

# The areas of the dashboard and of the sections of the yearly work report,
# in their order, each when its module is activated
REPORT_AREAS = [
    'application', 'queue', 'evaluation', 'green_channel', 'proxy',
    'delivery', 'content', 'catalogue']
# The lists the dashboard shows after the board of an area
DASHBOARD_LISTS = {'content': ['risk']}
CHINESE_NUMERALS = '一二三四五六七八九十'

# The higher the level, the smaller its rank: a parent's rank is smaller
LEVEL_RANKS = {'city': 0, 'district': 1, 'town': 2, 'village': 3}


def year_start(day):
    "The first day of the year of `day`"
    return dt.date(day.year, 1, 1)


def period_end(to_date, today):
    """The last day an indicator of a period ending on `to_date` (None: not
    ended) counts: no later than today"""
    if to_date is None or to_date > today:
        return today
    return to_date


def same_day_last_year(day):
    "The same day a year before (28 February for 29 February)"
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def board_periods(today):
    """The periods of the leadership's board on `today`: (name, first day,
    last day), this month and this year to today, and the same spans of
    last year (as they stood on the same day)"""
    last_year = same_day_last_year(today)
    return [
        ('month', today.replace(day=1), today),
        ('month_last_year', last_year.replace(day=1), last_year),
        ('year', year_start(today), today),
        ('year_last_year', year_start(last_year), last_year),
        ]


def percent_text(numerator, denominator):
    """A rate as the reports write it: at most two decimals, no trailing
    zero (100%, 99.99%, 10.6%); never 100% short of the whole; None
    without a denominator"""
    if not denominator:
        return None
    value = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal('0.01'), rounding=ROUND_HALF_UP)
    if value == 100 and numerator != denominator:
        value = Decimal('99.99')
    text = f'{value:.2f}'.rstrip('0').rstrip('.')
    return f'{text}%'


def period_text(from_date, to_date, today):
    """The period as a bureau's summary names it: 今年1至10月份 (whole
    months from January), 2025年全年, else 2025年3月5日至6月30日"""
    year = '今年' if from_date.year == today.year else f'{from_date.year}年'
    month_end = (to_date + dt.timedelta(days=1)).day == 1
    if (from_date.year == to_date.year and from_date.month == 1
            and from_date.day == 1 and month_end):
        if to_date.month == 12:
            return f'{year}全年'
        if to_date.month == 1:
            return f'{year}1月份'
        return f'{year}1至{to_date.month}月份'
    end = (f'{to_date.month}月{to_date.day}日'
        if to_date.year == from_date.year
        else f'{to_date.year}年{to_date.month}月{to_date.day}日')
    return f'{year}{from_date.month}月{from_date.day}日至{end}'


# what the summary calls every hall of a company whose highest hall is of
# the level
ALL_HALLS = {
    'city': '全市各政务服务大厅',
    'district': '全区各政务服务大厅',
    'town': '全镇（街道）各便民服务中心',
    'village': '各便民服务站',
    }


def application_sentence(period, scope, figures):
    """The sentence of the applications in a bureau's summary: 今年1至10月份，
    全区各政务服务大厅收件176401宗，办结176401宗，办结率100%；… `figures`:
    the counts of hall.indicator.application (received, withdrawn,
    concluded, on_time, immediate, online, one_visit)"""
    counted = figures['received'] - figures['withdrawn']
    parts = [
        f"{period}，{scope}收件{figures['received']}宗，"
        f"办结{figures['concluded']}宗"]
    rates = [
        ('办结率', figures['concluded'], counted),
        ('按时办结率', figures['on_time'], figures['concluded']),
        ('网办率', figures['online'], counted),
        ('最多跑一次率', figures['one_visit'], figures['concluded']),
        ('马上办率', figures['immediate'], counted),
        ]
    for name, numerator, denominator in rates:
        text = percent_text(numerator, denominator)
        if text is not None:
            parts.append(f'{name}{text}')
    return '，'.join(parts) + '。'


def catalogue_sentence(figures):
    """The sentence of the catalogue: 1960项事项中可网办1850项(94.39%)、
    最多跑一次1015项(51.79%)、承诺时限减半819项(41.79%)…"""
    services = figures['services']
    parts = []
    for name, key in [
            ('可网办', 'online'), ('全流程网办', 'full_online'),
            ('最多跑一次', 'one_visit'), ('承诺时限减半', 'halved'),
            ('一窗通办', 'comprehensive')]:
        parts.append(f'{name}{figures[key]}项'
            f'（{percent_text(figures[key], services)}）')
    return f"{services}项事项中" + '、'.join(parts) + '。'


def score_text(score):
    """A composite score on 10 points as the reports write it: at most two
    decimals, no trailing zero (9.98); never 10 short of a full score"""
    if score is None:
        return None
    value = Decimal(str(score)).quantize(
        Decimal('0.01'), rounding=ROUND_HALF_UP)
    if value == 10 and score < 10:
        value = Decimal('9.99')
    return f'{value:.2f}'.rstrip('0').rstrip('.')


def minutes_text(minutes):
    "Minutes with at most one decimal (12.5, 20)"
    value = Decimal(str(minutes)).quantize(
        Decimal('0.1'), rounding=ROUND_HALF_UP)
    return f'{value:.1f}'.rstrip('0').rstrip('.')


def evaluation_sentence(figures):
    """The sentence of the 好差评: 好差评176337宗，满意率99.99%，综合评分9.98，
    推广度60.66%，差评整改率100%. `figures`: ratings, bad, score (the
    average on 10 points), completed, rated, rectifications, rectified"""
    ratings = figures['ratings']
    if not ratings:
        return '期间未收到好差评评价。'
    parts = [f'好差评{ratings}宗',
        f"满意率{percent_text(ratings - figures['bad'], ratings)}",
        f"综合评分{score_text(figures['score'])}"]
    promotion = percent_text(figures['rated'], figures['completed'])
    if promotion is not None:
        parts.append(f'推广度{promotion}')
    rectification = percent_text(
        figures['rectified'], figures['rectifications'])
    if rectification is not None:
        parts.append(f"差评{figures['rectifications']}宗，"
            f"整改{figures['rectified']}宗，差评整改率{rectification}")
    return '，'.join(parts) + '。'


def visitor_sentence(figures):
    """The sentence of the visitors: 接待办事群众1150000人次，平均等候12.5分钟，
    九成群众等候不超过25分钟. `figures`: issued, served, average_wait and
    p90_wait in minutes"""
    if not figures['issued']:
        return '期间未接待取号办事群众。'
    parts = [f"接待办事群众{figures['issued']}人次",
        f"办理{figures['served']}人次"]
    if figures['average_wait'] is not None:
        parts.append(f"平均等候{minutes_text(figures['average_wait'])}分钟")
    if figures['p90_wait'] is not None:
        parts.append(
            f"九成群众等候不超过{minutes_text(figures['p90_wait'])}分钟")
    return '，'.join(parts) + '。'


def speed_up_text(figures):
    """The speed-up rate (提速率) of approval items: 1 − working days taken
    ÷ legal working days, over the completed items"""
    legal = figures['legal_days'] or 0
    return percent_text(legal - (figures['total_days'] or 0), legal)


def green_channel_sentence(figures):
    """The sentence of the green channel: 绿色通道办理事项8044件（…个项目），
    办结…件，提速率10.6%. `figures`: projects, items, completed,
    total_days and legal_days of the items started in the period"""
    if not figures['items']:
        return '期间绿色通道未办理事项。'
    sentence = (f"绿色通道办理事项{figures['items']}件"
        f"（{figures['projects']}个项目），办结{figures['completed'] or 0}件")
    speed_up = speed_up_text(figures)
    if speed_up is not None:
        sentence += f'，提速率{speed_up}'
    return sentence + '。'


def proxy_sentence(figures):
    """The sentence of the proxy agents: 为15家企业提供全程帮办代办服务，代办项目
    …个，办理事项…件，办结…件. `figures`: enterprises, projects, items,
    completed of the steps started in the period"""
    if not figures['items']:
        return '期间未办理帮办代办事项。'
    return (f"为{figures['enterprises']}家企业提供全程帮办代办服务，"
        f"代办项目{figures['projects']}个，办理事项{figures['items']}件，"
        f"办结{figures['completed'] or 0}件。")


def delivery_sentence(figures):
    """The sentence of the free delivery: 免费寄递证照50000件，妥投…件，妥投率
    …. `figures`: deliveries, delivered, returned of the period"""
    if not figures['deliveries']:
        return '期间未寄递证照。'
    return (f"免费寄递证照{figures['deliveries']}件，"
        f"妥投{figures['delivered']}件，妥投率"
        f"{percent_text(figures['delivered'], figures['deliveries'])}。")


# The problems of published content as the reports name them (整改涉及个人隐私
# 泄露稿件约150条)
CONTENT_CATEGORY_TEXTS = {
    'privacy': '个人隐私泄露',
    'expression': '表述错误',
    'typo': '错别字',
    'link': '链接错误',
    'not_updated': '内容未及时更新',
    'other': '其他问题',
    }


def content_sentence(figures):
    """The sentence of the website and new media: 登记网站和政务新媒体内容问题
    …个，已整改…个，整改率…；整改涉及个人隐私泄露稿件150条、表述错误稿件500条.
    `figures`: entries, rectified and <category>_articles (the articles
    rectified) of the problems registered in the period"""
    if not figures['entries']:
        return '期间未发现网站和政务新媒体内容问题。'
    sentence = (f"登记网站和政务新媒体内容问题{figures['entries']}个，"
        f"已整改{figures['rectified']}个，整改率"
        f"{percent_text(figures['rectified'], figures['entries'])}")
    articles = [f'{text}稿件{figures[f"{category}_articles"]}条'
        for category, text in CONTENT_CATEGORY_TEXTS.items()
        if figures.get(f'{category}_articles')]
    if articles:
        sentence += '；整改涉及' + '、'.join(articles)
    return sentence + '。'


def report_period(today):
    """The period a yearly summary is written for by default: from January
    to the end of last month (all last year in January)"""
    last = today.replace(day=1) - dt.timedelta(days=1)
    return year_start(last), last
