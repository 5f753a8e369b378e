# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Tests of the automated content checks (pure Python, no database)"
import datetime as dt
import os
import unittest
from collections import Counter
from unittest.mock import patch

from stdnum import luhn
from stdnum.cn import ric

from trytond.modules.content_review import checks, markup_rules
from trytond.modules.content_review.checks import (
    KINDS, NORMAL, PRIVACY_KINDS, SERIOUS, Finding, Leader, Rules,
    clear_rules_cache, get_rules, mask_bank_card, mask_found_mobile,
    mask_id_number, scan)

DATA = os.path.join(os.path.dirname(__file__), 'data')

# valid numbers, check digits computed with stdnum
ID = '110101199003074514'
ID_X = '44510219700101003X'
MOBILE = '13800138000'
CARD_16 = '6222021234567894'
CARD_19 = '6228480402564890018'


def kinds(findings):
    return [(f.kind, f.text) for f in findings]


def load_labelled():
    rows = []
    with open(os.path.join(DATA, 'labelled.tsv'), encoding='utf-8') as f:
        for line in f:
            if line.startswith('#') or not line.strip():
                continue
            labels, text = line.rstrip('\n').split('\t')
            expected = Counter()
            if labels != '-':
                for label in labels.split('|'):
                    kind, value = label.split(':', 1)
                    expected[(kind, value)] += 1
            rows.append((expected, text))
    return rows


class LabelledSetTestCase(unittest.TestCase):
    "Precision and recall of the privacy checks on the labelled set"

    def test_labelled_set(self):
        rows = load_labelled()
        negatives = [r for r in rows if not r[0]]
        self.assertGreaterEqual(len(rows), 400)
        self.assertGreaterEqual(len(negatives), 200)
        tp, fp, fn = Counter(), Counter(), Counter()
        errors = []
        for expected, text in rows:
            got = Counter((f.kind, f.text) for f in scan(text)
                if f.kind in PRIVACY_KINDS)
            for key in expected | got:
                hit = min(expected[key], got[key])
                tp[key[0]] += hit
                if got[key] > hit:
                    fp[key[0]] += got[key] - hit
                    errors.append(('false positive', key, text))
                if expected[key] > hit:
                    fn[key[0]] += expected[key] - hit
                    errors.append(('false negative', key, text))
        for kind in PRIVACY_KINDS:
            with self.subTest(kind=kind):
                self.assertGreaterEqual(tp[kind] + fn[kind], 50)
                precision = tp[kind] / ((tp[kind] + fp[kind]) or 1)
                recall = tp[kind] / ((tp[kind] + fn[kind]) or 1)
                self.assertGreaterEqual(precision, 0.99, errors)
                self.assertGreaterEqual(recall, 0.99, errors)

    def test_labelled_suggestions(self):
        "Every privacy finding of the set has its masked form"
        masks = {'id_number': mask_id_number, 'mobile': mask_found_mobile,
            'bank_card': mask_bank_card}
        for expected, text in load_labelled():
            for f in scan(text):
                self.assertEqual(text[f.start:f.end], f.text)
                self.assertEqual(f.suggestion, masks[f.kind](f.text))
                self.assertIn('*', f.suggestion)
                self.assertEqual(f.severity, SERIOUS)


