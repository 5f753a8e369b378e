# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Names and figures of the demo service hall, used by scripts/demo.py.

Plain data: no Tryton import.  The city "滨江市" is fictional; the
departments, services, time limits and materials follow what Chinese
government service centres publish in their service guides (办事指南).
"""

COMPANY_NAME = "滨江市政务服务管理局"
TIMEZONE = 'Asia/Shanghai'
CITY = "滨江市"
# Administrative division code used in the enterprises' credit codes (it
# must exist in python-stdnum's table; 330108 is 杭州市滨江区).
CITY_DIVISION = '330108'

HALL = {
    'name': "滨江市政务服务中心",
    'code': 'BJZWFW',
    'address': "滨江市江南大道1888号市民中心B座1-3层",
    'phone': "0571-12345",
    # the QR codes of receipts and tickets point to it: a citizen's phone
    # cannot open the demo's 127.0.0.1 (HALL_PUBLIC_URL changes it)
    'public_url': 'https://zwfw.example.gov.cn',
    }

# (key, letter, name, kind)
ZONES = [
    ('A', 'A', "企业开办与经营主题区", 'theme'),
    ('B', 'B', "工程建设项目审批主题区", 'theme'),
    ('C', 'C', "社会事务主题区", 'theme'),
    ('D', 'D', "咨询导办区", 'consultation'),
    ('E', 'E', "绿色通道服务区", 'green_channel'),
    ('F', 'F', "综合收件出件区", 'collection_issuing'),
    ('S', 'S', "24小时自助服务区", 'self_service'),
    ]

# (code, name, contact, phone)
DEPARTMENTS = [
    ('SCJG', "市场监督管理局", "周文斌", "0571-87651201"),
    ('GA', "公安局", "王建国", "0571-87651202"),
    ('RS', "人力资源和社会保障局", "李晓燕", "0571-87651203"),
    ('YB', "医疗保障局", "陈思远", "0571-87651204"),
    ('ZJ', "住房和城乡建设局", "张志强", "0571-87651205"),
    ('ZRZY', "自然资源和规划局", "刘海涛", "0571-87651206"),
    ('SW', "税务局", "杨丽华", "0571-87651207"),
    ('WJ', "卫生健康委员会", "赵敏", "0571-87651208"),
    ('MZ', "民政局", "黄振华", "0571-87651209"),
    ('JT', "交通运输局", "吴国平", "0571-87651210"),
    ('STHJ', "生态环境局", "徐静", "0571-87651211"),
    ('BDC', "不动产登记中心", "孙立新", "0571-87651212"),
    ('GJJ', "住房公积金管理中心", "马俊", "0571-87651213"),
    ('SHANGWU', "商务局", "朱红梅", "0571-87651214"),
    ('JY', "教育局", "胡建军", "0571-87651215"),
    ('WGLT', "文化广电旅游体育局", "郭芳", "0571-87651216"),
    ('SHUIWU', "水务局", "何雪峰", "0571-87651217"),
    ('CG', "城市管理局", "林涛", "0571-87651218"),
    ('SF', "司法局", "罗文静", "0571-87651219"),
    ('CL', "残疾人联合会", "高永红", "0571-87651220"),
    ]

# Common materials: (name, form, copies, mandatory)
_ID = ("申请人身份证明", 'original_copy', 1, True)
_PHOTO = ("近期免冠白底证件照片", 'original', 2, True)
_HUKOU = ("居民户口簿", 'original_copy', 1, True)
_LICENCE = ("营业执照", 'copy', 1, True)
_AUTH = ("授权委托书及经办人身份证明", 'original', 1, False)
_APPLY = ("申请表", 'original', 1, True)
_DEED = ("不动产权证书", 'original', 1, True)
_CONTRACT = ("购房合同或不动产买卖合同", 'original_copy', 1, True)
_MARRIAGE = ("婚姻状况证明", 'copy', 1, False)
_PROJECT = ("项目批准、核准或备案文件", 'copy', 1, True)
_DRAWINGS = ("建设工程设计方案或施工图", 'electronic', 1, True)
_PREMISES = ("经营场所使用证明", 'copy', 1, True)

# Services: (department, name, category, legal limit, promised limit,
#     max visits, online, comprehensive, applicant, zone, sector, weight,
#     materials)
# applicant: 'P' citizen, 'E' enterprise, 'B' either; zone: the theme zone
# whose comprehensive windows accept it; sector: the enterprises that apply
# for it; weight: how often it is applied for in the demo.
SERVICES = [
    # 企业开办与经营 (zone A)
    ('SCJG', "企业设立登记", 'licensing', 15, 1, 'zero', True, True,
        'E', 'A', None, 6, [
            ("公司登记（备案）申请书", 'original', 1, True),
            ("公司章程", 'original', 1, True),
            ("股东主体资格证明", 'copy', 1, True),
            ("法定代表人、董事、监事和高级管理人员任职文件", 'original', 1,
                True),
            ("住所使用证明", 'copy', 1, True)]),
    ('SCJG', "企业变更登记", 'licensing', 15, 1, 'zero', True, True,
        'E', 'A', None, 4, [
            ("公司变更登记申请书", 'original', 1, True),
            ("股东会决议或股东决定", 'original', 1, True),
            ("修改后的公司章程或章程修正案", 'original', 1, True),
            ("营业执照正、副本", 'original', 1, True)]),
    ('SCJG', "企业注销登记", 'licensing', 15, 1, 'one', True, True,
        'E', 'A', None, 2, [
            ("公司注销登记申请书", 'original', 1, True),
            ("清算报告", 'original', 1, True),
            ("清税证明", 'copy', 1, True),
            ("营业执照正、副本", 'original', 1, True)]),
    ('SCJG', "个体工商户设立登记", 'licensing', 15, 0, 'zero', True, True,
        'P', 'A', None, 4, [
            ("个体工商户登记（备案）申请书", 'original', 1, True),
            ("经营者身份证明", 'copy', 1, True),
            _PREMISES]),
    ('SCJG', "食品经营许可证核发", 'licensing', 20, 5, 'one', True, True,
        'E', 'A', 'food', 4, [
            ("食品经营许可申请书", 'original', 1, True),
            _LICENCE,
            ("与食品经营相适应的主要设备设施布局、操作流程等文件", 'copy',
                1, True),
            ("食品安全自查、从业人员健康管理等制度", 'copy', 1, True)]),
    ('SCJG', "药品零售企业经营许可", 'licensing', 30, 15, 'one', True, True,
        'E', 'A', 'health', 1, [
            ("药品经营许可证申请表", 'original', 1, True),
            _LICENCE,
            ("执业药师注册证", 'copy', 1, True),
            ("经营场所和仓库平面布置图", 'copy', 1, True),
            ("质量管理文件目录", 'copy', 1, True)]),
    ('SCJG', "特种设备使用登记", 'licensing', 15, 3, 'one', True, True,
        'E', 'A', 'build', 1, [
            ("特种设备使用登记表", 'original', 2, True),
            ("产品合格证", 'copy', 1, True),
            ("监督检验证明", 'copy', 1, True)]),
    ('SCJG', "营业执照遗失补领", 'other', 5, 0, 'zero', True, True,
        'E', 'A', None, 1, [
            ("营业执照补领申请书", 'original', 1, True),
            ("遗失声明", 'copy', 1, True)]),
    ('SW', "新办纳税人套餐式服务", 'public', 5, 0, 'zero', True, True,
        'E', 'A', None, 3, [
            ("新办纳税人涉税事项综合申请表", 'original', 1, True),
            _LICENCE,
            ("法定代表人身份证明", 'copy', 1, True)]),
    ('SW', "增值税发票领用", 'public', 5, 0, 'zero', True, True,
        'E', 'A', None, 3, [
            ("发票领用申请", 'electronic', 1, True),
            ("经办人身份证明", 'original', 1, True)]),
    ('SW', "个人所得税纳税记录开具", 'public', 5, 0, 'zero', True, True,
        'P', 'A', None, 2, [_ID]),
    ('SW', "不动产交易契税申报", 'public', 5, 0, 'one', True, True,
        'P', 'A', None, 3, [
            ("契税纳税申报表", 'original', 1, True),
            _CONTRACT, _ID]),
    ('SHANGWU', "对外贸易经营者备案登记", 'other', 5, 1, 'zero', True, True,
        'E', 'A', 'trade', 1, [
            ("对外贸易经营者备案登记表", 'original', 1, True),
            _LICENCE]),
    ('SHANGWU', "单用途商业预付卡发卡企业备案", 'other', 10, 3, 'zero', True,
        True, 'E', 'A', 'trade', 1, [
            ("单用途商业预付卡备案表", 'original', 1, True),
            _LICENCE,
            ("预付卡章程及购卡协议", 'copy', 1, True)]),
    ('WJ', "公共场所卫生许可", 'licensing', 20, 5, 'one', True, True,
        'E', 'A', 'culture', 2, [
            ("公共场所卫生许可申请表", 'original', 1, True),
            _LICENCE,
            ("卫生检测（评价）报告", 'copy', 1, True),
            ("卫生管理制度", 'copy', 1, True)]),
    ('WGLT', "娱乐场所经营许可", 'licensing', 20, 10, 'one', True, True,
        'E', 'A', 'culture', 1, [
            ("娱乐场所经营活动申请表", 'original', 1, True),
            _LICENCE,
            ("法定代表人及主要负责人无犯罪记录证明", 'original', 1, True),
            _PREMISES]),
    ('WGLT', "旅行社设立许可", 'licensing', 20, 10, 'one', True, True,
        'E', 'A', 'culture', 1, [
            ("旅行社设立申请书", 'original', 1, True),
            _LICENCE,
            _PREMISES,
            ("质量保证金存缴证明", 'copy', 1, True)]),
    ('WGLT', "出版物零售业务许可", 'licensing', 20, 5, 'one', True, True,
        'E', 'A', 'culture', 1, [
            ("出版物零售业务申请表", 'original', 1, True),
            _LICENCE, _PREMISES]),
    ('JT', "道路货物运输经营许可", 'licensing', 20, 5, 'one', True, True,
        'E', 'A', 'transport', 2, [
            ("道路货物运输经营申请表", 'original', 1, True),
            ("车辆技术等级评定证明", 'copy', 1, True),
            ("驾驶人员从业资格证", 'copy', 1, True),
            ("安全生产管理制度文本", 'copy', 1, True)]),
    ('JT', "出租汽车驾驶员从业资格证核发", 'licensing', 20, 5, 'more', False,
        True, 'P', 'A', None, 1, [
            _ID,
            ("机动车驾驶证", 'original_copy', 1, True),
            ("无交通肇事犯罪、危险驾驶犯罪记录证明", 'original', 1, True),
            _PHOTO]),
    ('RS', "单位参保登记", 'public', 5, 0, 'zero', True, True,
        'E', 'A', None, 2, [
            ("社会保险登记表", 'original', 1, True),
            _LICENCE]),
    ('RS', "劳务派遣经营许可", 'licensing', 20, 10, 'one', True, True,
        'E', 'A', 'trade', 1, [
            ("劳务派遣经营许可申请书", 'original', 1, True),
            _LICENCE,
            ("注册资本验资证明", 'copy', 1, True),
            ("劳务派遣管理制度", 'copy', 1, True)]),
    ('CG', "设置大型户外广告及在城市建筑物上悬挂张贴宣传品审批",
        'licensing', 20, 7, 'one', True, True, 'E', 'A', 'trade', 1, [
            ("户外广告设置申请表", 'original', 1, True),
            ("设计效果图", 'electronic', 1, True),
            ("场地使用权证明", 'copy', 1, True)]),
    ('CG', "城市建筑垃圾处置核准", 'licensing', 20, 5, 'one', True, True,
        'E', 'A', 'build', 1, [
            ("建筑垃圾处置核准申请表", 'original', 1, True),
            ("运输车辆登记证明", 'copy', 1, True),
            ("消纳场地证明", 'copy', 1, True)]),
    # 工程建设项目审批 (zone B)
    ('ZJ', "建设工程施工许可证核发", 'licensing', 20, 5, 'one', True, True,
        'E', 'B', 'build', 4, [
            ("建筑工程施工许可证申请表", 'original', 1, True),
            ("建设工程规划许可证", 'copy', 1, True),
            ("施工合同", 'copy', 1, True),
            ("保证工程质量和安全的具体措施", 'copy', 1, True),
            ("建设资金落实承诺书", 'original', 1, True)]),
    ('ZJ', "建设工程竣工验收备案", 'other', 15, 5, 'one', True, True,
        'E', 'B', 'build', 2, [
            ("竣工验收备案表", 'original', 2, True),
            ("工程竣工验收报告", 'copy', 1, True),
            ("施工单位签署的工程质量保修书", 'copy', 1, True)]),
    ('ZJ', "商品房预售许可", 'licensing', 20, 10, 'one', True, True,
        'E', 'B', 'build', 2, [
            ("商品房预售许可申请表", 'original', 1, True),
            ("国有土地使用权证明", 'copy', 1, True),
            ("建设工程规划许可证和施工许可证", 'copy', 1, True),
            ("商品房预售方案", 'original', 1, True)]),
    ('ZJ', "建筑业企业资质核准", 'licensing', 20, 15, 'one', True, True,
        'E', 'B', 'build', 1, [
            ("建筑业企业资质申请表", 'original', 1, True),
            _LICENCE,
            ("技术负责人身份证明、职称证书", 'copy', 1, True)]),
    ('ZJ', "建设工程消防验收", 'licensing', 15, 7, 'one', True, True,
        'E', 'B', 'build', 2, [
            ("消防验收申请表", 'original', 1, True),
            ("工程竣工验收报告", 'copy', 1, True),
            ("涉及消防的建设工程竣工图纸", 'electronic', 1, True)]),
    ('ZRZY', "建设用地规划许可证核发", 'licensing', 20, 7, 'one', True, True,
        'E', 'B', 'build', 2, [
            ("建设用地规划许可申请表", 'original', 1, True),
            _PROJECT,
            ("国有土地使用权出让合同", 'copy', 1, True)]),
    ('ZRZY', "建设工程规划许可证核发", 'licensing', 20, 7, 'one', True, True,
        'E', 'B', 'build', 3, [
            ("建设工程规划许可申请表", 'original', 1, True),
            ("使用土地的有关证明文件", 'copy', 1, True),
            _DRAWINGS]),
    ('ZRZY', "建设项目用地预审与选址意见书核发", 'licensing', 20, 10, 'one',
        True, True, 'E', 'B', 'build', 1, [
            ("建设项目用地预审与选址申请表", 'original', 1, True),
            _PROJECT,
            ("建设项目用地边界拐点坐标表", 'electronic', 1, True)]),
    ('STHJ', "建设项目环境影响报告表审批", 'licensing', 30, 10, 'one', True,
        True, 'E', 'B', 'build', 2, [
            ("建设项目环境影响评价审批申请表", 'original', 1, True),
            ("环境影响报告表", 'original', 1, True),
            ("公众参与说明", 'copy', 1, False)]),
    ('STHJ', "排污许可证核发", 'licensing', 30, 15, 'zero', True, True,
        'E', 'B', 'trade', 1, [
            ("排污许可证申请表", 'electronic', 1, True),
            ("自行监测方案", 'electronic', 1, True)]),
    ('SHUIWU', "城镇污水排入排水管网许可", 'licensing', 20, 7, 'one', True,
        True, 'E', 'B', 'food', 1, [
            ("排水许可申请表", 'original', 1, True),
            ("排水户内部排水管网、专用检测井等平面图", 'copy', 1, True),
            ("排水水质检测报告", 'copy', 1, True)]),
    ('SHUIWU', "取水许可", 'licensing', 45, 15, 'one', True, True,
        'E', 'B', 'build', 1, [
            ("取水许可申请书", 'original', 1, True),
            ("建设项目水资源论证报告", 'original', 1, True)]),
    ('SHUIWU', "生产建设项目水土保持方案审批", 'licensing', 20, 10, 'one',
        True, True, 'E', 'B', 'build', 1, [
            ("水土保持方案审批申请", 'original', 1, True),
            ("水土保持方案报告书", 'original', 1, True)]),
    ('BDC', "国有建设用地使用权及房屋所有权首次登记", 'confirmation', 30, 5,
        'one', True, False, 'E', 'B', 'build', 2, [
            ("不动产登记申请书", 'original', 1, True),
            ("土地权属来源证明", 'copy', 1, True),
            ("建设工程竣工验收备案证明", 'copy', 1, True),
            ("房屋测绘报告", 'original', 1, True)]),
    ('BDC', "国有建设用地使用权及房屋所有权转移登记", 'confirmation', 30, 3,
        'one', True, False, 'P', 'B', None, 6, [
            ("不动产登记申请书", 'original', 1, True),
            _ID, _DEED, _CONTRACT,
            ("完税凭证", 'copy', 1, True)]),
    ('BDC', "不动产抵押权登记", 'confirmation', 30, 1, 'zero', True, False,
        'B', 'B', None, 3, [
            ("不动产登记申请书", 'original', 1, True),
            _DEED,
            ("主债权合同及抵押合同", 'original', 1, True)]),
    ('BDC', "不动产变更登记", 'confirmation', 30, 3, 'one', True, False,
        'P', 'B', None, 2, [
            ("不动产登记申请书", 'original', 1, True),
            _ID, _DEED, _MARRIAGE]),
    ('BDC', "不动产登记资料查询", 'public', 5, 0, 'zero', True, False,
        'P', 'B', None, 3, [_ID]),
    # 社会事务 (zone C)
    ('GA', "居民身份证换领", 'confirmation', 60, 15, 'one', False, False,
        'P', 'C', None, 5, [_HUKOU, ("原居民身份证", 'original', 1, True)]),
    ('GA', "居民身份证首次申领", 'confirmation', 60, 15, 'one', False, False,
        'P', 'C', None, 2, [_HUKOU]),
    ('GA', "临时居民身份证核发", 'confirmation', 3, 0, 'one', False, False,
        'P', 'C', None, 1, [_HUKOU, _PHOTO]),
    ('GA', "市内户口迁移", 'confirmation', 20, 5, 'one', True, False,
        'P', 'C', None, 2, [
            _HUKOU,
            ("合法稳定住所证明", 'copy', 1, True),
            _MARRIAGE]),
    ('GA', "出生登记", 'confirmation', 10, 0, 'zero', True, False,
        'P', 'C', None, 2, [
            ("出生医学证明", 'original_copy', 1, True),
            ("父母双方居民户口簿和身份证", 'original_copy', 1, True),
            ("父母结婚证", 'copy', 1, False)]),
    ('GA', "居住证签发", 'confirmation', 15, 7, 'one', True, False,
        'P', 'C', None, 3, [
            _ID,
            ("居住登记凭证", 'copy', 1, True),
            ("合法稳定就业、住所或连续就读证明", 'copy', 1, True)]),
    ('GA', "普通护照签发", 'licensing', 15, 7, 'one', True, False,
        'P', 'C', None, 2, [_ID, ("出入境证件数码照片回执", 'original', 1, True)]),
    ('GA', "往来港澳通行证及签注签发", 'licensing', 15, 7, 'one', False,
        False, 'P', 'C', None, 2, [
            _ID, ("出入境证件数码照片回执", 'original', 1, True)]),
    ('GJJ', "住房公积金提取（购房）", 'benefit', 5, 0, 'zero', True, False,
        'P', 'C', None, 4, [
            _ID, _CONTRACT,
            ("购房发票或契税完税凭证", 'copy', 1, True),
            ("本人银行卡", 'original', 1, True)]),
    ('GJJ', "住房公积金提取（租房）", 'benefit', 5, 0, 'zero', True, False,
        'P', 'C', None, 3, [_ID, ("本人银行卡", 'original', 1, True)]),
    ('GJJ', "住房公积金个人住房贷款", 'benefit', 20, 10, 'more', False,
        False, 'P', 'C', None, 2, [
            _ID, _MARRIAGE, _CONTRACT,
            ("收入证明", 'original', 1, True),
            ("首付款凭证", 'copy', 1, True)]),
    ('GJJ', "单位住房公积金缴存登记", 'public', 5, 0, 'zero', True, False,
        'E', 'C', None, 1, [
            ("单位缴存登记表", 'original', 1, True),
            _LICENCE, _AUTH]),
    ('RS', "社会保障卡申领、补领、换领", 'public', 10, 0, 'zero', True, True,
        'P', 'C', None, 4, [_ID, _PHOTO]),
    ('RS', "失业保险金申领", 'benefit', 20, 5, 'zero', True, True,
        'P', 'C', None, 2, [
            _ID, ("终止或解除劳动合同证明", 'copy', 1, True),
            ("本人银行账户信息", 'copy', 1, True)]),
    ('RS', "职工基本养老保险关系转移接续", 'public', 45, 15, 'zero', True,
        True, 'P', 'C', None, 2, [
            _ID, ("参保缴费凭证", 'original', 1, True)]),
    ('RS', "就业创业证申领", 'public', 10, 0, 'zero', True, True,
        'P', 'C', None, 2, [_ID]),
    ('YB', "基本医疗保险参保登记", 'public', 5, 0, 'zero', True, True,
        'P', 'C', None, 3, [_ID, _HUKOU]),
    ('YB', "异地就医备案", 'public', 5, 0, 'zero', True, True,
        'P', 'C', None, 3, [
            _ID, ("异地长期居住或工作证明", 'copy', 1, False)]),
    ('YB', "门诊慢特病待遇认定", 'confirmation', 20, 10, 'one', True, True,
        'P', 'C', None, 2, [
            _ID,
            ("二级及以上医疗机构诊断证明", 'original', 1, True),
            ("病历资料及检查报告", 'copy', 1, True)]),
    ('YB', "生育保险待遇核准", 'benefit', 15, 5, 'zero', True, True,
        'P', 'C', None, 2, [
            _ID, ("出生医学证明", 'copy', 1, True),
            ("医疗费用票据", 'original', 1, True)]),
    ('WJ', "护士执业注册", 'licensing', 20, 10, 'zero', True, True,
        'P', 'C', None, 1, [
            ("护士执业注册申请审核表", 'original', 1, True),
            ("护士执业资格考试成绩合格证明", 'copy', 1, True),
            ("健康体检证明", 'original', 1, True)]),
    ('MZ', "最低生活保障审核确认", 'benefit', 30, 15, 'one', True, True,
        'P', 'C', None, 2, [
            ("最低生活保障申请书", 'original', 1, True),
            _HUKOU,
            ("家庭收入和财产状况申报及授权核查书", 'original', 1, True)]),
    ('MZ', "社会团体成立登记", 'licensing', 60, 20, 'one', True, True,
        'E', 'C', 'culture', 1, [
            ("社会团体成立登记申请书", 'original', 1, True),
            ("章程草案", 'original', 1, True),
            ("住所使用权证明", 'copy', 1, True),
            ("验资报告", 'copy', 1, True),
            ("负责人身份证明", 'copy', 1, True)]),
    ('MZ', "养老机构备案", 'other', 5, 1, 'zero', True, True,
        'E', 'C', 'health', 1, [
            ("养老机构备案书", 'original', 1, True),
            ("养老机构备案承诺书", 'original', 1, True),
            _LICENCE]),
    ('JY', "教师资格认定", 'licensing', 30, 15, 'one', True, True,
        'P', 'C', None, 2, [
            _ID,
            ("学历证书", 'original_copy', 1, True),
            ("普通话水平测试等级证书", 'copy', 1, True),
            ("体检合格证明", 'original', 1, True)]),
    ('JY', "民办培训机构设立审批", 'licensing', 90, 30, 'one', True, True,
        'E', 'C', 'culture', 1, [
            ("办学申请报告", 'original', 1, True),
            ("举办者资格证明", 'copy', 1, True),
            ("拟任校长及教师资格证明", 'copy', 1, True),
            ("办学场所证明", 'copy', 1, True),
            ("章程和发展规划", 'original', 1, True)]),
    ('SF', "法律援助申请", 'public', 7, 3, 'one', True, True,
        'P', 'C', None, 2, [
            ("法律援助申请表", 'original', 1, True),
            _ID,
            ("经济困难状况说明表", 'original', 1, True),
            ("与所申请法律援助事项有关的材料", 'copy', 1, True)]),
    ('SF', "基层法律服务工作者执业核准", 'licensing', 20, 10, 'one', True,
        True, 'P', 'C', None, 1, [
            ("执业核准申请表", 'original', 1, True),
            ("法律职业资格证书或学历证明", 'copy', 1, True)]),
    ('CL', "残疾人证核发", 'confirmation', 30, 15, 'more', False, True,
        'P', 'C', None, 2, [
            _ID, _HUKOU, _PHOTO,
            ("残疾评定表", 'original', 1, True)]),
    ('CL', "困难残疾人生活补贴和重度残疾人护理补贴申请", 'benefit', 20, 10,
        'one', True, True, 'P', 'C', None, 2, [
            ("两项补贴申请审批表", 'original', 1, True),
            ("残疾人证", 'original_copy', 1, True)]),
    ]

# Services the green channel (重大项目绿色通道) also accepts besides the
# comprehensive services of the construction zone.
GREEN_EXTRA = ["企业设立登记", "企业变更登记"]

# Windows: (number, zone key, kind, name, department code for dedicated,
# staffed on working days).  Comprehensive windows accept the comprehensive
# services of their zone; collection windows those of every theme zone;
# dedicated windows every service of their department.
WINDOWS = (
    [('A%02d' % i, 'A', 'comprehensive',
        "企业开办综合窗口" if i <= 7 else "企业开办综合窗口（潮汐）", None,
        i <= 7) for i in range(1, 13)]
    + [('B%02d' % i, 'B', 'comprehensive',
        "工程建设综合窗口" if i <= 4 else "工程建设综合窗口（潮汐）", None,
        i <= 4) for i in range(1, 9)]
    + [('B09', 'B', 'dedicated', "不动产登记专窗", 'BDC', True)]
    + [('C%02d' % i, 'C', 'comprehensive',
        "社会事务综合窗口" if i <= 5 else "社会事务综合窗口（潮汐）", None,
        i <= 5) for i in range(1, 10)]
    + [('C10', 'C', 'dedicated', "公安户政出入境专窗", 'GA', True),
        ('C11', 'C', 'dedicated', "住房公积金专窗", 'GJJ', True),
        ('D01', 'D', 'consultation', "咨询导办台", None, True),
        ('D02', 'D', 'consultation', "帮办代办服务台", None, True),
        ('E01', 'E', 'green_channel', "重大项目绿色通道", None, True),
        ('E02', 'E', 'green_channel', "重点企业绿色通道", None, True),
        ('F01', 'F', 'collection', "综合收件窗口", None, True),
        ('F02', 'F', 'collection', "综合收件窗口", None, True),
        ('F03', 'F', 'issuing', "证照出件窗口", None, True),
        ('F04', 'F', 'issuing', "证照寄递出件窗口", None, True),
        ])

# Stand-ins (同岗替代, B角) for the windows that need a qualified colleague
# from another window: window -> window whose clerk stands in.  Comprehensive
# windows of a zone are backed by the next staffed window of the same zone.
STAND_IN_WINDOWS = {
    'B09': 'B01',
    'C10': 'C01',
    'C11': 'C02',
    'E01': 'B02',
    'E02': 'B03',
    'F01': 'A03',
    'F02': 'C03',
    'D01': 'D02',
    'D02': 'D01',
    'F03': 'F04',
    'F04': 'F03',
    }

# Windows open in each weekend session (周末不打烊): at least two of every
# window kind of the hall.
WEEKEND_WINDOWS = ['A01', 'A02', 'B01', 'C01', 'B09', 'C10', 'D01', 'D02',
    'E01', 'E02', 'F01', 'F02', 'F03', 'F04']

# Staff: (name, gender) — 30 employees.  The first two are hall managers,
# the third the leader, the others window clerks in the order of the
# staffed windows.
STAFF = [
    ("沈立华", 'F'), ("韩志刚", 'M'), ("邓国庆", 'M'),
    ("王雨桐", 'F'), ("李浩然", 'M'), ("张欣怡", 'F'), ("刘子轩", 'M'),
    ("陈梦瑶", 'F'), ("杨俊杰", 'M'), ("赵思琪", 'F'), ("黄嘉伟", 'M'),
    ("周佳慧", 'F'), ("吴宇航", 'M'), ("徐静怡", 'F'), ("孙文博", 'M'),
    ("胡晓婷", 'F'), ("朱明辉", 'M'), ("高雅琴", 'F'), ("林泽宇", 'M'),
    ("何诗涵", 'F'), ("郭振华", 'M'), ("马丽娜", 'F'), ("罗晨阳", 'M'),
    ("梁婉清", 'F'), ("宋志远", 'M'), ("郑雪梅", 'F'), ("谢天翔", 'M'),
    ("唐晓敏", 'F'), ("许建平", 'M'), ("冯雅婷", 'F'),
    ]

# Citizens' names are drawn from these.
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
    "彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾")
GIVEN_M = ["伟", "强", "磊", "军", "洋", "勇", "杰", "涛", "斌", "超", "明",
    "刚", "平", "辉", "鹏", "华", "飞", "鑫", "波", "宇", "浩", "凯", "健",
    "俊", "帆", "帅", "旭", "宁", "龙", "林", "建华", "志明", "国强", "文杰",
    "子豪", "宇轩", "浩宇", "博文", "晨阳", "立新", "海峰", "永刚"]
GIVEN_F = ["芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀英", "玲", "桂英",
    "丹", "萍", "红", "玉兰", "婷", "雪", "慧", "颖", "琳", "倩", "洁", "欣",
    "佳琪", "梓涵", "雨萱", "诗雨", "晓燕", "淑华", "美玲", "思彤", "一诺"]

# Resident ID area codes (birth places): local ones (the province of the
# demo city) and some from elsewhere.  python-stdnum checks that the district
# existed in the birth year, so each list keeps a few long-standing counties
# (桐庐县, 淳安县, 东城区, 海淀区 ...) for older people.
LOCAL_AREA_CODES = ['330108', '330106', '330105', '330102', '330110',
    '330109', '330122', '330127', '330203', '330302', '330402', '330602',
    '331002', '330100', '330200', '330300']
OTHER_AREA_CODES = ['110101', '110105', '110108', '310104', '310110',
    '310115', '320102', '320506', '340104', '360102', '410105', '420106',
    '430104', '440305', '440106', '510104', '610113', '370102', '350203']

STREETS = ["江南大道", "滨盛路", "长河路", "浦沿路", "江晖路", "春晓路",
    "闻涛路", "西兴路", "江陵路", "火炬大道", "网商路", "星民路", "聚才路",
    "秋溢路", "丹枫路", "楚天路"]

# Enterprises: (trade name, industry, sector).  Names become
# "滨江市<trade name><industry>有限公司".
ENTERPRISES = [
    ("鑫源", "建设工程", 'build'), ("恒基", "房地产开发", 'build'),
    ("华拓", "建筑劳务", 'build'), ("中盛", "置业", 'build'),
    ("宏达", "市政工程", 'build'), ("城投", "建设发展", 'build'),
    ("绿城嘉苑", "房地产开发", 'build'), ("东方路桥", "建设", 'build'),
    ("瑞丰", "建材", 'build'), ("安居", "装饰工程", 'build'),
    ("味之道", "餐饮管理", 'food'), ("江南春", "食品", 'food'),
    ("老街坊", "餐饮", 'food'), ("禾丰", "农产品", 'food'),
    ("鲜达", "生鲜超市", 'food'), ("一品轩", "餐饮管理", 'food'),
    ("海纳", "国际贸易", 'trade'), ("汇通", "商贸", 'trade'),
    ("锦程", "人力资源", 'trade'), ("联创", "进出口", 'trade'),
    ("天和", "环保科技", 'trade'), ("金穗", "供应链管理", 'trade'),
    ("星辰", "信息技术", 'tech'), ("云栖", "网络科技", 'tech'),
    ("智联", "软件", 'tech'), ("芯动", "微电子", 'tech'),
    ("数联", "数据科技", 'tech'), ("光启", "智能装备", 'tech'),
    ("顺安", "物流", 'transport'), ("速达", "货运", 'transport'),
    ("通衢", "运输", 'transport'), ("畅行", "汽车服务", 'transport'),
    ("山水", "文化传媒", 'culture'), ("钱塘", "旅行社", 'culture'),
    ("悦动", "体育发展", 'culture'), ("书香", "文化", 'culture'),
    ("星光", "娱乐", 'culture'), ("启明", "教育科技", 'culture'),
    ("康宁", "大药房连锁", 'health'), ("仁和", "医疗器械", 'health'),
    ("颐养", "健康管理", 'health'), ("福寿", "养老服务", 'health'),
    ("百草堂", "医药", 'health'), ("博远", "咨询", 'trade'),
    ("天成", "机械制造", 'tech'), ("协力", "包装", 'trade'),
    ("新禾", "电子商务", 'tech'), ("盛世", "物业管理", 'build'),
    ]

SUPPLEMENT_PROBLEMS = ["未提供原件", "复印件不清晰", "未签字或未加盖公章",
    "证件已过有效期", "申请表填写不完整", "与系统登记信息不一致"]

REJECTION_REASONS = [
    "经核查，申请材料反映的情况与实际不符，不符合法定条件。",
    "经现场核查，经营场所不符合相关规范要求，不予许可。",
    "申请人不具备该事项规定的主体资格。",
    "申请事项依法不属于本机关职权范围，已告知向有关机关申请。",
    "所附技术报告结论不满足审批要求，建议修改后重新申报。",
    "申请人在规定期限内未能提供依法应当提交的证明材料。",
    ]

WITHDRAWAL_REASONS = [
    "申请人主动申请撤回。",
    "申请人因项目调整，申请撤回后重新申报。",
    "申请人已通过网上渠道另行提交申请。",
    "申请人需补充其他审批材料，申请撤回。",
    ]

NOTES = ["已告知申请人可选择免费邮寄送达。", "预约办理。", "延时服务时段受理。",
    "已向申请人一次性告知办理流程。", None, None, None, None, None, None]
NOTE_ELDERLY = "申请人为老年人，已提供帮办服务。"
NOTE_ENTERPRISE = "企业开办“一件事”联办。"

# ---------------------------------------------------------------------------
# Free certificate delivery (免费证照寄递, module hall_delivery)
# ---------------------------------------------------------------------------

# The demo city is fictional; the delivery addresses are real ones of
# 杭州市, 浙江省, whose divisions (GB/T 2260) are imported.
DELIVERY_PROVINCE = '33'
DELIVERY_PROVINCE_NAME = "浙江省"
DELIVERY_CITY_CODE = '330100'
DELIVERY_CITY_NAME = "杭州市"
# (GB/T 2260 code, district, weight, postal codes, streets): the streets of
# the demo (STREETS) are those of 滨江区, where most applicants live; the
# others are where some ask the certificate to be sent (office, family).
DELIVERY_DISTRICTS = [
    ('330108', "滨江区", 12, ['310051', '310052', '310053'], None),
    ('330106', "西湖区", 3, ['310012', '310013'], [
            "文三路", "文二路", "天目山路", "古墩路", "教工路", "学院路",
            "文一西路"]),
    ('330102', "上城区", 2, ['310002', '310016', '310020'], [
            "望江路", "秋涛路", "钱江路", "富春路", "婺江路", "江锦路"]),
    ('330105', "拱墅区", 2, ['310005', '310011', '310014'], [
            "莫干山路", "湖墅南路", "上塘路", "登云路", "大关路",
            "丽水路"]),
    ]

# The delivery clerk (寄递专员) of the issuing windows (F03, F04), who
# packs, hands over and follows the deliveries: (name, gender).
DELIVERY_CLERK = ("陆晓岚", 'F')
DELIVERY_CLERK_LOGIN = 'jidi'

# Couriers under contract with the bureau.  contract: (years from this
# year, month, day) of the start and the end; tiers: (up to kg, price of a
# piece); extra_kg: price of each started kilogram over the last tier;
# agents: who comes to take the pieces (signs the handover sheet); the
# other texts are those of the courier's tracking events.
COURIERS = [
    {
        'key': 'ems',
        'party': "中国邮政速递物流股份有限公司",
        'short': "EMS",
        'website': 'https://www.ems.com.cn',
        'service_code': "EMS政务寄递",
        'contract': ((-1, 1, 1), (1, 12, 31)),
        'tiers': [('0.5', '10.00'), ('1', '12.00'), ('3', '18.00')],
        'extra_kg': '5.00',
        'agents': ["赵建军", "钱卫东"],
        'collector': "揽投员",
        'hub': "杭州邮区中心局",
        'pickup': "杭州市滨江区政务揽投部",
        'office': "杭州市{district}揽投部",
        },
    {
        'key': 'sf',
        'party': "顺丰速运有限公司",
        'short': "顺丰",
        'website': 'https://www.sf-express.com',
        'service_code': "顺丰标快（政务月结）",
        'contract': ((-1, 7, 1), (1, 6, 30)),
        'tiers': [('1', '13.00'), ('2', '15.00'), ('3', '17.00')],
        'extra_kg': '2.00',
        'agents': ["孙浩"],
        'collector': "收派员",
        'hub': "杭州萧山中转场",
        'pickup': "杭州滨江江南大道营业点",
        'office': "杭州{district}营业点",
        },
    ]

# Why a courier brings a piece back (退回).
DELIVERY_RETURN_REASONS = ["地址不详，无法投递", "收件人拒收"]

# The certificates the applications issue, by service: a format with
# {year}, {n} (a serial number), {div} (GB/T 2260 code of the district),
# {date} (of the decision), {ric} (the applicant's identity card number),
# {uscc} (the enterprise's unified social credit code), {letter}, {kind}
# and {grade}.  Only these services offer the free mail delivery; the
# others issue nothing to send.
CERTIFICATES = {
    "企业设立登记": "营业执照（正本、副本） 统一社会信用代码 {uscc}",
    "企业变更登记": "营业执照（变更后正本、副本） 统一社会信用代码 {uscc}",
    "个体工商户设立登记": "个体工商户营业执照 统一社会信用代码 {uscc}",
    "食品经营许可证核发": "食品经营许可证 JY1{div}{n:07d}",
    "药品零售企业经营许可": "药品经营许可证 浙CB571{n:04d}",
    "特种设备使用登记": "特种设备使用登记证 梯11浙A{n:05d}（{yy}）",
    "营业执照遗失补领": "营业执照（补领） 统一社会信用代码 {uscc}",
    "对外贸易经营者备案登记": "对外贸易经营者备案登记表 编号 0{n:07d}",
    "公共场所卫生许可": "卫生许可证 滨卫公证字〔{year}〕第{n:06d}号",
    "娱乐场所经营许可": "娱乐经营许可证 {div}12{n:04d}",
    "旅行社设立许可": "旅行社业务经营许可证 L-ZJ-{n:05d}",
    "出版物零售业务许可": "出版物经营许可证 新出发滨零字第{year}{n:03d}号",
    "道路货物运输经营许可": "道路运输经营许可证 浙交运管许可滨字{div}{n:06d}号",
    "出租汽车驾驶员从业资格证核发": "出租汽车驾驶员从业资格证 {ric}",
    "劳务派遣经营许可": "劳务派遣经营许可证 {div}{year}{n:04d}",
    "设置大型户外广告及在城市建筑物上悬挂张贴宣传品审批":
        "户外广告设置许可决定书 滨城管广许〔{year}〕{n:03d}号",
    "城市建筑垃圾处置核准": "城市建筑垃圾处置核准证 滨城管建核〔{year}〕{n:03d}号",
    "建设工程施工许可证核发": "建筑工程施工许可证 {div}{date:%Y%m%d}{n:02d}01",
    "建设工程竣工验收备案": "竣工验收备案表 滨建竣备〔{year}〕{n:03d}号",
    "商品房预售许可": "商品房预售许可证 滨售许字（{year}）第{n:03d}号",
    "建筑业企业资质核准": "建筑业企业资质证书 D233{n:06d}",
    "建设工程消防验收": "特殊建设工程消防验收意见书 滨建消验字〔{year}〕第{n:04d}号",
    "建设用地规划许可证核发": "建设用地规划许可证 地字第{div}{year}{n:05d}号",
    "建设工程规划许可证核发": "建设工程规划许可证 建字第{div}{year}{n:05d}号",
    "建设项目用地预审与选址意见书核发":
        "建设项目用地预审与选址意见书 用字第{div}{year}{n:05d}号",
    "建设项目环境影响报告表审批": "环境影响报告表审批意见 滨环评批〔{year}〕{n:03d}号",
    "排污许可证核发": "排污许可证 {uscc}001V",
    "城镇污水排入排水管网许可": "城镇污水排入排水管网许可证 浙滨排字第{year}{n:04d}号",
    "取水许可": "取水许可证 取水（浙滨）字〔{year}〕第{n:05d}号",
    "生产建设项目水土保持方案审批": "水土保持方案审批准予许可决定书 滨水许〔{year}〕{n:03d}号",
    "国有建设用地使用权及房屋所有权首次登记":
        "不动产权证书 浙（{year}）滨江市不动产权第{n:07d}号",
    "国有建设用地使用权及房屋所有权转移登记":
        "不动产权证书 浙（{year}）滨江市不动产权第{n:07d}号",
    "不动产抵押权登记": "不动产登记证明 浙（{year}）滨江市不动产证明第{n:07d}号",
    "不动产变更登记": "不动产权证书 浙（{year}）滨江市不动产权第{n:07d}号",
    "居民身份证换领": "居民身份证 {ric}",
    "居民身份证首次申领": "居民身份证 {ric}",
    "居住证签发": "浙江省居住证 {ric}",
    "普通护照签发": "普通护照 E{letter}{n:07d}",
    "往来港澳通行证及签注签发": "往来港澳通行证 C{letter}{n:07d}",
    "社会保障卡申领、补领、换领": "社会保障卡 社会保障号码 {ric}",
    "就业创业证申领": "就业创业证 {div}{year}{n:06d}",
    "护士执业注册": "护士执业证书 {year}33{n:06d}",
    "教师资格认定": "教师资格证书 {year}33{n:09d}",
    "民办培训机构设立审批": "民办学校办学许可证 教民1{div}{n:06d}号",
    "基层法律服务工作者执业核准": "基层法律服务工作者执业证 33010{n:07d}",
    "残疾人证核发": "中华人民共和国残疾人证 {ric}{kind}{grade}",
    }
