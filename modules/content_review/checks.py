# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Automated content checks for website and new-media articles.

Pure Python, no ORM: ``scan(text, rules=None)`` returns the findings of the
privacy checks (resident ID numbers, mobile numbers, bank card numbers) and
the link checks, plus, when ``rules`` is given, the lexicon checks
(sensitive words, wrong expressions), the leader checks (wrong or outdated
title, near-miss of a leader's name) and the link blacklist / whitelist.

All lexicons, leader names, titles and name variants (same-pinyin
variants precomputed with pypinyin) are compiled into one Aho-Corasick
automaton per ``Rules`` instance (ahocorasick-rs, pyahocorasick as a
fallback) and the text is walked once by it; the number and link
candidates are found by one compiled regular expression whose first
character class lets the regex engine skip the prose, and only those few
candidates are validated in Python (stdnum for the ID check digit and the
Luhn check; a mobile of a segment missing from the table of allocated ones
only behind a phone label such as 手机 or 联系电话).  ``get_rules`` caches
the Rules until the lexicons change.

Offsets are str indexes: ``text[f.start:f.end] == f.text``.  For an HTML
body, ``scan_html`` scans its text (markup removed, entities decoded, link
targets of href/src kept) and gives offsets into the HTML.
"""
import datetime
import html as html_module
import re
import threading
import unicodedata
from bisect import bisect_left
from collections import OrderedDict
from dataclasses import dataclass

from stdnum import luhn
from stdnum.cn import ric

try:
    import ahocorasick_rs
except ImportError:  # pragma: no cover - exercised via _engine_for
    ahocorasick_rs = None
try:
    import ahocorasick as pyahocorasick
except ImportError:  # pragma: no cover
    pyahocorasick = None

__all__ = [
    'SERIOUS', 'NORMAL', 'KINDS', 'PRIVACY_KINDS', 'LINK_KINDS',
    'Finding', 'Leader', 'Rules', 'scan', 'scan_html', 'html_text',
    'get_rules', 'clear_rules_cache', 'homophone_variants',
    'mask_id_number', 'mask_mobile', 'mask_bank_card',
    'DEFAULT_EXPRESSIONS', 'DEFAULT_TITLES']

SERIOUS = 'serious'   # 严重
NORMAL = 'normal'     # 一般
KINDS = ('id_number', 'mobile', 'bank_card', 'sensitive_word', 'expression',
    'leader_title', 'leader_name', 'link_malformed', 'link_blacklisted',
    'link_external')
PRIVACY_KINDS = ('id_number', 'mobile', 'bank_card')
LINK_KINDS = ('link_malformed', 'link_blacklisted', 'link_external')


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    text: str
    severity: str
    suggestion: str | None = None


@dataclass(frozen=True)
class Leader:
    name: str
    title: str
    start: datetime.date | None = None
    end: datetime.date | None = None

    def in_office(self, date):
        "Whether the title is held on date (start and end inclusive)"
        return ((self.start is None or self.start <= date)
            and (self.end is None or date <= self.end))


# Common errors in government writing (wrong, correct, severity).
DEFAULT_EXPRESSIONS = (
    ('中华人民共合国', '中华人民共和国', SERIOUS),
    ('中华人民共各国', '中华人民共和国', SERIOUS),
    ('中华人名共和国', '中华人民共和国', SERIOUS),
    ('中化人民共和国', '中华人民共和国', SERIOUS),
    ('中国共产觉', '中国共产党', SERIOUS),
    ('中国共产当', '中国共产党', SERIOUS),
    ('攻府', '政府', SERIOUS),
    ('政附', '政府', SERIOUS),
    ('省省委书记', '省委书记', SERIOUS),
    ('市市委书记', '市委书记', SERIOUS),
    ('县县委书记', '县委书记', SERIOUS),
    ('区区委书记', '区委书记', SERIOUS),
    ('以习近平为核心的党中央', '以习近平同志为核心的党中央', SERIOUS),
    ('以习近平总书记为核心的党中央', '以习近平同志为核心的党中央', SERIOUS),
    ('台湾政府', '台湾当局', SERIOUS),
    ('台湾总统', '台湾地区领导人', SERIOUS),
    ('香港政府', '香港特别行政区政府', SERIOUS),
    ('澳门政府', '澳门特别行政区政府', SERIOUS),
    ('一带一路战略', '“一带一路”倡议', SERIOUS),
    ('依法制国', '依法治国', SERIOUS),
    ('法制政府', '法治政府', NORMAL),
    ('党风廉证', '党风廉政', NORMAL),
    ('廉证建设', '廉政建设', NORMAL),
    ('贯切落实', '贯彻落实', NORMAL),
    ('营商环竟', '营商环境', NORMAL),
    ('布署', '部署', NORMAL),
    ('按装', '安装', NORMAL),
    ('既使', '即使', NORMAL),
    ('再接再励', '再接再厉', NORMAL),
    ('一股作气', '一鼓作气', NORMAL),
    ('迫不急待', '迫不及待', NORMAL),
    ('谈笑风声', '谈笑风生', NORMAL),
    ('默守成规', '墨守成规', NORMAL),
    ('脉博', '脉搏', NORMAL),
    ('寒喧', '寒暄', NORMAL),
    ('精兵减政', '精兵简政', NORMAL),
    ('渡假村', '度假村', NORMAL),
    ('松驰', '松弛', NORMAL),
    ('一愁莫展', '一筹莫展', NORMAL),
    ('不径而走', '不胫而走', NORMAL),
    ('重迭', '重叠', NORMAL),
    ('针贬时弊', '针砭时弊', NORMAL),
    ('穿流不息', '川流不息', NORMAL),
    ('原形必露', '原形毕露', NORMAL),
    ('言简意骇', '言简意赅', NORMAL),
    ('甘败下风', '甘拜下风', NORMAL),
    ('自抱自弃', '自暴自弃', NORMAL),
    ('一如继往', '一如既往', NORMAL),
    ('鞠躬尽粹', '鞠躬尽瘁', NORMAL),
    ('出奇不意', '出其不意', NORMAL),
    ('变本加利', '变本加厉', NORMAL),
    ('震聋发聩', '振聋发聩', NORMAL),
    ('挖墙角', '挖墙脚', NORMAL),
    ('明火执杖', '明火执仗', NORMAL),
    ('黄梁美梦', '黄粱美梦', NORMAL),
    ('有持无恐', '有恃无恐', NORMAL),
    ('走头无路', '走投无路', NORMAL),
    ('世外桃园', '世外桃源', NORMAL),
    ('美仑美奂', '美轮美奂', NORMAL),
    ('悬梁刺骨', '悬梁刺股', NORMAL),
    ('人才汇萃', '人才荟萃', NORMAL),
    ('提纲携领', '提纲挈领', NORMAL),
    ('老俩口', '老两口', NORMAL),
    ('抑或是', '抑或', NORMAL),
    ('凑和', '凑合', NORMAL),
    ('帐户', '账户', NORMAL),
    ('帐号', '账号', NORMAL),
    ('其它', '其他', NORMAL),
    ('做为', '作为', NORMAL),
    ('截止目前', '截至目前', NORMAL),
    ('截止到目前', '截至目前', NORMAL),
    ('截止今年', '截至今年', NORMAL),
    ('截止年底', '截至年底', NORMAL),
    ('权力义务', '权利义务', NORMAL),
    ('必需遵守', '必须遵守', NORMAL),
    ('必需坚持', '必须坚持', NORMAL),
    ('不记其数', '不计其数', NORMAL),
    ('兢兢业业地', '兢兢业业', NORMAL),
    ('群众路线教育时间活动', '群众路线教育实践活动', NORMAL),
    ('两学一作', '两学一做', NORMAL),
    ('不忘出心', '不忘初心', NORMAL),
    ('牢记使名', '牢记使命', NORMAL),
    ('放管服改格', '放管服改革', NORMAL),
    ('最多跑一趟', '最多跑一次', NORMAL),
)

# Titles that are looked for beside a leader's name in addition to the
# titles of the leader register.
DEFAULT_TITLES = (
    '书记', '副书记', '党组书记', '党委书记', '省委书记', '市委书记',
    '区委书记', '县委书记', '省委副书记', '市委副书记', '区委副书记',
    '县委副书记', '常委', '省委常委', '市委常委', '区委常委', '县委常委',
    '省长', '副省长', '常务副省长', '市长', '副市长', '常务副市长', '代市长',
    '区长', '副区长', '常务副区长', '代区长', '县长', '副县长', '常务副县长',
    '代县长', '镇长', '副镇长', '乡长', '副乡长', '主任', '副主任', '常务副主任',
    '局长', '副局长', '厅长', '副厅长', '处长', '副处长', '部长', '副部长',
    '主席', '副主席', '秘书长', '副秘书长', '巡视员', '副巡视员',
    '一级巡视员', '二级巡视员', '调研员', '总理', '副总理', '院长', '副院长',
    '检察长', '副检察长', '市长助理', '政委', '组长', '副组长')

# A title whose remainder before an accepted shorter title ends with one of
# these is another rank: 副市长 is not 市长.
_RANK_PREFIXES = ('副', '代', '常务', '原', '前', '助理')
# Before a title: a past office (any title ever held is right) or a
# former one (only a title no longer held is right).
_HISTORIC_PREFIXES = ('时任', '曾任')
_FORMER_PREFIXES = ('原', '前')

_PRIVACY_SEVERITY = SERIOUS


# ----------------------------------------------------------------- masks

_FULLWIDTH = str.maketrans(
    '０１２３４５６７８９ＸｘＨＴＰＳＷｈｔｐｓｗ＋（）－　：／',
    '0123456789XxHTPSWhtpsw+()- :/')


def _mask(s, keep_head, keep_tail, digits=None):
    "Replace by * the digits of s but the first keep_head and last keep_tail"
    positions = [i for i, c in enumerate(s)
        if c.translate(_FULLWIDTH) in '0123456789Xx']
    if digits is not None:
        positions = positions[-digits:]
    hidden = set(positions[keep_head:len(positions) - keep_tail])
    return ''.join('*' if i in hidden else c for i, c in enumerate(s))


def mask_id_number(s):
    "Masked resident ID number: region and last 4 shown, birth date hidden"
    return _mask(s, 6, 4)


def mask_mobile(s):
    "Masked mobile number: 138****8000 (a +86 prefix is kept)"
    return _mask(s, 3, 4, digits=11)


def mask_bank_card(s):
    "Masked bank card number: first and last 4 digits shown"
    return _mask(s, 4, 4)


# ------------------------------------------------------- privacy numbers

_D = '0-9\uff10-\uff19'
_X = 'Xx\uff38\uff58'
_S = ' \\-\u00a0\u3000\uff0d'   # a single separator between digit groups

_NUMBER_RE = re.compile(rf'''
    (?P<pre>(?:[+\uff0b]|00)[ ]?86[ \-]?|[(\uff08][+\uff0b]?86[)\uff09][ \-]?)?
    (?:
        (?P<run>[{_D}]{{11,19}}[{_X}]?)
      | (?P<mob>[1\uff11][3-9\uff13-\uff19][{_D}](?P<ms>[{_S}])
            [{_D}]{{4}}(?P=ms)[{_D}]{{4}})
      | (?P<rid>[{_D}]{{6}}(?P<is>[{_S}])[{_D}]{{8}}(?P=is)
            [{_D}]{{3}}[{_D}{_X}])
      | (?P<card>[{_D}]{{4}}(?P<cs>[{_S}])[{_D}]{{4}}
            (?:(?P=cs)[{_D}]{{4}}){{2}}
            (?:(?P=cs)[{_D}]{{1,3}})?)
    )''', re.X)

# The segments allocated to mobile networks: an unlabelled number of
# another segment is not taken for a mobile (order numbers and the like).
_MOBILE_RE = re.compile(
    r'1(?:3\d|4[5-9]|5[0-35-9]|6[2567]|7[0-8]|8\d|9[0-35-9])\d{8}\Z')
# Behind a phone label any segment of the mobile range 13-19 is a mobile:
# the table above goes stale as segments are allocated.  10, 11 and 12
# are the service numbers (10086, 106 SMS ports, 110, 12345), never a
# mobile.
_MOBILE_SHAPE_RE = re.compile(r'1[3-9]\d{9}\Z')

_DIGIT_CHARS = frozenset('0123456789\uff10\uff11\uff12\uff13\uff14\uff15'
    '\uff16\uff17\uff18\uff19')
_ALNUM_ASCII = frozenset(
    'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ') | _DIGIT_CHARS

# Issuer identification numbers of the cards issued or used in China:
# UnionPay 62, Visa 4, Mastercard 51-55 and 2221-2720, JCB 35, American
# Express 34/37, 60 (BOC 6013, Discover) and the old domestic debit ranges
# 9558 (ICBC) and 95595-95599.  A Luhn-valid serial number starting
# otherwise is not taken for a card.
_CARD_IIN_RE = re.compile(
    r'(?:62|4|5[1-5]|2(?:2[2-9][1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720)|35|3[47]'
    r'|9558|9559[5-9]|60)')

# Words before a long number telling it is not a card: document and serial
# numbers, codes.
_NOT_CARD_CONTEXT = ('编号', '单号', '流水号', '订单号', '序列号', '序号',
    '批号', '批次号', '合同号', '案号', '文号', '条码', '代码', '登记号',
    '许可证号', '证书号', '证号', '税号', '号段', '快递单', '运单',
    '交易号', '凭证号', '发票号', '工单号', '受理号', '档案号', '识别号')
_NOT_ID_CONTEXT = tuple(w for w in _NOT_CARD_CONTEXT if w != '证号') + (
    '信用代码', '纳税人识别号', '注册号')
# ... unless the label names the kind itself (身份证编号, 银行卡编号).
_ID_LABELS = ('身份', '证件', '公民')
_CARD_LABELS = ('卡', '账号', '帐号', '账户', '帐户', '银行')
_CONTEXT_WINDOW = 12
# Words just before a number telling it is a phone number (手机, 手机号码：,
# 联系电话, 请致电, 热线为...), optionally followed by 号码 or 号 and by
# some of _PHONE_LABEL_JOINERS.
_PHONE_LABELS = ('手机', '电话', '联系方式', '致电', '热线', '拨打', '来电',
    '短信')
_PHONE_LABELS_ASCII = ('tel', 'phone', 'mobile')
_PHONE_LABEL_JOINERS = ' \t\u00a0\u3000：:为是.）)'


def _valid_mobile(digits):
    return _MOBILE_RE.match(digits) is not None


def _mobile_shaped(digits):
    return _MOBILE_SHAPE_RE.match(digits) is not None


def _phone_labelled(text, start):
    "Whether a phone label is just before start"
    before = text[max(0, start - _CONTEXT_WINDOW):start].rstrip(
        _PHONE_LABEL_JOINERS)
    for suffix in ('号码', '号'):
        if before.endswith(suffix):
            before = before[:-len(suffix)]
            break
    if before.endswith(_PHONE_LABELS):
        return True
    low = before.lower()
    for label in _PHONE_LABELS_ASCII:
        if low.endswith(label):
            # a word of its own: not Hotel
            i = len(low) - len(label) - 1
            return i < 0 or not ('a' <= low[i] <= 'z')
    return False


def _known_region(code):
    """Whether the 6-digit administrative division code is (or was) in use.

    The period in which a code was in use is not compared with the birth
    date as stdnum.cn.ric.validate does: a number issued in 1999 to someone
    born in 1970 carries the code of 1999."""
    result = _REGIONS.get(code)
    if result is None:
        from stdnum import numdb
        info = numdb.get('cn/loc').info(code)
        result = _REGIONS[code] = any(
            'county' in props for _, props in info)
    return result


_REGIONS = {}


def _valid_id_number(digits):
    "A resident ID number: GB 11643 check digit, region and birth date"
    if len(digits) != 18 or not digits[:17].isdigit():
        return False
    if digits[17] != ric.calc_check_digit(digits):
        return False
    return _id_shaped(digits)


def _valid_bank_card(digits):
    if not (16 <= len(digits) <= 19) or not digits.isdigit():
        return False
    if _id_shaped(digits):   # a mistyped ID number (44..., 62...)
        return False
    if len(set(digits)) <= 2:   # 0000..., 1111...
        return False
    if not _CARD_IIN_RE.match(digits):
        return False
    return luhn.is_valid(digits)


_LABEL_STOPS = frozenset('，,。；;、\n\t|）)】]>') | _DIGIT_CHARS


def _is_digit_at(text, i):
    return 0 <= i < len(text) and text[i] in _DIGIT_CHARS


def _number_findings(text, match, findings):
    start, end = match.span()
    pre = match.group('pre')
    n = len(text)
    # Not part of a longer run of digits (or of an alphanumeric code, or
    # of a decimal number).
    if start > 0:
        c = text[start - 1]
        if c in _ALNUM_ASCII or c == '_':
            return
        if c == '.' and _is_digit_at(text, start - 2):
            return
        if c == '第':   # 第…号: an ordinal, a document number
            return
    if end < n:
        c = text[end]
        if c in _ALNUM_ASCII or c == '_':
            return
        if c in '.%\uff05' and (c != '.' or _is_digit_at(text, end + 1)):
            return
    form = match.lastgroup
    body_start = match.start(form)
    if form != 'run':
        # a further group with the same separator: a longer number
        sep = match.group(_SEPARATOR_GROUP[form])
        if (end + 1 < n and text[end] == sep
                and text[end + 1] in _DIGIT_CHARS):
            return
        if (body_start >= 2 and not pre and text[body_start - 1] == sep
                and text[body_start - 2] in _DIGIT_CHARS):
            return
    body = match.group(form)
    digits = ''.join(c for c in body.translate(_FULLWIDTH)
        if c in '0123456789Xx').upper()
    kind = _classify(form, digits, bool(pre))
    if kind is None and _phone_labelled(text, start):
        # a label is evidence enough, whatever the segment
        kind = _classify(form, digits, bool(pre), _mobile_shaped)
    if kind is None:
        return
    if kind == 'mobile':
        # an international prefix is part of the number
        s = start if pre else body_start
    else:
        s = body_start
        if _in_context(text, s, *_CONTEXT[kind]):
            return
    findings.append(Finding(kind, s, end, text[s:end], _PRIVACY_SEVERITY,
            _MASKS[kind](text[s:end])))


_SEPARATOR_GROUP = {'mob': 'ms', 'rid': 'is', 'card': 'cs'}


def _classify(form, digits, prefixed, valid_mobile=_valid_mobile):
    """The privacy kind of the digits of a candidate or None

    valid_mobile tells whether 11 digits are a mobile number."""
    length = len(digits)
    if form == 'mob' or (form == 'run' and length == 11):
        return 'mobile' if valid_mobile(digits) else None
    if form == 'rid':
        return 'id_number' if _valid_id_number(digits) else None
    if form == 'card':
        return 'bank_card' if _valid_bank_card(digits) else None
    if prefixed:
        return None
    if digits.endswith('X'):
        return 'id_number' if _valid_id_number(digits) else None
    if length == 13 and digits.startswith('86') \
            and valid_mobile(digits[2:]):
        return 'mobile'
    if length == 15 and digits.startswith('0086') \
            and valid_mobile(digits[4:]):
        return 'mobile'
    if _valid_id_number(digits):
        return 'id_number'
    if _valid_bank_card(digits):
        return 'bank_card'
    return None


_CONTEXT = {
    'id_number': (_NOT_ID_CONTEXT, _ID_LABELS),
    'bank_card': (_NOT_CARD_CONTEXT, _CARD_LABELS),
    }
_MASKS = {
    'id_number': mask_id_number,
    'mobile': mask_mobile,
    'bank_card': mask_bank_card,
    }


def _in_context(text, start, words, labels=()):
    """Whether the label just before start (in its clause) has one of words
    and none of labels"""
    before = text[max(0, start - _CONTEXT_WINDOW):start]
    for i in range(len(before) - 1, -1, -1):
        if before[i] in _LABEL_STOPS:
            before = before[i + 1:]
            break
    return (any(w in before for w in words)
        and not any(w in before for w in labels))


def _id_shaped(digits):
    "Region code and birth date of an ID number (whatever the check digit)"
    if len(digits) != 18 or not _known_region(digits[:6]):
        return False
    try:
        born = ric.get_birth_date(digits)
    except Exception:
        return False
    return datetime.date(1900, 1, 1) <= born <= datetime.date.today()


# ----------------------------------------------------------------- links

_URL_CHARS = r"A-Za-z0-9\-._~:/?#\[\]@!$&()*+;=%\\"
_URL_RE = re.compile(rf'''
    (?<![A-Za-z])(?P<scheme>h{{0,2}}t{{1,3}}p{{1,2}}s{{0,2}}|ftp)
        (?P<sep>[ ]?[:\uff1a;\uff1b]{{0,3}}[ ]?[/\\\uff0f]{{1,4}}
            |[:\uff1a]{{1,3}}(?=www\.))
        (?P<rest>[A-Za-z0-9\[][{_URL_CHARS}]*)
  | (?<![A-Za-z0-9.@/\-])(?P<www>www\.[{_URL_CHARS}]+)
    ''', re.X | re.I)

# A fast filter: every number or link candidate starts with one of a few
# characters (so that the regular expression engine skips the rest of the
# text in its charset loop); the candidate is then parsed precisely by
# _NUMBER_RE or _URL_RE at that position.
_FILTER_RE = re.compile(rf'''
    [{_D}+\uff0b(\uff08hHtTfFwW]
    (?:
        (?<=[{_D}])(?:[{_D}]{{10}}|[{_D}]{{2,5}}[{_S}][{_D}]{{4}}
            |[0\uff10][8\uff18][6\uff16])
      | (?<=[+\uff0b(\uff08])[+\uff0b]?[ ]?[8\uff18][6\uff16]
      | (?<=[hH])[tThH]
      | (?<=[tT])[tTpP]
      | (?<=[fF])[tT][pP]
      | (?<=[wW])[wW][wW][.]
    )''', re.X)
_LETTERS = frozenset('hHtTfFwW')
_HOST_LABEL_RE = re.compile(r'(?!-)[a-z0-9-]{1,63}(?<!-)\Z')
_TLD_RE = re.compile(r'(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})\Z')
_IPV4_RE = re.compile(r'\d{1,3}(?:\.\d{1,3}){3}\Z')
_BAD_PERCENT_RE = re.compile(r'%(?![0-9A-Fa-f]{2})')
_TRAILING = '.,;:!?\'"'


def _strip_trailing(url):
    "Strip the sentence punctuation that follows a link"
    while url:
        c = url[-1]
        if c in _TRAILING:
            url = url[:-1]
        elif c == ')' and url.count('(') < url.count(')'):
            url = url[:-1]
        elif c == ']' and url.count('[') < url.count(']'):
            url = url[:-1]
        else:
            break
    return url


def _valid_host(host):
    if not host or len(host) > 253:
        return False
    if _IPV4_RE.match(host):
        return all(int(p) <= 255 for p in host.split('.'))
    labels = host.split('.')
    if len(labels) < 2:
        return False
    if not all(_HOST_LABEL_RE.match(label) for label in labels):
        return False
    return _TLD_RE.match(labels[-1]) is not None


def _split_url(rest):
    "Split host and port from the part after scheme://"
    cut = len(rest)
    for c in '/?#\\':
        i = rest.find(c)
        if i != -1 and i < cut:
            cut = i
    authority, path = rest[:cut], rest[cut:]
    if '@' in authority:
        authority = authority.rsplit('@', 1)[1]
    host, port = authority, None
    if ':' in authority:
        host, port = authority.rsplit(':', 1)
    return host.lower(), port, path


def _url_problem(scheme, sep, rest):
    "None if the link is well formed, else True"
    if scheme is not None:
        if scheme.lower() not in ('http', 'https', 'ftp') or sep != '://':
            return True
    host, port, path = _split_url(rest)
    if not _valid_host(host):
        return True
    if port is not None and (not port.isdigit() or not 0 < int(port) < 65536):
        return True
    if '\\' in path or _BAD_PERCENT_RE.search(path):
        return True
    return False


def _fix_url(scheme, rest):
    "Suggest a corrected link or None"
    if scheme is not None:
        low = scheme.lower()
        if low.startswith('f'):
            scheme = 'ftp'
        else:
            scheme = 'https' if low.endswith('s') else 'http'
    rest = rest.replace('\\', '/')
    host, port, path = _split_url(rest)
    host = re.sub(r'\.{2,}', '.', host).strip('.')
    if port is not None and not port:
        port = None
    rest = host + (':' + port if port is not None else '') + path
    if _url_problem(scheme, '://', rest):
        return None
    return (scheme + '://' if scheme else '') + rest


def _host_in(host, domains):
    "Whether host is one of domains (a frozenset) or a subdomain of one"
    while True:
        if host in domains:
            return True
        dot = host.find('.')
        if dot == -1:
            return False
        host = host[dot + 1:]


def _link_findings(text, match, rules, findings):
    if match.group('www') is not None:
        scheme, sep = None, None
        rest_start = match.start('www')
        rest = match.group('www')
        start = rest_start
    else:
        scheme, sep = match.group('scheme'), match.group('sep')
        rest = match.group('rest')
        rest_start = match.start('rest')
        start = match.start()
        if sep == '/' and rest[:1].isdigit():   # HTTP/1.1
            return
    rest = _strip_trailing(rest)
    if not rest:
        return
    end = rest_start + len(rest)
    url = text[start:end]
    if _url_problem(scheme, sep, rest):
        findings.append(Finding('link_malformed', start, end, url, NORMAL,
                _fix_url(scheme, rest)))
        return
    if rules is None:
        return
    host = _split_url(rest)[0]
    if rules.link_blacklist and _host_in(host, rules.link_blacklist):
        findings.append(Finding('link_blacklisted', start, end, url, SERIOUS,
                None))
    elif rules.link_whitelist and not _host_in(host, rules.link_whitelist):
        findings.append(Finding('link_external', start, end, url, NORMAL,
                None))


# ---------------------------------------------------------------- pinyin

_PINYIN_LOCK = threading.Lock()
_HOMOPHONES = None   # (char -> readings, reading -> common chars)


def _toneless(reading):
    s = unicodedata.normalize('NFD', reading)
    s = ''.join(c for c in s
        if not unicodedata.combining(c) or c == '\u0308')
    return s.replace('u\u0308', 'v').replace('\u0308', '')


def _common_chars():
    "The 3,755 level-1 characters of GB 2312 (the common characters)"
    chars = []
    for b1 in range(0xB0, 0xD8):
        for b2 in range(0xA1, 0xFF):
            try:
                chars.append(bytes((b1, b2)).decode('gb2312'))
            except UnicodeDecodeError:
                pass
    return chars


def _homophone_tables():
    global _HOMOPHONES
    with _PINYIN_LOCK:
        if _HOMOPHONES is None:
            from pypinyin.pinyin_dict import pinyin_dict
            readings = {}
            by_reading = {}
            for code, value in pinyin_dict.items():
                readings[chr(code)] = frozenset(
                    _toneless(r) for r in value.split(','))
            for c in _common_chars():
                for r in readings.get(c, ()):
                    by_reading.setdefault(r, []).append(c)
            _HOMOPHONES = (readings, by_reading)
    return _HOMOPHONES


def _known_phrases():
    try:
        from pypinyin.phrases_dict import phrases_dict
    except ImportError:  # pragma: no cover
        return frozenset()
    return phrases_dict


def homophone_variants(name):
    "Names that differ from name by one character of the same pinyin"
    readings, by_reading = _homophone_tables()
    variants = set()
    for i, c in enumerate(name):
        for r in readings.get(c, ()):
            for h in by_reading.get(r, ()):
                if h != c:
                    variants.add(name[:i] + h + name[i + 1:])
    return variants


def _is_cjk(s):
    return all('\u4e00' <= c <= '\u9fff' or '\u3400' <= c <= '\u4dbf'
        for c in s)


# ---------------------------------------------------------------- engine

_ASTRAL_RE = re.compile('[\U00010000-\U0010ffff]')


class _Engine:
    """One Aho-Corasick automaton over a list of keys, overlapping matches.

    With ahocorasick-rs (backend 'rs') the automaton runs over the UTF-16
    form of the text: two bytes a character for Chinese instead of three in
    UTF-8, which makes it about twice as fast; the matches at odd byte
    offsets (across two characters) are dropped and the offsets are turned
    back into str indexes (characters outside the BMP take two units).
    pyahocorasick (backend 'py') is the fallback."""

    def __init__(self, keys, backend=None):
        self.keys = keys
        if backend is None:
            backend = 'rs' if ahocorasick_rs is not None else 'py'
        self.backend = backend
        if not keys:
            self._find = lambda text: []
        elif backend == 'rs':
            ac = ahocorasick_rs.BytesAhoCorasick(
                [k.encode('utf-16-le', 'surrogatepass') for k in keys],
                implementation=ahocorasick_rs.Implementation.ContiguousNFA)
            self.automaton = ac
            self._find = self._find_rs
        else:
            a = pyahocorasick.Automaton()
            for i, k in enumerate(keys):
                a.add_word(k, (i, len(k)))
            a.make_automaton()
            self.automaton = a

            def find(text):
                return [(i, end - n + 1, end + 1)
                    for end, (i, n) in a.iter(text)]
            self._find = find

    def _find_rs(self, text):
        data = text.encode('utf-16-le', 'surrogatepass')
        matches = self.automaton.find_matches_as_indexes(data, True)
        if len(data) == 2 * len(text):
            return [(i, s >> 1, e >> 1) for i, s, e in matches if not s & 1]
        # the UTF-16 unit of each character outside the BMP
        units = [m.start() + k for k, m in enumerate(
                _ASTRAL_RE.finditer(text))]
        result = []
        for i, s, e in matches:
            if s & 1:
                continue
            s >>= 1
            e >>= 1
            result.append((i, s - bisect_left(units, s),
                    e - bisect_left(units, e)))
        return result

    def find(self, text):
        "(key index, start, end) of every occurrence"
        return self._find(text)


_SENSITIVE, _EXPRESSION, _TITLE, _NAME, _VARIANT = range(5)


class Rules:
    "The lexicons, leader register and link lists a scan checks against"

    def __init__(self, sensitive_words=(), expressions=(), leaders=(),
            link_blacklist=(), link_whitelist=(), on_date=None,
            backend=None):
        self.sensitive_words = tuple(
            (w.strip(), s) for w, s in sensitive_words if w and w.strip())
        self.expressions = tuple(
            (w.strip(), c, s) for w, c, s in expressions if w and w.strip())
        self.leaders = tuple(l if l.name == l.name.strip() else Leader(
                l.name.strip(), l.title.strip(), l.start, l.end)
            for l in leaders if l.name)
        self.link_blacklist = frozenset(filter(None,
                (_norm_domain(d) for d in link_blacklist if d)))
        self.link_whitelist = frozenset(filter(None,
                (_norm_domain(d) for d in link_whitelist if d)))
        self._on_date = on_date
        self._build(backend)

    @property
    def on_date(self):
        return self._on_date or datetime.date.today()

    def _build(self, backend):
        payloads = {}

        def add(key, action):
            payloads.setdefault(key, []).append(action)

        for word, severity in self.sensitive_words:
            add(word, (_SENSITIVE, severity))
        for wrong, correct, severity in self.expressions:
            add(wrong, (_EXPRESSION, correct, severity))

        self._by_name = {}
        for leader in self.leaders:
            # a one-character name would be found everywhere
            if len(leader.name) >= 2:
                self._by_name.setdefault(leader.name, []).append(leader)
        self._wildcards = {}
        self._name_lengths = ()
        self._position_chars = {}
        self._held_titles = {}
        if self._by_name:
            titles = set(DEFAULT_TITLES)
            titles.update(l.title for l in self.leaders if l.title)
            for title in sorted(titles):
                add(title, (_TITLE,))
            names = sorted(self._by_name)
            phrases = _known_phrases()
            for name in names:
                add(name, (_NAME,))
                for variant in sorted(homophone_variants(name)):
                    if variant in self._by_name:
                        continue
                    # anywhere for long names unless it is a word,
                    # beside a title only for short ones
                    anywhere = len(name) >= 3 and variant not in phrases
                    add(variant, (_VARIANT, name, anywhere))
                for i in range(len(name)):
                    key = name[:i] + '\0' + name[i + 1:]
                    self._wildcards.setdefault(key, set()).add(name)
            self._name_lengths = tuple(sorted({len(n) for n in names}))
            for length in self._name_lengths:
                self._position_chars[length] = [
                    frozenset(n[i] for n in names if len(n) == length)
                    for i in range(length)]
        keys = list(payloads)
        self._payloads = [tuple(payloads[k]) for k in keys]
        self._engine = _Engine(keys, backend)

    # ----------------------------------------------------------- scanning

    def _scan_lexicon(self, text, findings):
        payloads = self._payloads
        titles_by_end = {}
        titles_by_start = {}
        names = []
        variants = []
        append = findings.append
        for index, start, end in self._engine.find(text):
            for action in payloads[index]:
                tag = action[0]
                if tag == _SENSITIVE:
                    append(Finding('sensitive_word', start, end,
                            text[start:end], action[1], None))
                elif tag == _EXPRESSION:
                    append(Finding('expression', start, end,
                            text[start:end], action[2], action[1]))
                elif tag == _TITLE:
                    titles_by_end.setdefault(end, []).append(start)
                    titles_by_start.setdefault(start, []).append(end)
                elif tag == _NAME:
                    names.append((start, end))
                else:
                    variants.append((start, end, action[1], action[2]))
        if names or variants or titles_by_end:
            self._leader_findings(text, findings, names, variants,
                titles_by_end, titles_by_start)

    def _title_status(self, name, title, prefix=''):
        """Whether title, written before or after name, is right on on_date

        'ok', 'outdated' (held before, not now) or 'wrong'.  prefix is the
        text just before the title: after 时任 or 曾任 any title the leader
        ever held is right, after 原 or 前 only a former one."""
        date = self.on_date
        current = past = False
        for leader in self._by_name.get(name, ()):
            if _title_matches(title, leader.title):
                if leader.in_office(date):
                    current = True
                elif leader.end is not None and leader.end < date:
                    past = True
        if prefix.endswith(_HISTORIC_PREFIXES):
            return 'ok' if current or past else 'wrong'
        if prefix.endswith(_FORMER_PREFIXES):
            return 'ok' if past and not current else 'wrong'
        if current:
            return 'ok'
        return 'outdated' if past else 'wrong'

    def _title_suggestion(self, name):
        date = self.on_date
        records = self._by_name.get(name, ())
        current = [l.title for l in records if l.in_office(date)]
        if current:
            return '、'.join(dict.fromkeys(current))
        past = [l for l in records if l.end is not None and l.end < date]
        if past:
            last = max(past, key=lambda l: l.end)
            return '原' + last.title
        return None

    def _held_ever(self, name, title):
        return any(_title_matches(title, l.title)
            for l in self._by_name[name])

    def _leader_findings(self, text, findings, names, variants,
            titles_by_end, titles_by_start):
        append = findings.append
        # a name inside a longer leader's name is that leader
        names.sort(key=lambda se: (se[0], -se[1]))
        kept = []
        for start, end in names:
            if kept and end <= kept[-1][1]:
                continue
            kept.append((start, end))
        name_starts = {s for s, _ in kept}
        name_ends = {e for _, e in kept}
        for start, end in kept:
            name = text[start:end]
            before = titles_by_end.get(start)
            # a title just after another leader's name is that leader's
            if before and min(before) not in name_ends:
                tstart = min(before)
                prefix = text[max(0, tstart - 2):tstart]
                if self._title_status(
                        name, text[tstart:start], prefix) != 'ok':
                    for word in _HISTORIC_PREFIXES + _FORMER_PREFIXES:
                        if prefix.endswith(word):
                            tstart -= len(word)
                            break
                    append(Finding('leader_title', tstart, end,
                            text[tstart:end], SERIOUS,
                            self._title_suggestion(name)))
            after = titles_by_start.get(end)
            if after:
                tend = max(after)
                if self._title_status(name, text[end:tend]) != 'ok':
                    append(Finding('leader_title', start, tend,
                            text[start:tend], SERIOUS,
                            self._title_suggestion(name)))
        seen = set()
        for start, end, real, anywhere in variants:
            if start in name_starts or end in name_ends:
                continue
            titles = []
            if start in titles_by_end:
                titles.append(text[min(titles_by_end[start]):start])
            if end in titles_by_start:
                titles.append(text[end:max(titles_by_start[end])])
            beside = any(self._held_ever(real, t) for t in titles)
            if not (beside or anywhere):
                continue
            seen.add((start, end))
            # beside a title the leader holds: almost surely a typo
            append(Finding('leader_name', start, end, text[start:end],
                    SERIOUS if beside else NORMAL, real))
        # one character off, beside a title the leader holds or held
        n = len(text)
        lengths = self._name_lengths
        for tend, tstarts in titles_by_end.items():
            for tstart in tstarts:
                title = text[tstart:tend]
                if not self._leaders_title(title):
                    continue
                for length in lengths:
                    for s, e in ((tend, tend + length),
                            (tstart - length, tstart)):
                        if (s < 0 or e > n or (s, e) in seen
                                or s in name_starts or e in name_ends):
                            continue
                        self._near_miss(text, s, e, title, seen, append)

    def _leaders_title(self, title):
        "Whether title is (or was) held by a leader of the register"
        held = self._held_titles.get(title)
        if held is None:
            held = self._held_titles[title] = any(
                _title_matches(title, l.title) for l in self.leaders)
        return held

    def _near_miss(self, text, start, end, title, seen, append):
        cand = text[start:end]
        # at most one character differs from a name of that length
        hits = 0
        for c, chars in zip(cand, self._position_chars[len(cand)]):
            if c in chars:
                hits += 1
        if hits < len(cand) - 1:
            return
        if cand in self._by_name or not _is_cjk(cand):
            return
        for i in range(len(cand)):
            key = cand[:i] + '\0' + cand[i + 1:]
            for real in sorted(self._wildcards.get(key, ())):
                if self._held_ever(real, title):
                    seen.add((start, end))
                    append(Finding('leader_name', start, end, cand,
                            SERIOUS, real))
                    return


def _title_matches(title, held):
    "Whether title written in the text names the held title"
    if title == held:
        return True
    if held.endswith(title):
        return not held[:-len(title)].endswith(_RANK_PREFIXES)
    return False


def _norm_domain(domain):
    d = domain.strip().lower()
    for prefix in ('http://', 'https://'):
        if d.startswith(prefix):
            d = d[len(prefix):]
    d = d.split('/', 1)[0].strip('.')
    if d.startswith('*.'):
        d = d[2:]
    return d


# ----------------------------------------------------------------- cache

_CACHE_LOCK = threading.Lock()
_CACHE = OrderedDict()
_CACHE_SIZE = 8


def get_rules(sensitive_words=(), expressions=(), leaders=(),
        link_blacklist=(), link_whitelist=(), on_date=None):
    """A Rules for these lexicons, built once and reused until they change.

    The key is the content itself, so a changed lexicon (added, removed or
    edited entry) builds a new automaton and an unchanged one reuses it."""
    key = (tuple(map(tuple, sensitive_words)),
        tuple(map(tuple, expressions)), tuple(leaders),
        tuple(link_blacklist), tuple(link_whitelist), on_date)
    with _CACHE_LOCK:
        rules = _CACHE.get(key)
        if rules is not None:
            _CACHE.move_to_end(key)
            return rules
    rules = Rules(*key)
    with _CACHE_LOCK:
        _CACHE[key] = rules
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return rules


def clear_rules_cache():
    with _CACHE_LOCK:
        _CACHE.clear()


# ------------------------------------------------------------------ scan

def _dedupe(findings):
    """Drop findings contained in a longer finding of the same kind (of
    two on the same span, the serious one is kept)"""
    findings.sort(key=lambda f: (f.start, -f.end, f.severity != SERIOUS))
    result = []
    last_end = {}
    for f in findings:
        if last_end.get(f.kind, -1) >= f.end:
            continue
        last_end[f.kind] = f.end
        result.append(f)
    return result


def scan(text, rules=None):
    "Findings in text, sorted by start"
    if not text:
        return []
    findings = []
    search = _FILTER_RE.search
    number_match = _NUMBER_RE.match
    url_match = _URL_RE.match
    pos = 0
    while True:
        candidate = search(text, pos)
        if candidate is None:
            break
        start = candidate.start()
        if text[start] in _LETTERS:
            match = url_match(text, start)
            if match is not None:
                _link_findings(text, match, rules, findings)
        else:
            match = number_match(text, start)
            if match is not None:
                _number_findings(text, match, findings)
        pos = match.end() if match is not None else start + 1
    if rules is not None:
        rules._scan_lexicon(text, findings)
    return _dedupe(findings)


# ------------------------------------------------------------------ HTML

_MARKUP_RE = re.compile(
    r'<!--.*?-->|<(script|style)\b[^>]*>.*?</\1\s*>|<[^>]*>'
    r'|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});',
    re.S | re.I)
_BLOCK_TAG_RE = re.compile(
    r'</?(?:p|div|br|li|ul|ol|dl|dt|dd|tr|td|th|table|thead|tbody|caption'
    r'|h[1-6]|section|article|header|footer|blockquote|pre|hr|img)\b', re.I)
_LINK_ATTR_RE = re.compile(
    r"""\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)


