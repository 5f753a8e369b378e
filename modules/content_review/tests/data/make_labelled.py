#!/usr/bin/env python3
# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Write labelled.tsv: sentences labelled with the personal data they hold.

The labels come from how each sentence is built (a real ID number, mobile
or card number is put in by construction, with its check digit computed
here), never from running the checker.  Run once; the result is kept in
the repository:  python make_labelled.py > labelled.tsv

Each line: labels TAB sentence.  labels is '-' or 'kind:text|kind:text'
where text is the exact personal data in the sentence.
"""
import datetime
import random

from stdnum import luhn
from stdnum.cn import ric, uscc

rnd = random.Random(11643)

# codes in use today (a few of them only since the 1990s)
REGIONS = ['110101', '110105', '110108', '310101', '310115', '440106',
    '440103', '440305', '445102', '445103', '445122', '440507', '445202',
    '330106', '320102', '510104', '420106', '370102', '610113', '350203',
    '441302', '130102', '440301', '445121', '460106', '500103', '120101',
    '620102', '620402', '410105', '430104', '450103']
SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢许韩冯邓曹彭曾蔡'
FULLWIDTH = str.maketrans('0123456789X', '０１２３４５６７８９Ｘ')


def person():
    return rnd.choice(SURNAMES) + rnd.choice(['某', '某某', '*', '**'])


def birth_date():
    start = datetime.date(1935, 1, 1).toordinal()
    end = datetime.date(2012, 12, 31).toordinal()
    return datetime.date.fromordinal(rnd.randint(start, end))


def id_number(x=False):
    while True:
        body = rnd.choice(REGIONS) + birth_date().strftime('%Y%m%d') + \
            '%03d' % rnd.randint(1, 999)
        check = ric.calc_check_digit(body + '0')
        if x and check != 'X':
            continue
        if not x and check == 'X' and rnd.random() < 0.7:
            continue
        return body + check


def bad_check_id():
    number = id_number()
    digits = '0123456789X'.replace(number[-1], '')
    return number[:-1] + rnd.choice(digits)


def bad_date_id():
    while True:
        body = rnd.choice(REGIONS) + rnd.choice(
            ['19901332', '20010230', '19850631', '18991231', '20991201',
                '19780000', '19991301']) + '%03d' % rnd.randint(1, 999)
        return body + ric.calc_check_digit(body + '0')


def bad_region_id():
    body = rnd.choice(['000000', '990101', '910101', '123456', '980102']) \
        + birth_date().strftime('%Y%m%d') + '%03d' % rnd.randint(1, 999)
    return body + ric.calc_check_digit(body + '0')


MOBILE_PREFIXES = ['130', '131', '132', '133', '135', '136', '137', '138',
    '139', '147', '150', '151', '152', '153', '155', '156', '157', '158',
    '159', '166', '170', '173', '175', '176', '177', '178', '180', '181',
    '182', '183', '185', '186', '187', '188', '189', '191', '193', '195',
    '198', '199']


def mobile():
    return rnd.choice(MOBILE_PREFIXES) + '%08d' % rnd.randint(0, 99999999)


def spaced_mobile(sep):
    m = mobile()
    return sep.join([m[:3], m[3:7], m[7:]])


CARD_IINS = ['622202', '622848', '621700', '622700', '621661', '622588',
    '623668', '622908', '436742', '403391', '524047', '518710', '622609',
    '625968', '622150', '621226']


def card(length=None):
    length = length or rnd.choice([16, 19, 19, 16, 18, 17])
    body = rnd.choice(CARD_IINS)
    while len(body) < length - 1:
        body += str(rnd.randint(0, 9))
    return body + luhn.calc_check_digit(body)


def bad_card(length=None):
    number = card(length)
    return number[:-1] + str((int(number[-1]) + rnd.randint(1, 9)) % 10)


def grouped(number, size=4, sep=' '):
    return sep.join(number[i:i + size] for i in range(0, len(number), size))


def luhn_serial(prefix, length):
    "A serial number that happens to pass Luhn"
    body = prefix
    while len(body) < length - 1:
        body += str(rnd.randint(0, 9))
    return body + luhn.calc_check_digit(body)


def serial(length, prefix=''):
    return prefix + ''.join(str(rnd.randint(0, 9))
        for _ in range(length - len(prefix)))


def credit_code(numeric=False):
    while True:
        if numeric:
            body = rnd.choice(['12', '11', '13', '51', '52', '53']) + \
                rnd.choice(REGIONS) + serial(9)
        else:
            body = rnd.choice(['91', '92', '93']) + rnd.choice(REGIONS) + \
                rnd.choice(['MA', 'MA4', 'L', '']) + serial(9)
            body = body[:17]
        number = body + uscc.calc_check_digit(body)
        if uscc.is_valid(number):
            return number


def date_digits():
    return birth_date().strftime('%Y%m%d')


def landline():
    return rnd.choice([
        '0768-%d' % rnd.randint(2000000, 2999999),
        '(0571)%d' % rnd.randint(80000000, 89999999),
        '（020）%d' % rnd.randint(83000000, 83999999),
        '020-%d' % rnd.randint(83000000, 89999999),
        '0754-8%d' % rnd.randint(1000000, 9999999),
        '010-6%d' % rnd.randint(5000000, 5999999),
        '0768-%d转%d' % (rnd.randint(2000000, 2999999),
            rnd.randint(8000, 8999)),
        ])


# Each template: (text, [(kind, value)]) where {0}, {1}... are the values.
def positives():
    p = person
    yield ('申请人{0}，公民身份号码{1}，于2021年5月3日提交个体工商户登记申请。',
        [(None, p()), ('id_number', id_number())])
    yield ('经审核，{0}（身份证号：{1}）符合城乡居民最低生活保障条件，现予公示。',
        [(None, p()), ('id_number', id_number())])
    yield ('失信被执行人{0}，身份证号码{1}，住所地潮州市湘桥区。',
        [(None, p()), ('id_number', id_number())])
    yield ('姓名：{0} 性别：女 身份证：{1} 联系电话：{2}',
        [(None, p()), ('id_number', id_number()), ('mobile', mobile())])
    yield ('补贴对象{0}，身份证号{1}，发放金额1200.00元。',
        [(None, p()), ('id_number', id_number(x=True))])
    yield ('公民身份号码为{0}的申请人已完成实名认证。',
        [('id_number', id_number(x=True).lower() if rnd.random() < 0.3
            else id_number(x=True))])
    yield ('请{0}同志（身份证 {1}）于5月10日前到政务服务中心3号窗口领取证照。',
        [(None, p()), ('id_number', ' '.join(
            [n[:6], n[6:14], n[14:]]) if (n := id_number()) else '')])
    yield ('身份证号：{0}，申请事项：居住证签注。',
        [('id_number', id_number().translate(FULLWIDTH))])
    yield ('{0}，{1}，2019年度见义勇为先进个人。',
        [(None, p()), ('id_number', id_number())])
    yield ('如有疑问请联系经办人{0}，手机{1}。',
        [(None, p()), ('mobile', mobile())])
    yield ('咨询电话：0768-2201234，联系人：{0}，{1}。',
        [(None, p()), ('mobile', mobile())])
    yield ('联系人：{0}  联系方式：{1}（微信同号）',
        [(None, p()), ('mobile', spaced_mobile(' '))])
    yield ('报名热线：{0}，工作日9:00—17:00接听。',
        [('mobile', spaced_mobile('-'))])
    yield ('境外来电请拨{0}，或发送邮件至zwfw@chaozhou.gov.cn。',
        [('mobile', '+86 ' + mobile())])
    yield ('项目负责人{0}电话{1}，邮箱略。',
        [(None, p()), ('mobile', '+86-' + spaced_mobile('-'))])
    yield ('举报电话：{0}、{1}。',
        [('mobile', mobile()), ('mobile', mobile())])
    yield ('村委会主任{0}（{1}）负责本次核查工作。',
        [(None, p()), ('mobile', mobile())])
    yield ('快递员{0}的手机号码为{1}，请注意查收。',
        [(None, p()), ('mobile', '（+86）' + mobile())])
    yield ('中奖者{0}，电话{1}****，请于3日内领奖。',
        [(None, p()), (None, mobile()[:7])])
    yield ('补助资金已打入{0}的社保卡银行账户{1}。',
        [(None, p()), ('bank_card', card())])
    yield ('收款人：{0}，开户行：中国工商银行潮州分行，卡号：{1}',
        [(None, p()), ('bank_card', card(19))])
    yield ('请将报名费转入以下银行卡：{0}（户名：{1}）。',
        [('bank_card', grouped(card(16))), (None, p())])
    yield ('退款已原路退回尾号为1234的银行卡，原卡号{0}。',
        [('bank_card', grouped(card(19)))])
    yield ('{0}的惠农补贴发放至其一卡通账号{1}，金额856.30元。',
        [(None, p()), ('bank_card', card())])
    yield ('个人账户信息：{0}，身份证{1}，银行卡{2}，手机{3}。',
        [(None, p()), ('id_number', id_number()), ('bank_card', card()),
            ('mobile', mobile())])
    yield ('信用卡号{0}已挂失，新卡号{1}。',
        [('bank_card', card(16)), ('bank_card', grouped(card(16), sep='-'))])
    yield ('学生{0}，家长电话{1}，资助款打入卡号{2}。',
        [(None, p()), ('mobile', mobile()), ('bank_card', card(19))])
    yield ('<p>联系人：{0}</p><p>电话：{1}</p>',
        [(None, p()), ('mobile', mobile())])
    yield ('<td>{0}</td><td>{1}</td><td>已发放</td>',
        [(None, p()), ('id_number', id_number())])
    yield ('身份证号码{0}，手机号码{1}。',
        [('id_number', id_number()), ('mobile', mobile())])
    yield ('订单号{0}，退款已退至卡号{1}，请注意查收。',
        [(None, serial(19, '2021')), ('bank_card', card())])
    yield ('联系人手机{0} {1}年起负责该项目。',
        [('mobile', mobile()), (None, str(rnd.randint(2015, 2023)))])
    yield ('手机号：{0}。', [('mobile', spaced_mobile(' '))])
    yield ('手机号码{0}（全角）', [('mobile', mobile().translate(FULLWIDTH))])
    yield ('登记人{0}，证件号{1}，受理编号{2}。',
        [(None, p()), ('id_number', id_number()),
            (None, serial(20))])
    yield ('工资卡号为{0}，开户行为农业银行。', [('bank_card', card(19))])


def negatives():
    yield ('2021年5月3日，市政务服务中心召开工作会议。', [])
    yield ('本通知自{0}起施行，有效期5年。', [(None, date_digits())])
    yield ('时间：2022-01-24 15:48 来源：本网', [])
    yield ('全年办件量{0}件，同比增长{1}%。',
        [(None, str(rnd.randint(100000, 9999999))),
            (None, '%d.%02d' % (rnd.randint(1, 99), rnd.randint(0, 99)))])
    yield ('项目总投资{0}元，其中财政资金{1}元。',
        [(None, '%d.%02d' % (rnd.randint(10 ** 6, 10 ** 8),
                    rnd.randint(0, 99))),
            (None, '%d.%02d' % (rnd.randint(10 ** 5, 10 ** 7),
                    rnd.randint(0, 99)))])
    yield ('合同金额{0}元，已支付50%。',
        [(None, mobile() + '.' + str(rnd.randint(10, 99)))])
    yield ('根据《{0}》（潮政数函〔2021〕{1}号）要求，现将有关事项通知如下。',
        [(None, rnd.choice(['关于进一步优化营商环境的通知',
                        '潮州市政务服务事项目录管理办法'])),
            (None, str(rnd.randint(1, 300)))])
    yield ('依据粤府办〔2020〕13号和国发〔2019〕14号文件精神，推进一网通办。', [])
    yield ('群众可拨打12345政务服务便民热线反映诉求，全年受理工单{0}件。',
        [(None, str(rnd.randint(10000, 999999)))])
    yield ('消费投诉请拨打12315，报警请拨打110，工商银行客服95588。', [])
    yield ('办事咨询电话：{0}，传真：{1}。', [(None, landline()),
            (None, landline())])
    yield ('服务热线：400-{0}-{1}', [(None, str(rnd.randint(100, 999))),
            (None, str(rnd.randint(1000, 9999)))])
    yield ('客服电话{0}', [(None, '400' + serial(7))])
    yield ('地址：潮州市湘桥区新洋路{0}号，邮政编码：{1}。',
        [(None, str(rnd.randint(1, 300))),
            (None, rnd.choice(['521000', '515000', '521011', '100000']))])
    yield ('企业名称：潮州市某某科技有限公司，统一社会信用代码：{0}。',
        [(None, credit_code())])
    yield ('统一社会信用代码{0}的社会组织年检合格。',
        [(None, credit_code(numeric=True))])
    yield ('纳税人识别号：{0}', [(None, credit_code())])
    yield ('订单号{0}已受理，请保存好回执。',
        [(None, serial(19, rnd.choice(['2021', '2022', '2023'])))])
    yield ('交易流水号：{0}，办理时间2022年3月1日。',
        [(None, serial(20))])
    yield ('受理编号：{0}，请凭编号查询办理进度。',
        [(None, rnd.choice(REGIONS) + date_digits() + serial(4))])
    yield ('档案号{0}（卷宗共3册）。', [(None, serial(18))])
    yield ('发票代码{0}，发票号码{1}。',
        [(None, serial(12)), (None, serial(8))])
    yield ('快递运单号{0}已签收。', [(None, luhn_serial('62', 16))])
    yield ('工单号：{0}（已办结）', [(None, luhn_serial('4', 19))])
    yield ('证书编号：{0}', [(None, luhn_serial('62', 18))])
    yield ('该批次产品序列号为{0}，共计200件。', [(None, serial(16))])
    yield ('第{0}号令已废止。', [(None, serial(11, '1'))])
    yield ('号码段{0}至{1}已分配。',
        [(None, mobile() + serial(1)), (None, mobile() + serial(2))])
    yield ('设备串号{0}，已登记。', [(None, serial(1) + mobile())])
    yield ('样本编码{0}检测合格。', [(None, 'SN' + mobile())])
    yield ('证件号码{0}校验不通过，请重新填写。', [(None, bad_check_id())])
    yield ('系统退回的号码：{0}。', [(None, bad_date_id())])
    yield ('测试数据{0}仅用于演示。', [(None, bad_region_id())])
    yield ('该数字{0}不是有效卡号。', [(None, bad_card())])
    yield ('参考号{0}', [(None, bad_card(19))])
    yield ('长号{0}', [(None, id_number() + serial(3))])
    yield ('连号{0}', [(None, serial(2) + id_number())])
    yield ('编码{0}', [(None, mobile() + '0')])
    yield ('电话号码{0}为空号。', [(None, rnd.choice(['12', '10', '11']) +
                    serial(9))])
    yield ('ISBN 978-7-{0}-{1}-{2}', [(None, serial(4)), (None, serial(4)),
            (None, serial(1))])
    yield ('书号{0}', [(None, '978' + serial(10))])
    yield ('坐标：东经{0}，北纬{1}。',
        [(None, '116.%06d' % rnd.randint(0, 999999)),
            (None, '23.%06d' % rnd.randint(0, 999999))])
    yield ('服务器地址192.168.{0}.{1}，端口8080。',
        [(None, str(rnd.randint(0, 255))), (None, str(rnd.randint(1, 254)))])
    yield ('办理时限由20个工作日压缩至{0}个工作日，压缩率{1}%。',
        [(None, str(rnd.randint(1, 9))), (None, str(rnd.randint(50, 95)))])
    yield ('全市政务服务事项网上可办率达95%，最多跑一次率99.87%。', [])
    yield ('截至{0}年底，累计发放电子证照{1}张。',
        [(None, str(rnd.randint(2015, 2023))),
            (None, str(rnd.randint(1000000, 99999999)))])
    yield ('粤A{0}号车辆违规停放。', [(None, serial(5))])
    yield ('{0}年{1}月{2}日{3}时，{4}号窗口共办件{5}件。',
        [(None, str(rnd.randint(2015, 2023))), (None, str(rnd.randint(1, 12))),
            (None, str(rnd.randint(1, 28))), (None, str(rnd.randint(8, 17))),
            (None, str(rnd.randint(1, 40))),
            (None, str(rnd.randint(10, 300)))])
    yield ('统计期为{0}至{1}。', [(None, date_digits()), (None, date_digits())])
    yield ('身份证号{0}（录入有误，已退回）', [(None, bad_check_id())])
    yield ('电话：0768－{0}', [(None, str(rnd.randint(2000000, 2999999)))])
    yield ('更新时间：{0}-0{1}-1{2} 15:48:32',
        [(None, str(rnd.randint(2015, 2023))),
            (None, str(rnd.randint(1, 9))), (None, str(rnd.randint(0, 9)))])
    yield ('<tr><td>{0}</td><td>{1}%</td><td>{2}</td></tr>',
        [(None, '%d.%d' % (rnd.randint(1, 99), rnd.randint(0, 9))),
            (None, '%d.%02d' % (rnd.randint(90, 99), rnd.randint(0, 99))),
            (None, str(rnd.randint(1000, 99999)))])
    yield ('合同编号{0}已备案。', [(None, luhn_serial('62', 16))])
    yield ('项目代码{0}-{1}-{2}', [(None, '2021-445102'),
            (None, serial(2)), (None, serial(6))])
    yield ('手机号码已脱敏显示为{0}****{1}。',
        [(None, mobile()[:3]), (None, serial(4))])
    yield ('身份证号已脱敏：{0}********{1}', [(None, id_number()[:6]),
            (None, serial(4))])
    yield ('银行卡尾号{0}，余额{1}元。', [(None, serial(4)),
            (None, '%d.%02d' % (rnd.randint(1000, 999999),
                    rnd.randint(0, 99)))])
    yield ('年度预算{0}万元，执行率{1}%。',
        [(None, '%d.%02d' % (rnd.randint(10000, 99999999),
                    rnd.randint(0, 99))), (None, str(rnd.randint(80, 100)))])
    yield ('文件编号：潮府〔{0}〕{1}号，印发日期{2}。',
        [(None, str(rnd.randint(2015, 2023))), (None, str(rnd.randint(1, 99))),
            (None, date_digits())])
    yield ('人口{0}人，户籍人口{1}人。',
        [(None, str(rnd.randint(1000000, 9999999))),
            (None, str(rnd.randint(1000000, 9999999)))])


def fill(template, values):
    text = template.format(*[v for _, v in values])
    labels = [(k, v) for k, v in values if k]
    return text, labels


def main():
    rows = []
    for repeat in range(6):
        for template, values in positives():
            rows.append(fill(template, values))
    for repeat in range(5):
        for template, values in negatives():
            rows.append(fill(template, values))
    print('# labels<TAB>sentence; labels: - or kind:text|kind:text '
        '(generated by make_labelled.py, labels by construction)')
    seen = set()
    for text, labels in rows:
        if text in seen:
            continue
        seen.add(text)
        label = '|'.join('%s:%s' % kv for kv in labels) or '-'
        print('%s\t%s' % (label, text))


if __name__ == '__main__':
    main()