class IdNumberTestCase(unittest.TestCase):

    def test_valid(self):
        for number in [ID, ID_X, ID_X.lower()]:
            text = '申请人公民身份号码%s，已受理。' % number
            self.assertEqual(kinds(scan(text)), [('id_number', number)])

    def test_spaced_and_fullwidth(self):
        spaced = '110101 19900307 4514'
        self.assertEqual(kinds(scan('身份证 %s。' % spaced)),
            [('id_number', spaced)])
        full = ID.translate(str.maketrans('0123456789', '０１２３４５６７８９'))
        self.assertEqual(kinds(scan('身份证号：%s' % full)),
            [('id_number', full)])

    def test_wrong_check_digit(self):
        self.assertEqual(scan('证件号码110101199003074515'), [])

    def test_impossible_or_future_birth_date(self):
        for body in ['11010119901332001', '11010120990101001',
                '11010118991231001', '11010119900230001']:
            number = body + ric.calc_check_digit(body + '0')
            self.assertEqual(scan('号码%s。' % number), [], number)

    def test_unknown_region(self):
        body = '99010119900307451'
        number = body + ric.calc_check_digit(body + '0')
        self.assertEqual(scan(number), [])

    def test_old_region_code_with_earlier_birth(self):
        "湘桥区 (445102) exists since 1991: someone born 1970 has it"
        self.assertEqual(kinds(scan(ID_X)), [('id_number', ID_X)])

    def test_part_of_longer_run(self):
        for text in [ID + '1', '9' + ID, 'A' + ID, ID + '.5', ID + 'X']:
            self.assertEqual(scan(text), [], text)

    def test_credit_code_context(self):
        self.assertEqual(scan('统一社会信用代码：%s' % ID), [])

    def test_mask(self):
        self.assertEqual(mask_id_number(ID), '110101********4514')
        self.assertEqual(mask_id_number('110101 19900307 4514'),
            '110101 ******** 4514')


class MobileTestCase(unittest.TestCase):

    def test_forms(self):
        for text, found in [
                ('手机13800138000。', '13800138000'),
                ('手机 138 0013 8000', '138 0013 8000'),
                ('电话：138-0013-8000', '138-0013-8000'),
                ('请拨+86 13800138000', '+86 13800138000'),
                ('请拨+8613800138000', '+8613800138000'),
                ('请拨+86-138-0013-8000', '+86-138-0013-8000'),
                ('（+86）13800138000', '（+86）13800138000'),
                ('0086 13800138000', '0086 13800138000'),
                ('8613800138000', '8613800138000'),
                ('联系人13800138000 2021年起', '13800138000'),
                ]:
            with self.subTest(text=text):
                self.assertEqual(kinds(scan(text)), [('mobile', found)])

    def test_not_mobiles(self):
        for text in [
                '12345政务服务便民热线', '办公电话0768-2345678',
                '(0571)87654321', '（020）83123456', '邮编515000',
                '12800138000', '10086', '138001380001', '913800138000',
                '合同金额13800138000.50元', '第13800138000号', 'SN13800138000',
                '138-0013-8000-1', '增长13800138000%', '400-800-1234',
                '2021年5月3日', '20210503', '1234567.89元']:
            with self.subTest(text=text):
                self.assertEqual(scan(text), [])

    def test_mask(self):
        self.assertEqual(mask_found_mobile('13800138000'), '138****8000')
        self.assertEqual(mask_found_mobile('+86 138-0013-8000'),
            '+86 138-****-8000')
        self.assertEqual(mask_found_mobile('8613800138000'), '86138****8000')

    # segments missing from the table of allocated ones (_MOBILE_RE)
    UNALLOCATED = ['15412345678', '17912345678', '19412345678',
        '14112345678', '16912345678']

    def test_labelled_unallocated_segment(self):
        "Behind a phone label a mobile of any segment is found"
        for number in self.UNALLOCATED:
            self.assertFalse(checks.privacy._valid_mobile(number), number)
            for label in ['手机', '手机号', '手机号码：', '手机号码为',
                    '电话', '电话：', '电话号码 ', '联系电话：', '联系电话为',
                    '联系方式：', '请致电', '致电 ', '热线：', '拨打',
                    '联系电话（手机）：', 'Tel: ', 'TEL：', '联系人王某手机 ']:
                text = '%s%s。' % (label, number)
                with self.subTest(text=text):
                    self.assertEqual(kinds(scan(text)), [('mobile', number)])
                    finding, = scan(text)
                    self.assertEqual(finding.severity, SERIOUS)
                    self.assertEqual(finding.suggestion,
                        number[:3] + '****' + number[-4:])

    def test_labelled_unallocated_forms(self):
        "Separators, full-width digits and +86 as for allocated segments"
        full = '15412345678'.translate(
            str.maketrans('0123456789', '０１２３４５６７８９'))
        for text, found in [
                ('手机 154 1234 5678', '154 1234 5678'),
                ('联系电话：179-1234-5678', '179-1234-5678'),
                ('手机号码：%s' % full, full),
                ('电话：+86 19412345678', '+86 19412345678'),
                ('手机（+86）154-1234-5678', '（+86）154-1234-5678'),
                ('手机8615412345678', '8615412345678'),
                ]:
            with self.subTest(text=text):
                self.assertEqual(kinds(scan(text)), [('mobile', found)])
        html = '<p>联系电话：<b>154&nbsp;1234&nbsp;5678</b></p>'
        self.assertEqual(kinds(checks.scan_html(html)),
            [('mobile', '154&nbsp;1234&nbsp;5678')])

    def test_unlabelled_unallocated_segment(self):
        "Without a label an unallocated segment is not a mobile"
        for number in self.UNALLOCATED:
            for text in [number, '编号%s' % number, '订单号：%s' % number,
                    '共%s件' % number, '手机订单号%s' % number,
                    '电话回访，单号%s' % number, 'Hotel %s' % number,
                    '热线12345受理编号%s' % number]:
                with self.subTest(text=text):
                    self.assertEqual(scan(text), [])

    def test_labelled_allocated_segment(self):
        for text in ['手机13800138000', '联系电话：19912345678',
                '请致电 15012345678', '13800138000']:
            with self.subTest(text=text):
                self.assertEqual(kinds(scan(text)),
                    [('mobile', text[-11:])])

    def test_labelled_service_numbers(self):
        "10, 11 and 12 are service numbers (106 SMS ports, 12345), no mobile"
        for text in ['手机10012345678', '电话号码12012345678为空号',
                '短信10690123456', '请致电11012345678', '热线：12345678901']:
            with self.subTest(text=text):
                self.assertEqual(scan(text), [])

    def test_labelled_longer_run(self):
        "11 digits glued to other digits are no mobile, label or not"
        for text in ['手机15412345678901', '手机号码：1541234567890123',
                '联系电话915412345678', '电话15412345678.5元',
                '手机154 1234 5678 9', '手机号码0154-1234-5678',
                '手机 12 15412345678', '电话：A15412345678',
                '手机号第15412345678号']:
            with self.subTest(text=text):
                self.assertEqual(
                    [f for f in scan(text) if f.kind == 'mobile'], [])

    def test_labelled_hotlines_and_landlines(self):
        "Hotlines and landlines behind a phone label are still not found"
        for text in ['请致电12345', '热线：12345', '服务热线12345转1',
                '联系电话：010-12345678', '热线电话（010）12345678',
                '联系电话：01012345678', '电话：0768－2345678',
                '服务热线：400-800-1234', '热线95588', '请致电10086',
                '联系电话：+86 10 12345678', '电话：+86-755-12345678']:
            with self.subTest(text=text):
                self.assertEqual(scan(text), [])