def html_text(html):
    """The text of an HTML body, for the checks.

    Returns (text, starts, ends): the text without markup (tags removed,
    entities decoded, a line break for block tags, the link targets of
    href and src attributes on lines of their own) and, for each character
    of text, the span in html it comes from."""
    parts, starts, ends = [], [], []

    def add(chunk, start, end=None):
        parts.append(chunk)
        if end is None:   # verbatim
            starts.extend(range(start, start + len(chunk)))
            ends.extend(range(start + 1, start + len(chunk) + 1))
        else:
            starts.extend([start] * len(chunk))
            ends.extend([end] * len(chunk))

    pos = 0
    for match in _MARKUP_RE.finditer(html):
        start, end = match.span()
        if start > pos:
            add(html[pos:start], pos)
        token = match.group()
        if token[0] == '&':
            char = html_module.unescape(token)
            if char == token:
                add(token, start)
            else:
                add(char, start, end)
        elif token.startswith('<') and not token.startswith(
                ('<!--', '<script', '<style', '<SCRIPT', '<STYLE')):
            if _BLOCK_TAG_RE.match(token):
                add('\n', start, start)
            for attr in _LINK_ATTR_RE.finditer(token):
                group = attr.lastindex
                add('\n', start, start)
                add(attr.group(group), start + attr.start(group))
                add('\n', start, start)
        pos = end
    if pos < len(html):
        add(html[pos:], pos)
    return ''.join(parts), starts, ends


def scan_html(html, rules=None):
    """Findings in an HTML body, with start and end offsets into html

    (a finding across markup covers it: html[start:end] is its text)."""
    if not html:
        return []
    text, starts, ends = html_text(html)
    findings = []
    for f in scan(text, rules):
        start, end = starts[f.start], ends[f.end - 1]
        suggestion = f.suggestion
        if f.kind in _MASKS:   # masked in place: 138&nbsp;****&nbsp;8000
            suggestion = _MASKS[f.kind](html[start:end])
        findings.append(Finding(f.kind, start, end, html[start:end],
                f.severity, suggestion))
    findings.sort(key=lambda f: (f.start, -f.end))
    return findings
