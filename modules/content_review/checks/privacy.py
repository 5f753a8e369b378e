# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Privacy numbers: resident ID numbers, mobile numbers and bank card
numbers found in a text, and their masks"""
import datetime
import re

from stdnum import luhn
from stdnum.cn import ric

from .findings import SERIOUS, Finding

__all__ = ['mask_id_number', 'mask_found_mobile', 'mask_bank_card']

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


def mask_found_mobile(s):
    """Masked mobile number as found in a text: the middle 4 of its last 11
    digits hidden, prefix and separators kept (138****8000,
    +86 138-****-8000)"""
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
    'mobile': mask_found_mobile,
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