class BankCardTestCase(unittest.TestCase):

    def test_valid(self):
        for number in [CARD_16, CARD_19, '6222 0212 3456 7894',
                '6228 4804 0256 4890 018', '4392-2500-1234-5673']:
            with self.subTest(number=number):
                self.assertEqual(kinds(scan('卡号：%s。' % number)),
                    [('bank_card', number)])

    def test_luhn_failure(self):
        self.assertEqual(scan('卡号6222021234567895'), [])

    def test_serial_number_context(self):
        for word in ['订单号', '流水号：', '证书编号', '快递单号']:
            self.assertEqual(scan(word + CARD_16), [], word)

    def test_unknown_issuer_and_repetitions(self):
        # Luhn valid but no card issuer starts with 1 or 7; all zeros
        for number in ['1234567812345670', '7000000000000005',
                '0000000000000000']:
            self.assertTrue(luhn.is_valid(number))
            self.assertEqual(scan('号码%s' % number), [], number)

    def test_id_number_is_not_a_card(self):
        "A valid ID number is reported once, as an ID number"
        self.assertEqual(kinds(scan(ID)), [('id_number', ID)])

    def test_longer_group_run(self):
        self.assertEqual(scan('6222 0212 3456 7894 1234 5678'), [])

    def test_mask(self):
        self.assertEqual(mask_bank_card(CARD_16), '6222********7894')
        self.assertEqual(mask_bank_card('6222 0212 3456 7894'),
            '6222 **** **** 7894')


class OffsetTestCase(unittest.TestCase):

    def test_offsets_with_wide_characters(self):
        "Offsets are str indexes, also after characters outside the BMP"
        rules = Rules(sensitive_words=[('违禁词', NORMAL)],
            expressions=[('攻府', '政府', SERIOUS)])
        text = ('𠮷𠮷 😀 市攻府通知：张𠮷（%s）电话%s，违禁词见'
            'http//www.gov.cn 卡%s' % (ID, MOBILE, CARD_16))
        findings = scan(text, rules)
        self.assertEqual(
            [f.kind for f in findings],
            ['expression', 'id_number', 'mobile', 'sensitive_word',
                'link_malformed', 'bank_card'])
        for f in findings:
            self.assertEqual(text[f.start:f.end], f.text)

    def test_no_match_across_characters(self):
        "The UTF-16 automaton drops matches at odd byte offsets"
        # 'a' is 61 00 in UTF-16-LE; '\u6100\u0100' is 00 61 00 01
        rules = Rules(sensitive_words=[('a', NORMAL)])
        self.assertEqual(scan('\u6100\u0100', rules), [])
        self.assertEqual(kinds(scan('\u6100a', rules)),
            [('sensitive_word', 'a')])

    def test_sorted_by_start(self):
        rules = Rules(sensitive_words=[('甲乙', NORMAL), ('乙丙丁', NORMAL)])
        findings = scan('%s 甲乙丙丁 %s' % (MOBILE, ID), rules)
        starts = [f.start for f in findings]
        self.assertEqual(starts, sorted(starts))
        self.assertEqual(len(findings), 4)

    def test_empty(self):
        self.assertEqual(scan(''), [])
        self.assertEqual(scan('', Rules()), [])

    def test_finding_is_frozen(self):
        finding = scan(MOBILE)[0]
        self.assertIsInstance(finding, Finding)
        with self.assertRaises(Exception):
            finding.start = 3
        self.assertIn(finding.kind, KINDS)


class LexiconTestCase(unittest.TestCase):

    def setUp(self):
        self.rules = Rules(
            sensitive_words=[('法轮功', SERIOUS), ('法轮', NORMAL),
                ('赌博网站', NORMAL)],
            expressions=checks.DEFAULT_EXPRESSIONS)

    def test_sensitive_words(self):
        findings = scan('严禁传播法轮功和赌博网站信息。', self.rules)
        self.assertEqual(
            [(f.kind, f.text, f.severity) for f in findings],
            [('sensitive_word', '法轮功', SERIOUS),
                ('sensitive_word', '赌博网站', NORMAL)])

    def test_expressions(self):
        text = '中华人民共合国成立以来，广东省省委书记到市攻府调研。'
        self.assertEqual(
            [(f.kind, f.text, f.suggestion, f.severity)
                for f in scan(text, self.rules)],
            [('expression', '中华人民共合国', '中华人民共和国', SERIOUS),
                ('expression', '省省委书记', '省委书记', SERIOUS),
                ('expression', '攻府', '政府', SERIOUS)])

    def test_default_expressions_spare_correct_prose(self):
        "The shipped list finds nothing in the public reports"
        for name in sorted(os.listdir(DATA)):
            if name.endswith('.txt'):
                with open(os.path.join(DATA, name), encoding='utf-8') as f:
                    text = f.read()
                findings = [f for f in scan(text, self.rules)
                    if f.kind == 'expression']
                self.assertEqual(findings, [], name)

    def test_no_rules_no_lexicon(self):
        self.assertEqual(scan('法轮功 中华人民共合国'), [])

    def test_blank_entries_ignored(self):
        rules = Rules(sensitive_words=[('', NORMAL), ('  ', NORMAL),
                (' 赌博 ', NORMAL)])
        self.assertEqual(kinds(scan('禁止赌博', rules)),
            [('sensitive_word', '赌博')])

    def test_same_word_twice(self):
        rules = Rules(sensitive_words=[('赌博', NORMAL), ('赌博', SERIOUS)])
        findings = scan('禁止赌博', rules)
        self.assertEqual([(f.text, f.severity) for f in findings],
            [('赌博', SERIOUS)])

    def test_word_in_several_lexicons(self):
        rules = Rules(sensitive_words=[('攻府', NORMAL)],
            expressions=[('攻府', '政府', SERIOUS)])
        self.assertEqual(sorted(kinds(scan('市攻府', rules))),
            [('expression', '攻府'), ('sensitive_word', '攻府')])

    def test_pyahocorasick_backend_same_findings(self):
        leaders = [Leader('李明华', '市长', dt.date(2021, 1, 1))]
        args = dict(sensitive_words=[('法轮功', SERIOUS), ('法轮', NORMAL)],
            expressions=checks.DEFAULT_EXPRESSIONS, leaders=leaders,
            on_date=dt.date(2024, 1, 1))
        text = ('𠮷法轮功，中华人民共合国，副市长李明华，市长黎明华，'
            '市长李明花。' * 3)
        rs = Rules(**args)
        py = Rules(backend='py', **args)
        self.assertEqual(py._engine.backend, 'py')
        self.assertEqual(scan(text, rs), scan(text, py))
        self.assertTrue(scan(text, py))


class RulesCacheTestCase(unittest.TestCase):

    def setUp(self):
        clear_rules_cache()
        self.addCleanup(clear_rules_cache)

    def test_same_lexicon_same_rules(self):
        words = [('赌博', NORMAL)]
        first = get_rules(sensitive_words=words)
        self.assertIs(get_rules(sensitive_words=list(words)), first)

    def test_lists_as_entries(self):
        "Rows read from a database (lists) make the same key as tuples"
        first = get_rules(sensitive_words=[['赌博', NORMAL]],
            expressions=[['攻府', '政府', SERIOUS]])
        self.assertIs(get_rules(sensitive_words=[('赌博', NORMAL)],
                expressions=[('攻府', '政府', SERIOUS)]), first)

    def test_automaton_built_once(self):
        with patch.object(checks.rules, '_Engine',
                wraps=checks.rules._Engine) as engine:
            for _ in range(5):
                rules = get_rules(sensitive_words=[('赌博', NORMAL)])
                scan('禁止赌博', rules)
        self.assertEqual(engine.call_count, 1)

    def test_changed_lexicon_new_rules(self):
        first = get_rules(sensitive_words=[('赌博', NORMAL)])
        changed = get_rules(sensitive_words=[('赌博', SERIOUS)])
        added = get_rules(sensitive_words=[('赌博', NORMAL), ('诈骗', NORMAL)])
        self.assertIsNot(changed, first)
        self.assertIsNot(added, first)
        self.assertEqual(scan('诈骗', first), [])
        self.assertEqual(kinds(scan('诈骗', added)),
            [('sensitive_word', '诈骗')])
        leaders = get_rules(sensitive_words=[('赌博', NORMAL)],
            leaders=[Leader('李明华', '市长')])
        self.assertIsNot(leaders, first)
        self.assertIs(get_rules(sensitive_words=[('赌博', NORMAL)]), first)

    def test_clear(self):
        first = get_rules(link_whitelist=['gov.cn'])
        clear_rules_cache()
        self.assertIsNot(get_rules(link_whitelist=['gov.cn']), first)

    def test_on_date_defaults_to_today(self):
        self.assertEqual(Rules().on_date, dt.date.today())
        self.assertEqual(Rules(on_date=dt.date(2020, 1, 1)).on_date,
            dt.date(2020, 1, 1))


class LeaderTestCase(unittest.TestCase):

    def setUp(self):
        self.leaders = [
            Leader('李明华', '市长', dt.date(2021, 6, 1)),
            Leader('李明华', '常务副市长', dt.date(2017, 1, 1),
                dt.date(2021, 5, 31)),
            Leader('张建国', '市委书记', dt.date(2020, 1, 1)),
            Leader('王芳', '副市长', dt.date(2022, 1, 1)),
            Leader('陈伟', '副市长', dt.date(2016, 1, 1), dt.date(2020, 12, 31)),
            ]
        self.rules = Rules(leaders=self.leaders, on_date=dt.date(2024, 6, 1))

    def found(self, text, rules=None):
        return [(f.kind, f.text, f.suggestion)
            for f in scan(text, rules or self.rules)]

    def test_right_titles(self):
        for text in ['市长李明华出席会议并讲话。', '李明华市长指出',
                '市委书记张建国、市长李明华', '张建国书记', '张建国同志',
                '市委常委、副市长王芳', '时任常务副市长李明华', '原副市长陈伟',
                '曾任市委书记张建国', '张建国书记李明华市长']:
            with self.subTest(text=text):
                self.assertEqual(self.found(text), [])

    def test_wrong_title(self):
        self.assertEqual(self.found('市长张建国'),
            [('leader_title', '市长张建国', '市委书记')])
        self.assertEqual(self.found('市长王芳'),
            [('leader_title', '市长王芳', '副市长')])
        self.assertEqual(self.found('李明华副市长指出'),
            [('leader_title', '李明华副市长', '市长')])
        self.assertEqual(self.found('原市长李明华'),
            [('leader_title', '原市长李明华', '市长')])

    def test_outdated_title(self):
        self.assertEqual(self.found('常务副市长李明华主持会议'),
            [('leader_title', '常务副市长李明华', '市长')])
        self.assertEqual(self.found('副市长陈伟'),
            [('leader_title', '副市长陈伟', '原副市长')])
        severities = {f.severity for f in scan('副市长陈伟', self.rules)}
        self.assertEqual(severities, {SERIOUS})

    def test_titles_by_date(self):
        text = '常务副市长李明华主持会议，市长李明华讲话。'
        for date, found in [
                (dt.date(2020, 3, 1), [('leader_title', '市长李明华', '常务副市长')]),
                (dt.date(2021, 5, 31), [('leader_title', '市长李明华', '常务副市长')]),
                (dt.date(2021, 6, 1),
                    [('leader_title', '常务副市长李明华', '市长')]),
                (dt.date(2016, 1, 1),
                    [('leader_title', '常务副市长李明华', None),
                        ('leader_title', '市长李明华', None)]),
                ]:
            with self.subTest(date=date):
                rules = Rules(leaders=self.leaders, on_date=date)
                self.assertEqual(self.found(text, rules), found)

    def test_title_with_organisation(self):
        rules = Rules(leaders=[Leader('刘洋', '滨江市市长')],
            on_date=dt.date(2024, 1, 1))
        self.assertEqual(self.found('滨江市市长刘洋', rules), [])
        self.assertEqual(self.found('市长刘洋', rules), [])
        self.assertEqual(self.found('副市长刘洋', rules),
            [('leader_title', '副市长刘洋', '滨江市市长')])

    def test_same_pinyin(self):
        self.assertEqual(self.found('市长黎明华出席'),
            [('leader_name', '黎明华', '李明华')])
        self.assertEqual(self.found('李明化同志'),
            [('leader_name', '李明化', '李明华')])
        self.assertEqual(self.found('副市长王方'),
            [('leader_name', '王方', '王芳')])
        # without a title: serious beside one, normal elsewhere
        self.assertEqual(
            [f.severity for f in scan('据李明化介绍', self.rules)], [NORMAL])
        self.assertEqual(
            [f.severity for f in scan('副市长王方', self.rules)], [SERIOUS])

    def test_one_character_off(self):
        self.assertEqual(self.found('市长李明花'),
            [('leader_name', '李明花', '李明华')])
        self.assertEqual(self.found('市委书记张建过'),
            [('leader_name', '张建过', '张建国')])
        self.assertEqual(self.found('张建强书记'),
            [('leader_name', '张建强', '张建国')])

    def test_not_near_misses(self):
        for text in [
                '王方同志',          # two-character name, no title
                '村支部书记王方',    # 王芳 was never a 书记
                '黎明时分',          # a common word
                '市长李明',          # not one character off
                '副市长王芳芳',
                '张建国家',
                ]:
            with self.subTest(text=text):
                self.assertEqual(self.found(text), [])

    def test_another_leaders_name(self):
        "A name one character off that is another leader's is that leader"
        rules = Rules(leaders=self.leaders + [Leader('王方', '副市长')],
            on_date=dt.date(2024, 6, 1))
        self.assertEqual(self.found('副市长王方', rules), [])

    def test_longer_name_wins(self):
        rules = Rules(leaders=self.leaders + [Leader('李明', '主任')],
            on_date=dt.date(2024, 6, 1))
        self.assertEqual(self.found('市长李明华', rules), [])
        self.assertEqual(self.found('主任李明出席', rules), [])

    def test_homophone_variants(self):
        variants = checks.homophone_variants('王芳')
        self.assertIn('王方', variants)
        self.assertIn('汪芳', variants)
        self.assertNotIn('王芳', variants)
        self.assertNotIn('李芳', variants)

    def test_in_office(self):
        leader = Leader('陈伟', '副市长', dt.date(2016, 1, 1),
            dt.date(2020, 12, 31))
        self.assertTrue(leader.in_office(dt.date(2016, 1, 1)))
        self.assertTrue(leader.in_office(dt.date(2020, 12, 31)))
        self.assertFalse(leader.in_office(dt.date(2021, 1, 1)))
        self.assertFalse(leader.in_office(dt.date(2015, 12, 31)))


class LinkTestCase(unittest.TestCase):

    def setUp(self):
        self.rules = Rules(link_blacklist=['bad.com', 'http://casino.net/'],
            link_whitelist=['gov.cn', 'people.com.cn'])

    def found(self, text, rules=None):
        return [(f.kind, f.text, f.suggestion) for f in scan(text, rules)]

    def test_well_formed(self):
        for text in ['详见http://www.gov.cn。',
                '访问https://www.gd.gov.cn/zwgk/index.html，了解更多',
                '<a href="http://www.people.com.cn/n1/c1001.html">人民网</a>',
                '网址：www.chaozhou.gov.cn', 'ftp://ftp.gov.cn/pub',
                'HTTP/1.1协议', 'Https://WWW.GOV.CN/X', '邮箱zwfw@chaozhou.gov.cn',
                'http://www.gov.cn/a_(b).html）', 'http://www.gov.cn:8080/']:
            with self.subTest(text=text):
                self.assertEqual(self.found(text, self.rules), [])
                self.assertEqual(self.found(text), [])

    def test_malformed(self):
        for text, link, suggestion in [
                ('请登录htp://www.gov.cn查询', 'htp://www.gov.cn',
                    'http://www.gov.cn'),
                ('http:/www.gov.cn', 'http:/www.gov.cn', 'http://www.gov.cn'),
                ('见http//www.gov.cn。', 'http//www.gov.cn',
                    'http://www.gov.cn'),
                ('http：//www.gov.cn/a', 'http：//www.gov.cn/a',
                    'http://www.gov.cn/a'),
                ('https;//x.gov.cn', 'https;//x.gov.cn', 'https://x.gov.cn'),
                ('httpss://www.gov.cn', 'httpss://www.gov.cn',
                    'https://www.gov.cn'),
                ('hhttp://www.gov.cn', 'hhttp://www.gov.cn',
                    'http://www.gov.cn'),
                ('http:www.gov.cn', 'http:www.gov.cn', 'http://www.gov.cn'),
                ('http://www..gov.cn', 'http://www..gov.cn',
                    'http://www.gov.cn'),
                ('http://www.gov.cn\\a\\b.html',
                    'http://www.gov.cn\\a\\b.html',
                    'http://www.gov.cn/a/b.html'),
                ('http://localhost:8080/a', 'http://localhost:8080/a', None),
                ('http://999.1.1.1/', 'http://999.1.1.1/', None),
                ('https://www.gov.cn:99999/', 'https://www.gov.cn:99999/',
                    None),
                ('http://www.gov.cn/a%zz', 'http://www.gov.cn/a%zz', None),
                ('http://http://www.gov.cn', 'http://http://www.gov.cn', None),
                ]:
            with self.subTest(text=text):
                self.assertEqual(self.found(text),
                    [('link_malformed', link, suggestion)])
                self.assertEqual(self.found(text, self.rules),
                    [('link_malformed', link, suggestion)])

    def test_blacklist(self):
        for link in ['http://bad.com/x', 'https://www.bad.com',
                'www.casino.net/play', 'http://a.b.casino.net']:
            with self.subTest(link=link):
                findings = scan('点击%s领奖' % link, self.rules)
                self.assertEqual(kinds(findings), [('link_blacklisted', link)])
                self.assertEqual(findings[0].severity, SERIOUS)
        self.assertEqual(kinds(scan('http://notbad.com', self.rules)),
            [('link_external', 'http://notbad.com')])

    def test_external(self):
        findings = scan('转载自https://www.baidu.com/s?wd=1，'
            'http://192.168.1.1/admin', self.rules)
        self.assertEqual(kinds(findings),
            [('link_external', 'https://www.baidu.com/s?wd=1'),
                ('link_external', 'http://192.168.1.1/admin')])
        self.assertEqual({f.severity for f in findings}, {NORMAL})

    def test_empty_whitelist_disables_external(self):
        rules = Rules(link_blacklist=['bad.com'])
        self.assertEqual(scan('https://www.baidu.com', rules), [])
        self.assertEqual(kinds(scan('https://bad.com', rules)),
            [('link_blacklisted', 'https://bad.com')])

    def test_lists_need_rules(self):
        self.assertEqual(scan('http://bad.com https://www.baidu.com'), [])

    def test_several_links(self):
        self.assertEqual(
            kinds(scan('http://www.gov.cn,http://bad.com', self.rules)),
            [('link_blacklisted', 'http://bad.com')])


class ScanWithoutRulesTestCase(unittest.TestCase):

    def test_only_data_free_checks(self):
        text = ('市长李明花说，法轮功、中华人民共合国，电话%s，见htp://www.gov.cn，'
            'http://bad.com' % MOBILE)
        self.assertEqual(
            sorted({f.kind for f in scan(text)}),
            ['link_malformed', 'mobile'])

    def test_public_reports_have_no_privacy_findings(self):
        "The public reports are full of numbers and hold no personal data"
        for name in sorted(os.listdir(DATA)):
            if name.endswith('.txt'):
                with open(os.path.join(DATA, name), encoding='utf-8') as f:
                    self.assertEqual(scan(f.read()), [], name)


class HtmlTestCase(unittest.TestCase):

    def setUp(self):
        self.rules = Rules(expressions=checks.DEFAULT_EXPRESSIONS,
            link_whitelist=['gov.cn'])

    def test_offsets_into_html(self):
        html = ('<p>中华人民<b>共合国</b>&nbsp;电话<span>138&nbsp;0013&nbsp;'
            '8000</span></p><p><a href="http://www.baidu.com/x?a=1&amp;b=2">'
            '百度</a> 见 htp://www.gov.cn</p>')
        findings = checks.scan_html(html, self.rules)
        self.assertEqual(
            [(f.kind, f.text, f.suggestion) for f in findings],
            [('expression', '中华人民<b>共合国', '中华人民共和国'),
                ('mobile', '138&nbsp;0013&nbsp;8000',
                    '138&nbsp;****&nbsp;8000'),
                ('link_external', 'http://www.baidu.com/x?a=1&amp;b=2', None),
                ('link_malformed', 'htp://www.gov.cn', 'http://www.gov.cn')])
        for f in findings:
            self.assertEqual(html[f.start:f.end], f.text)

    def test_cells_script_and_comments(self):
        "Digits in separate cells are not one number; code is not text"
        html = ('<table><tr><td>138</td><td>00138000</td></tr></table>'
            '<script>var tel = "13800138000";</script>'
            '<!-- 13800138000 --><style>p {color: red}</style>')
        self.assertEqual(checks.scan_html(html), [])

    def test_entities(self):
        html = '身份证&#58;%s&lt;br&gt;' % ID
        self.assertEqual(kinds(checks.scan_html(html)), [('id_number', ID)])
        text, starts, ends = markup_rules.text_offsets('a&amp;b<br/>c')
        self.assertEqual(text, 'a&b\nc')
        self.assertEqual((starts[1], ends[1]), (1, 6))

    def test_empty(self):
        self.assertEqual(checks.scan_html(''), [])
