# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Demo of the 12345 hotline (module hall_hotline), loaded by scripts/demo.py
after the hall: an operator (huawu01), a dispatcher (paidan01), a
supervisor (duban01) and the liaisons of eight of the demo's departments
(chengban01..08); the supervising leader is the demo's leader.

A month of work orders ending today, played through the workflow by the
user of each step with the server's clock set to its moment: the calls
(most to 12345, some orders of the provincial platform), their callers
(some anonymous, some calling again), the categories 咨询 to 效能投诉 about
a window of the hall.  Most orders are closed after their follow-up call,
many consultations are concluded at once; some are returned and
transferred, some answers sent back, some orders redone for an unsatisfied
caller; a wage arrears complaint goes through three departments and is
escalated to the leader.  The last days' orders are still open in every
state, a few left unsigned or unanswered past their deadline; the cron of
the deadlines runs last, flagging them and telling the liaisons.

Deterministic: its own random generator."""
import csv
import datetime as dt
import io
import random
from collections import Counter
from pathlib import Path

from proteus import Model, Wizard
from trytond.modules.hall import clock as hall_clock

import demo_data as D
from demo_tools import (
    ModuleDemo, SimClock, WorkingDays, create_staff, demo_language,
    make_mobile, new_user, role_of)

SEED = 2029
DAYS = 30
# Calls a day: on working days, on the other days
CALLS = (6, 3)

OPERATOR = ('huawu01', "方晓雯")
# The format of the provincial platform's export, as the operators import it
PLATFORM_SAMPLE = (
    Path(__file__).resolve().parent.parent / 'docs'
    / '12345-platform-sample.csv')
DISPATCHER = ('paidan01', "蒋振宇")
SUPERVISOR = ('duban01', "葛丽萍")
# (login, name, department code)
LIAISONS = [
    ('chengban01', "邵建新", 'SCJG'),
    ('chengban02', "潘玉梅", 'RS'),
    ('chengban03', "俞国华", 'ZJ'),
    ('chengban04', "严立军", 'CG'),
    ('chengban05', "金晓红", 'STHJ'),
    ('chengban06', "汤志平", 'JT'),
    ('chengban07', "施雅琳", 'YB'),
    ('chengban08', "陶建明", 'GA'),
    ]
ROLE_LABELS = {
    'operator': "话务员 hotline operator",
    'dispatcher': "派单员 hotline dispatcher",
    'supervisor': "热线督办员 hotline supervisor",
    'liaison': "承办人员 department liaison",
    }

# The hours of each role (local time): the operators take calls day and
# night, the dispatchers and supervisors work every day, the departments'
# liaisons answer on working days and sign for orders every day (on duty)
HOTLINE_HOURS = (dt.time(8, 0), dt.time(20, 0))
OFFICE_HOURS = (dt.time(8, 30), dt.time(17, 30))

SOURCES = [('call', 80), ('province', 12), ('web', 4), ('wechat', 4),
    ('letter', 1)]
# The calls about a window: to 12345 or at the hall's complaint desk
WINDOW_SOURCES = ['call', 'hall']
# Share of the callers who give no name, and of the orders dispatched with
# an assisting department
ANONYMOUS = 0.08
ASSISTED = 0.12
# Shares of the dispatched orders: returned by a department that is not in
# charge, their answer sent back, redone after the follow-up call, whose
# caller is not reached; a department late to sign for or to answer
TRANSFERRED = 0.06
SENT_BACK = 0.05
REDONE = 0.04
UNREACHED = 0.08
LATE_SIGN = 0.06
LATE_ANSWER = 0.05
# Share of the consultations the operator concludes at once (直接办结)
CONCLUDED = 0.7
# Orders the departments leave aside, by days back of their dispatch: not
# signed for, signed for but not answered (overdue by now)
NOT_SIGNED = [2, 3, 5]
NOT_ANSWERED = [8, 9, 11, 13]
# The latest orders still waiting after these steps, at least: registered,
# returned, answered (to review), approved (to follow up)
WAITING = [('register', 3), ('return', 1), ('answer', 3), ('approve', 4)]

PLATE_CHARACTERS = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ'
ESTATES = ["江南春晓苑", "滨盛花园", "星耀城", "阳光水岸", "钱塘名苑",
    "长河人家", "浦沿新村", "东冠小区", "缤纷北苑", "江晖嘉园", "春波小区",
    "闻涛雅苑"]

# Topics of the calls: (department, category, urgency, subject (or the ways
# callers put it), content, reply).  {street}, {no}, {estate}, {building},
# {line} and {plate} are filled in for each order.
TOPICS = [
    # 市场监督管理局
    ('SCJG', 'complaint', 'normal', "{street}{no}号餐馆油烟扰民",
        "{street}{no}号的餐馆油烟直排，正对{estate}住户窗户，晚上十点后仍在"
        "营业，油烟和噪音很大，希望尽快处理。",
        "已现场检查，该餐馆未安装油烟净化设施，已责令限期加装并停止夜间"
        "露天经营，将跟踪复查。"),
    ('SCJG', 'complaint', 'normal', "{street}{no}号电器店拒绝退换故障商品",
        "在{street}一家电器门店购买的空气炸锅使用三天就坏了，商家以已拆封为"
        "由拒绝退换，要求市场监管部门协调。",
        "已联系商家调解，商家同意按“三包”规定更换新品，市民已领取。"),
    ('SCJG', 'report', 'normal', "{street}{no}号超市销售过期食品",
        "{street}{no}号某超市货架上有过期的酸奶和面包，已拍照留存，请求"
        "查处。",
        "执法人员现场检查，查获过期食品十二件，已依法立案调查并责令全面"
        "自查下架。"),
    ('SCJG', 'complaint', 'normal', "{street}{no}号培训机构停课不退费",
        "孩子在{street}某培训机构报的课程，机构突然停课，剩余课时费不予"
        "退还，涉及三十多名家长。",
        "已约谈机构负责人，机构承诺分三期退还剩余课时费，已建立家长联络群"
        "跟进退费进度。"),
    ('SCJG', 'consultation', 'normal', ("开奶茶店需要办理哪些证照", "咨询个体工商户营业执照办理",
        "咨询食品经营许可证申请材料", "开小吃店如何办理营业执照"),
        "想在{street}开一家奶茶店，咨询营业执照和食品经营许可证需要哪些"
        "材料，能否网上办理。",
        "已告知可通过浙江政务服务网或市民中心A区企业开办窗口办理，需身份"
        "证、经营场所使用证明，食品经营许可证可同步申请。"),
    ('SCJG', 'help', 'urgent', "{estate}{building}幢电梯困人后仍未检修",
        "{estate}{building}幢电梯本周两次困人，物业只是重启了事，老人小孩"
        "不敢坐，请特种设备部门检查。",
        "特种设备安全监察人员已到场检查，责令维保单位更换门锁装置并停梯"
        "检修，已复检合格恢复运行。"),
    # 人力资源和社会保障局
    ('RS', 'complaint', 'urgent', "{street}{no}号在建工地欠薪三个月",
        "我们在{street}某在建工地干了三个月，包工头拖欠工资共十余万元，"
        "多次讨要无果，工友们反映欠薪问题一直没人管。",
        "已会同住建部门约谈施工总承包单位，责令通过农民工工资专用账户支付，"
        "欠薪已于本周全部兑付。"),
    ('RS', 'consultation', 'normal', ("灵活就业人员如何参加养老保险", "咨询灵活就业社保缴费基数",
        "自由职业者社保怎么缴纳"),
        "咨询灵活就业人员如何在本市参加职工养老保险，每月缴费基数怎么选。",
        "已告知可通过浙里办或社保经办窗口办理参保登记，缴费基数可在当年度"
        "上下限之间自选，按月缴费。"),
    ('RS', 'help', 'normal', ("失业保险金申领后未到账", "失业金审核通过后迟迟未发放",
        "失业保险金发放进度查询"),
        "上月在网上申领了失业保险金，审核通过后一直没有到账，想问问原因。",
        "已核实申领材料齐全，因社保卡金融账户未激活导致发放失败，已指导"
        "激活，款项已重新发放。"),
    ('RS', 'complaint', 'normal', "{street}{no}号某公司不签劳动合同不缴社保",
        "入职{street}一家公司已半年，公司一直不签劳动合同，也不缴纳社保，"
        "请求劳动监察处理。",
        "劳动保障监察大队已立案调查，责令用人单位补签劳动合同并补缴社会"
        "保险费。"),
    ('RS', 'report', 'very_urgent', "{street}{no}号厂区门口工人拉横幅讨薪",
        "{street}某厂区门口有十多名工人拉横幅讨薪，情绪激动，担心发生"
        "冲突。",
        "已会同属地街道和公安现场处置，企业承诺三日内结清工资，现场秩序"
        "已恢复，将跟踪兑付情况。"),
    # 住房和城乡建设局
    ('ZJ', 'complaint', 'normal', "{estate}物业不作为公共区域无人保洁",
        "{estate}小区物业费照收，楼道和地下车库一个月没人打扫，投诉物业"
        "没有回应。",
        "已约谈物业服务企业，责令按合同恢复保洁频次，并纳入物业服务质量"
        "考评。"),
    ('ZJ', 'complaint', 'normal', "{street}工地夜间施工噪音扰民",
        "{street}某工地连续多晚施工到凌晨一两点，噪音很大，严重影响附近"
        "居民休息。",
        "已现场核查，该工地未办理夜间施工证明，已责令停止夜间施工并立案"
        "处罚。"),
    ('ZJ', 'consultation', 'normal', ("外地户籍能否申请公租房", "咨询公租房申请条件",
        "新市民申请保障性租赁住房咨询"),
        "咨询外地户籍在本市工作能否申请公租房，需要满足哪些条件。",
        "已告知在本市连续缴纳社保满一年、本人及家庭在本市无房即可申请，"
        "可在浙里办住房保障专区提交申请。"),
    ('ZJ', 'help', 'normal', "{estate}{building}幢顶楼漏水维修求助",
        "{estate}小区{building}幢顶楼屋面漏水严重，雨天屋内积水，维修资金"
        "申请流程复杂，请求帮助。",
        "已协调街道和物业启动维修资金应急使用程序，施工单位已进场维修屋面"
        "防水。"),
    ('ZJ', 'complaint', 'very_urgent', "{estate}延期交房业主准备拉横幅维权",
        "{estate}项目延期交房已超过半年，开发商一直不给说法，近百名业主"
        "准备到售楼处拉横幅维权。",
        "已约谈开发企业并召开业主沟通会，明确交付时间和逾期违约金，业主"
        "情绪平稳。"),
    # 城市管理局
    ('CG', 'complaint', 'normal', "{street}地铁口流动摊贩占道经营",
        "{street}地铁口每天晚上都有流动摊贩占道经营，行人通行困难，垃圾"
        "也没人清理。",
        "城管中队已加强夜间巡查，引导摊贩进入规范疏导点经营，现场已清理。"),
    ('CG', 'complaint', 'normal', "{estate}垃圾清运不及时",
        "{estate}小区门口垃圾房满溢好几天了，气味很大，夏天蚊蝇多。",
        "已督促环卫作业单位将清运频次增加至每日两次，并对垃圾房清洗消毒。"),
    ('CG', 'report', 'normal', "{estate}一楼住户违章搭建",
        "{estate}小区{building}幢一楼住户在绿化带私自搭建阳光房，请查处。",
        "执法人员现场核实，已下达限期拆除通知书，当事人已自行拆除。"),
    ('CG', 'suggestion', 'normal', "建议{street}增设非机动车停放点",
        "{street}沿线共享单车乱停乱放，建议增设非机动车停放点并加强管理。",
        "已会同交警部门在{street}沿线新增施划非机动车停放区三处，并督促"
        "运营企业及时调度。"),
    ('CG', 'help', 'normal', "{street}{no}号附近路灯不亮",
        "{street}{no}号附近一段路灯坏了一周，晚上很黑，存在安全隐患。",
        "已安排路灯维护单位更换灯具，路灯已恢复照明。"),
    # 生态环境局
    ('STHJ', 'complaint', 'urgent', "{street}企业夜间排放刺激性气味",
        "{street}附近有企业晚上排放刺激性气味，周边{estate}居民关窗都能"
        "闻到，影响健康。",
        "执法人员夜间突击检查，该企业废气处理设施未正常运行，已责令整改"
        "并立案查处。"),
    ('STHJ', 'report', 'normal', "{street}附近河道排污口排放黑臭污水",
        "{street}附近河道有一个排污口，晚上排放黑臭污水，河面有死鱼。",
        "已对排污口溯源排查，系周边餐饮店违规接入雨水管，已责令整改并"
        "处罚，河道已清理。"),
    ('STHJ', 'consultation', 'normal', ("小型加工厂是否需要办理环评", "咨询小作坊环评审批流程",
        "咨询建设项目环评登记表备案"),
        "咨询在{street}新开一家小型木制品加工厂是否需要办理环评，流程和"
        "时限是什么。",
        "已告知对照建设项目环境影响评价分类管理名录确定类别，登记表项目"
        "网上备案即可，报告表项目承诺时限二十个工作日。"),
    ('STHJ', 'complaint', 'normal', "{estate}底商空调外机噪音扰民",
        "{estate}底商一排空调外机正对住户，夜里噪音很大，睡不着觉。",
        "已现场监测噪声超标，责令商户移位安装并加装隔音罩，复测已达标。"),
    # 交通运输局
    ('JT', 'complaint', 'normal', "出租车浙A·{plate}拒载短途乘客",
        "在{street}打车，出租车司机嫌路程近拒载，车牌号浙A·{plate}。",
        "已调取车辆营运记录核实，对驾驶员依法处罚并纳入服务质量信誉考核。"),
    ('JT', 'suggestion', 'normal', "建议增开{street}至地铁站公交接驳线",
        "{estate}居民去地铁站要走二十分钟，建议增开{street}至地铁站的公交"
        "接驳线。",
        "已纳入公交线网优化方案，将在下季度开展客流调查后研究开通。"),
    ('JT', 'complaint', 'normal', "{line}路公交车不按站点停靠",
        "{line}路公交车在{street}站经常不停靠，早上等了半小时没车停。",
        "已约谈公交公司，对相关驾驶员批评教育并扣减考核分，加强站点停靠"
        "管理。"),
    ('JT', 'consultation', 'normal', ("网约车驾驶员证怎么办理", "咨询网约车从业资格考试报名",
        "开网约车需要办哪些证"),
        "咨询在本市开网约车需要办理什么证件，考试在哪里报名。",
        "已告知需取得网络预约出租汽车驾驶员证，可通过浙里办报名全国公共"
        "科目和区域科目考试。"),
    # 医疗保障局
    ('YB', 'consultation', 'normal', ("异地就医备案怎么办理", "父母在外省就医如何备案",
        "咨询异地就医直接结算", "咨询长期居住异地备案"),
        "父母在外省居住，咨询异地就医备案如何办理，报销比例有什么不同。",
        "已告知可通过国家医保服务平台APP或浙里办线上备案，备案后在就医地"
        "定点医院直接结算。"),
    ('YB', 'consultation', 'normal', ("医保家庭共济怎么开通", "医保个人账户能否给父母用",
        "咨询医保家庭共济绑定"),
        "咨询医保个人账户家庭共济怎么开通，能不能给父母用。",
        "已告知可在浙里办医保服务专区绑定近亲属，开通后个人账户可支付"
        "家属就医费用。"),
    ('YB', 'report', 'normal', "{street}{no}号药店用医保卡卖生活用品",
        "{street}某药店允许用医保卡购买洗发水和保健品，涉嫌违规套取医保"
        "基金。",
        "已对该药店开展专项检查，暂停其医保结算资格并立案调查。"),
    ('YB', 'help', 'normal', ("医保报销款长时间未到账", "住院费用手工报销未到账",
        "咨询医保零星报销进度"),
        "三个月前提交的住院费用手工报销，至今没有到账。",
        "已核实系银行账户信息有误被退回，已指导更正账户，款项已重新发放。"),
    # 公安局
    ('GA', 'consultation', 'normal', ("新生儿落户需要什么材料", "咨询新生儿申报户口",
        "出生一件事怎么办理"),
        "孩子刚出生，咨询新生儿落户需要准备哪些材料，能否网上办理。",
        "已告知可通过浙里办“出生一件事”联办，需出生医学证明、父母户口簿"
        "和结婚证。"),
    ('GA', 'complaint', 'normal', "{estate}广场舞音响声音过大",
        "{estate}小区广场每晚跳广场舞到十点多，音响声音很大，影响孩子学习。",
        "已联系社区民警上门劝导，组织者同意晚上九点前结束并降低音量。"),
    ('GA', 'help', 'urgent', "{street}附近老人走失求助",
        "家中老人有认知障碍，早上在{street}附近走失，请求帮助寻找。",
        "属地派出所已调取监控协助寻找，老人已于当天下午找到并送回家中。"),
    ]

# 效能投诉 and 表扬 about a window of the hall: (days back, window,
# topic); {window} is filled with the window's number and name
WINDOW_TOPICS = [
    (25, 'C10', ('GA', 'efficiency', 'normal',
        "户政窗口未一次性告知所需材料",
        "在市民中心{window}窗口办理户口迁移，工作人员说材料不全但没有一次"
        "说清楚，来回跑了三趟。",
        "经调取窗口监控和办件记录核实，工作人员未落实一次性告知制度，已"
        "批评教育并纳入月度考核，已向市民致歉。")),
    (14, 'A03', ('SCJG', 'efficiency', 'normal',
        "企业开办窗口工作人员态度生硬",
        "在{window}窗口办理营业执照变更，工作人员办理时接打私人电话，问"
        "问题也不耐烦。",
        "经核实情况属实，已对该工作人员诫勉谈话，窗口开展服务规范培训。")),
    (6, 'C10', ('GA', 'praise', 'normal', "表扬户政窗口工作人员耐心细致",
        "在{window}窗口为八十多岁的母亲办理身份证，工作人员全程帮办，很"
        "耐心，特此表扬。",
        "感谢市民的肯定，已在单位内部通报表扬。")),
    ]

# A department that takes a topic for its own and returns it: (lead, the
# department first dispatched to, return reason)
RETURNS = {
    'SCJG': ('CG', "经核实，该事项属市场监管部门职责，不属本单位管辖，请"
        "改派。"),
    'RS': ('ZJ', "该事项属劳动保障监察职责，请改派人社部门。"),
    'ZJ': ('CG', "工地施工管理属住建部门职责，请改派。"),
    'CG': ('ZJ', "占道及市容问题属城管部门职责，请改派。"),
    'STHJ': ('CG', "该事项涉及污染排放，属生态环境部门职责，请改派。"),
    'JT': ('GA', "出租车及公交营运服务属交通运输部门职责，请改派。"),
    'YB': ('RS', "医保报销事项属医疗保障部门职责，请改派。"),
    'GA': ('CG', "治安及户政事项属公安部门职责，请改派。"),
    }
# The department that assists the lead one, when one does
ASSISTING = {'SCJG': 'CG', 'RS': 'ZJ', 'ZJ': 'CG', 'CG': 'ZJ',
    'STHJ': 'CG', 'JT': 'GA', 'YB': 'SCJG', 'GA': 'CG'}
MEASURES = {
    'complaint': "现场核查，约谈当事单位，下达责令整改通知书。",
    'report': "现场检查取证，依法立案调查。",
    'help': "联系求助人了解情况，协调相关单位处置。",
    'efficiency': "调取窗口监控和办件记录，约谈当事工作人员。",
    }
SENT_BACK_REASONS = [
    "答复未说明具体整改措施和完成时限，请补充后重新答复。",
    "答复内容与诉求不对应，请核实后重新答复。",
    "未写明与来电人沟通情况，请补充。",
    ]
UNSATISFIED_NOTES = ["问题仍未解决，来电人表示不满意", "来电人反映整改后又恢复原状",
    "来电人认为答复敷衍，未实地查看"]
UNREACHED_NOTES = ["三次回访均未接通", "来电人电话关机", "号码无人接听，已发短信告知"]
DISPATCH_NOTES = ["请按时限办理并答复来电人。", "请核实情况后依法处理。",
    "来电人情绪较急，请尽快联系。"]

# Besides the calls of each day: a wage arrears complaint (days back)
# returned by two departments before the one in charge, whose dispatch
# escalates it to the leader
ESCALATED_DAYS = 9
ESCALATED_RETURNS = [
    ('CG', "欠薪问题不属城市管理职责，请改派。"),
    ('ZJ', "该事项属劳动保障监察职责，请改派人社部门。"),
    ]
ESCALATED_TOPIC = ('RS', 'complaint', 'urgent',
    "{street}工地欠薪工人扬言集体上访",
    "{street}某安置房工地四十多名工人被拖欠工资近半年，总包和分包互相"
    "推诿，工人们说再不解决就去市里集体上访。",
    "已会同住建部门、属地街道约谈总包和分包单位，启动欠薪应急周转金先行"
    "垫付，工资正在分批发放。")
# A subject many callers called about (a repeated subject) and the days
# back of their calls
SHARED_TOPIC = ('ZJ', 'complaint', 'normal', "滨盛路地铁施工夜间噪音扰民",
    "滨盛路地铁站施工围挡内夜间持续打桩，凌晨还在作业，附近几个小区的"
    "居民都睡不好。",
    "已约谈地铁建设单位，夜间禁止高噪声作业，确需连续施工的须办理夜间"
    "施工证明并公示。")
SHARED_DAYS = [20, 17, 12, 4]
# Callers who call again about their order (催办), days after their call
CALLING_AGAIN = 6
CALL_AGAIN_AFTER = [2, 3, 4]


def load(cfg, company, password_of, say):
    return HotlineDemo(cfg, company, password_of, say).run()


class Step:
    "A step of a work order, taken by a user at a local moment"

    def __init__(self, moment, action, login, **values):
        self.moment = moment
        self.action = action
        self.login = login
        self.values = values


class Call:
    "A call to the hotline and the steps its work order goes through"

    def __init__(self, topic, moment, values, reply):
        self.index = None
        self.topic = topic
        self.moment = moment
        self.values = values
        self.reply = reply
        self.steps = []
        self.order_id = None
        self.left_open = False

    @property
    def department(self):
        return self.topic[0]

    @property
    def category(self):
        return self.topic[1]

    @property
    def urgency(self):
        return self.topic[2]


class HotlineDemo(ModuleDemo):

    def run(self):
        self.rng = random.Random(SEED)
        self.days = WorkingDays()
        self.now = hall_clock.to_local(hall_clock.utcnow(), D.TIMEZONE)
        self.contexts = {}
        self.admin = (self.cfg.user, self.cfg._context)
        self.login = None
        lines = self.create_users()
        self.configure()
        self.find_places()
        calls = self.plan_calls()
        self.play(calls)
        self.import_platform_orders()
        self.check_deadlines()
        self.summary()
        return lines

    # -- users and configuration ---------------------------------------------

    def create_users(self):
        """The hotline's staff, and the users of the departments acting for
        them (liaisons, not employees of the company)"""
        User = Model.get('res.user')
        Liaison = Model.get('hall.hotline.liaison')
        Department = Model.get('hall.department')
        users = []
        lines = []
        for kind, (login, name) in [('operator', OPERATOR),
                ('dispatcher', DISPATCHER), ('supervisor', SUPERVISOR)]:
            users += create_staff(self.cfg, self.company, self.password_of,
                [(login, name)], 'hall_hotline', f'role_hotline_{kind}')
            lines.append(self.login_line(login, ROLE_LABELS[kind], name))
        role = role_of(self.cfg, 'hall_hotline', 'role_hotline_liaison')
        language = demo_language()
        liaisons = [new_user(self.company, login, name,
                self.password_of(login), role, language)
            for login, name, _ in LIAISONS]
        User.save(liaisons)
        self.users = {u.login: u for u in users + liaisons}
        self.departments = {d.code: d for d in Department.find([
                    ('code', 'in', [c for _, _, c in LIAISONS]),
                    ])}
        phones = {code: phone for code, _, _, phone in D.DEPARTMENTS}
        Liaison.save([Liaison(department=self.departments[code],
                    user=self.users[login], phone=phones[code])
                for login, _, code in LIAISONS])
        self.liaison_of = {code: login for login, _, code in LIAISONS}
        for login, name, code in LIAISONS:
            lines.append(self.login_line(login, ROLE_LABELS['liaison'],
                    f"{self.departments[code].name}, {name}"))
        return lines

    def login_line(self, login, label, name):
        return f"{login:<9} / {self.password_of(login):<20} {label} ({name})"

    def configure(self):
        "The supervisor names the demo's leader as the supervising leader"
        User = Model.get('res.user')
        Configuration = Model.get('hall.hotline.configuration')
        leader, = User.find([('login', '=', 'leader')])
        self.act_as(SUPERVISOR[0])
        configuration = Configuration(1)
        configuration.supervising_leader = User(leader.id)
        configuration.save()
        self.act_as(None)

    def find_places(self):
        """The district of the demo city, if the divisions were imported,
        and the windows complained about with the clerk last rostered there"""
        Subdivision = Model.get('country.subdivision')
        HallWindow = Model.get('hall.window')
        Shift = Model.get('hall.roster.shift')
        districts = Subdivision.find([('code', '=', f'CN-{D.CITY_DIVISION}')])
        self.district = districts[0].id if districts else None
        self.windows = {}
        for _, number, _ in WINDOW_TOPICS:
            window, = HallWindow.find([('number', '=', number)])
            shifts = Shift.find([('window', '=', window.id)],
                order=[('date', 'DESC')], limit=1)
            self.windows[number] = (window.name, window.id,
                shifts[0].employee.id if shifts else None)

    def act_as(self, login):
        "Click as the user `login` (None: the admin), with a login's context"
        User = Model.get('res.user')
        self.login = login
        if login is None:
            self.cfg.user, self.cfg._context = self.admin
            return
        user_id = self.users[login].id
        if user_id not in self.contexts:
            self.cfg.user = user_id
            self.contexts[user_id] = User.get_preferences(True, {})
        self.cfg.user = user_id
        self.cfg._context = self.contexts[user_id]

    # -- the plan ------------------------------------------------------------

    def plan_calls(self):
        "The calls of the month and the steps of their orders, by moment"
        rng = self.rng
        calls = []
        first = self.now.date() - dt.timedelta(days=DAYS)
        for offset in range(DAYS + 1):
            day = first + dt.timedelta(days=offset)
            n = CALLS[0] if self.days.is_working(day) else CALLS[1]
            for _ in range(rng.randint(n - 2, n + 2)):
                moment = self.call_moment(day)
                if moment < self.now:
                    calls.append(self.new_call(rng.choice(TOPICS), moment))
        for day_back, window, topic in WINDOW_TOPICS:
            calls.append(self.new_call(topic, self.call_moment(
                        self.now.date() - dt.timedelta(days=day_back)),
                    window))
        for day_back in SHARED_DAYS:
            calls.append(self.new_call(SHARED_TOPIC, self.call_moment(
                        self.now.date() - dt.timedelta(days=day_back))))
        calls.sort(key=lambda c: c.moment)
        for call in calls:
            self.plan_steps(call)
        calls.extend(self.plan_calls_again(calls))
        self.leave_aside(calls)
        self.leave_waiting(calls)
        calls.append(self.plan_escalated())
        calls.extend(self.plan_drafts(calls))
        for index, call in enumerate(calls):
            call.index = index
        return calls

    def call_moment(self, day):
        "A moment of `day` someone calls: mostly in the day, a few at night"
        rng = self.rng
        hour = rng.choices(range(24), [1, 1, 0, 0, 0, 0, 1, 2, 6, 9, 9, 8,
                5, 6, 8, 8, 7, 6, 5, 5, 4, 3, 2, 1])[0]
        return dt.datetime.combine(day, dt.time(hour, rng.randrange(60)))

    def new_call(self, topic, moment, window=None):
        "A call on `topic` (about the window numbered `window`, if any)"
        rng = self.rng
        source = (rng.choice(WINDOW_SOURCES) if window
            else rng.choices(*zip(*SOURCES))[0])
        department, category, urgency, subject, content, reply = topic
        if isinstance(subject, tuple):
            subject = rng.choice(subject)
        fill = {
            'street': rng.choice(D.STREETS),
            'no': rng.randrange(1, 900),
            'estate': rng.choice(ESTATES),
            'building': rng.randrange(1, 30),
            'line': rng.choice([101, 106, 112, 145, 186, 'B支3']),
            'plate': 'D' + ''.join(rng.choice(PLATE_CHARACTERS)
                for _ in range(4)),
            'window': window and f"{window}号{self.windows[window][0]}",
            }
        values = {
            'source': source,
            'category': category,
            'urgency': urgency,
            'subject': subject.format(**fill),
            'content': content.format(**fill),
            }
        text = subject + content
        if '{no}' in text:
            values['place'] = f"{D.CITY}{fill['street']}{fill['no']}号"
        elif '{estate}' in text:
            values['place'] = (f"{D.CITY}{fill['estate']}"
                f"{fill['building']}幢")
        elif '{street}' in text:
            values['place'] = D.CITY + fill['street']
        if window:
            values['place'] = D.HALL['address']
            if category == 'efficiency':
                values['window'] = window
        if source == 'province':
            values['platform_number'] = (
                f"ZJ{moment:%Y%m%d}{rng.randrange(10 ** 5):05d}")
        if rng.random() < ANONYMOUS and category != 'efficiency':
            values['anonymous'] = True
            if source == 'call':
                values['caller_phone'] = make_mobile(rng)
        else:
            values['caller_name'] = self.citizen_name()
            values['caller_phone'] = make_mobile(rng)
        return Call(topic, moment, values, reply.format(**fill))

    def citizen_name(self):
        rng = self.rng
        given = rng.choice(D.GIVEN_M if rng.random() < 0.5 else D.GIVEN_F)
        return rng.choice(D.SURNAMES) + given

    def plan_calls_again(self, calls):
        """Callers who call again (催办) about their order not answered after
        a few days: repeated orders"""
        rng = self.rng
        again = []
        for first in rng.sample(calls, len(calls)):
            answers = [s.moment for s in first.steps if s.action == 'answer']
            moment = first.moment + dt.timedelta(
                days=rng.choice(CALL_AGAIN_AFTER), hours=rng.randint(-3, 3))
            if not (first.values.get('caller_name') and answers
                    and moment < min(answers[0], self.now)):
                continue
            call = Call(first.topic, moment, dict(first.values,
                    subject="催办：" + first.values['subject'],
                    content=("来电人称此前反映的问题至今未解决，要求尽快处理。"
                        "原诉求：" + first.values['content']),
                    source='call'), first.reply)
            call.values.pop('platform_number', None)
            self.plan_steps(call)
            again.append(call)
            if len(again) == CALLING_AGAIN:
                break
        return again

    def plan_steps(self, call):
        "The steps of a call's order, cut at now"
        rng = self.rng
        operator, dispatcher, supervisor = (
            OPERATOR[0], DISPATCHER[0], SUPERVISOR[0])
        steps = call.steps
        at = call.moment
        steps.append(Step(at, 'register', operator, **call.values))
        if call.category == 'consultation' and rng.random() < CONCLUDED:
            steps.append(Step(at + dt.timedelta(minutes=rng.randint(3, 9)),
                    'conclude', operator, reply=call.reply))
            self.cut(call)
            return
        lead = call.department
        if rng.random() < TRANSFERRED:
            wrong, reason = RETURNS[lead]
            at = self.hotline_moment(at, 10, 90)
            steps.append(Step(at, 'dispatch', dispatcher, department=wrong))
            at = self.office_moment(at, 30, 300)
            steps.append(Step(at, 'return', self.liaison_of[wrong],
                    reason=reason))
        assisting = (ASSISTING[lead] if rng.random() < ASSISTED
            else None)
        very_urgent = call.urgency == 'very_urgent'
        at = self.hotline_moment(at, 5 if very_urgent else 15,
            15 if very_urgent else 120)
        steps.append(Step(at, 'dispatch', dispatcher, department=lead,
                assisting=assisting, note=rng.choice(DISPATCH_NOTES)
                if rng.random() < 0.3 else None))
        rounds = (2 if rng.random() < REDONE
            and not call.values.get('anonymous') else 1)
        for round_ in range(rounds):
            at = self.department_round(call, at, lead, round_)
            at = self.hotline_moment(at, 60, 600, rng.random() < 0.5)
            last = round_ + 1 == rounds
            steps.append(Step(at, 'close' if last else 'redo', supervisor,
                    **self.follow_up_values(call, last)))
        self.cut(call)

    def follow_up_values(self, call, last):
        """What the supervisor's call back finds: an unsatisfied caller but
        on the `last` round (no call back to anonymous callers)"""
        rng = self.rng
        if call.values.get('anonymous'):
            return {}
        if not last:
            return dict(reached='reached', satisfaction=rng.choice(
                    ['dissatisfied', 'very_dissatisfied']),
                follow_up_note=rng.choice(UNSATISFIED_NOTES))
        if rng.random() < UNREACHED:
            return dict(reached='unreached',
                follow_up_note=rng.choice(UNREACHED_NOTES))
        return dict(reached='reached', satisfaction=rng.choices(
                ['very_satisfied', 'satisfied', 'basic'], [60, 30, 10])[0])

    def department_round(self, call, at, lead, round_):
        """The lead department signs for the order and answers it; the
        dispatcher approves the answer (sending it back first, sometimes);
        return the moment of the approval"""
        rng = self.rng
        liaison = self.liaison_of[lead]
        urgency = call.urgency
        if urgency == 'very_urgent':
            at += dt.timedelta(minutes=rng.randint(10, 40))
        elif rng.random() < LATE_SIGN:
            at = self.office_moment(at + dt.timedelta(hours=30), 0, 300)
        else:
            at = self.office_moment(at, 10 if urgency == 'urgent' else 30,
                60 if urgency == 'urgent' else 360)
        call.steps.append(Step(at, 'sign', liaison))
        if urgency == 'very_urgent':
            at += dt.timedelta(hours=rng.randint(3, 20))
        else:
            limit = (2 if urgency == 'urgent'
                else 3 if call.category == 'consultation' else 5)
            days = rng.randint(0, limit - 1)
            if rng.random() < LATE_ANSWER:
                days = limit + rng.randint(1, 2)
            at = self.working_day_moment(at, days)
        reply = call.reply
        measures = MEASURES.get(call.category)
        if round_:
            reply = "经再次现场核查并督促整改，" + reply
        call.steps.append(Step(at, 'answer', liaison, reply=reply,
                measures=measures))
        if rng.random() < SENT_BACK:
            at = self.hotline_moment(at, 30, 240)
            call.steps.append(Step(at, 'reject', DISPATCHER[0],
                    reason=rng.choice(SENT_BACK_REASONS)))
            at = self.working_day_moment(at, 1)
            call.steps.append(Step(at, 'answer', liaison,
                    reply=reply + "已于次日回访来电人，来电人认可处理结果。",
                    measures=measures))
        at = self.hotline_moment(at, 30, 300)
        call.steps.append(Step(at, 'approve', DISPATCHER[0]))
        return at

    def leave_aside(self, calls):
        """Orders the departments leave aside: dispatched the days back
        given, not signed for, or signed for but not answered"""
        for days_back, keep in ([(d, 'dispatch') for d in NOT_SIGNED]
                + [(d, 'sign') for d in NOT_ANSWERED]):
            day = self.now.date() - dt.timedelta(days=days_back)
            for call in calls:
                actions = [s.action for s in call.steps]
                if (call.left_open or call.urgency != 'normal'
                        or 'return' in actions or 'dispatch' not in actions
                        or call.steps[actions.index('dispatch')].moment.date()
                        != day):
                    continue
                last = actions.index(keep)
                if last + 1 < len(actions):
                    del call.steps[last + 1:]
                    call.left_open = True
                    break

    def leave_waiting(self, calls):
        "The latest orders wait after each step of WAITING"
        for action, count in WAITING:
            waiting = sum(1 for c in calls
                if c.steps and c.steps[-1].action == action)
            latest = sorted(((n, c) for c in calls if not c.left_open
                    for n, s in enumerate(c.steps[:-1])
                    if s.action == action),
                key=lambda t: t[1].steps[t[0]].moment, reverse=True)
            for n, call in latest[:max(0, count - waiting)]:
                del call.steps[n + 1:]
                call.left_open = True

    def plan_escalated(self):
        """The wage arrears complaint: returned by two departments, the
        third dispatch escalates it; the department in charge is at it"""
        call = self.new_call(ESCALATED_TOPIC, self.call_moment(
                self.now.date() - dt.timedelta(days=ESCALATED_DAYS)))
        at = call.moment
        call.steps.append(Step(at, 'register', OPERATOR[0], **call.values))
        for department, reason in ESCALATED_RETURNS:
            at = self.hotline_moment(at, 20, 60)
            call.steps.append(Step(at, 'dispatch', DISPATCHER[0],
                    department=department))
            at = self.office_moment(at, 60, 240)
            call.steps.append(Step(at, 'return',
                    self.liaison_of[department], reason=reason))
        lead = call.department
        at = self.hotline_moment(at, 20, 60)
        call.steps.append(Step(at, 'dispatch', DISPATCHER[0],
                department=lead, assisting=ASSISTING[lead],
                note="已两次转派，请人社部门牵头、住建部门协办，务必化解。"))
        at = self.office_moment(at, 10, 30)
        call.steps.append(Step(at, 'sign', self.liaison_of[lead]))
        return call

    def plan_drafts(self, calls):
        """Just now: an order being typed (a draft), and the last order
        registered typed twice, cancelled"""
        moment = self.now - dt.timedelta(minutes=self.rng.randint(5, 30))
        draft = self.new_call(self.rng.choice(TOPICS), moment)
        draft.steps.append(Step(moment, 'draft', OPERATOR[0], **draft.values))
        last = max((c for c in calls if c.values.get('caller_name')),
            key=lambda c: c.moment)
        twice = Call(last.topic, last.moment + dt.timedelta(minutes=2),
            dict(last.values), last.reply)
        twice.values.pop('platform_number', None)
        twice.steps.append(Step(twice.moment, 'cancel', OPERATOR[0],
                **twice.values))
        return [draft, twice]

    def cut(self, call):
        "Only the steps taken by now"
        call.steps = [s for s in call.steps if s.moment < self.now]
        for index, step in enumerate(call.steps):
            if index and step.moment < call.steps[index - 1].moment:
                del call.steps[index:]
                break

    # -- moments -------------------------------------------------------------

    def hotline_moment(self, at, low, high, next_day=False):
        """`low` to `high` minutes after `at` in the hours of the hotline's
        dispatchers and supervisors (every day), the next day if asked"""
        moment = at + dt.timedelta(minutes=self.rng.randint(low, high))
        if next_day:
            moment += dt.timedelta(days=1)
        start, end = HOTLINE_HOURS
        if moment.time() > end:
            moment = dt.datetime.combine(
                moment.date() + dt.timedelta(days=1), start)
        if moment.time() < start:
            moment = dt.datetime.combine(moment.date(), start)
        return moment + dt.timedelta(minutes=self.rng.randint(0, 40))

    def office_moment(self, at, low, high, working_only=False):
        """`low` to `high` minutes after `at` in the departments' hours, of
        a working day if asked"""
        moment = at + dt.timedelta(minutes=self.rng.randint(low, high))
        start, end = OFFICE_HOURS
        if moment.time() > end:
            moment = dt.datetime.combine(
                moment.date() + dt.timedelta(days=1), start)
        if moment.time() < start:
            moment = dt.datetime.combine(moment.date(), start)
        while working_only and not self.days.is_working(moment.date()):
            moment = dt.datetime.combine(
                moment.date() + dt.timedelta(days=1), start)
        if moment.time() == start:
            moment += dt.timedelta(minutes=self.rng.randint(5, 60))
        return moment

    def working_day_moment(self, at, days):
        "In the departments' hours of the `days`-th working day after `at`"
        day = at.date()
        while days > 0:
            day += dt.timedelta(days=1)
            if self.days.is_working(day):
                days -= 1
        moment = max(at, dt.datetime.combine(day, dt.time(9, 30)))
        return self.office_moment(moment, 20, 360, working_only=True)

    # -- playing -------------------------------------------------------------

    def play(self, calls):
        "The steps of all the orders, in the order of their moments"
        steps = sorted(((s.moment, c.index, n, c, s) for c in calls
                for n, s in enumerate(c.steps)), key=lambda t: t[:3])
        with SimClock(self.cfg.database_name, D.TIMEZONE,
                [hall_clock]) as clock:
            try:
                for moment, _, _, call, step in steps:
                    clock.set(moment.date(), moment.time())
                    self.act_as(step.login)
                    getattr(self, f'do_{step.action}')(call, **step.values)
            finally:
                self.act_as(None)

    def order(self, call):
        Order = Model.get('hall.hotline.order')
        return Order(call.order_id)

    def new_order(self, call, window=None, **values):
        Order = Model.get('hall.hotline.order')
        HallWindow = Model.get('hall.window')
        Employee = Model.get('company.employee')
        Subdivision = Model.get('country.subdivision')
        order = Order(**values)
        if self.district:
            order.subdivision = Subdivision(self.district)
        if window:
            _, window_id, employee_id = self.windows[window]
            order.window = HallWindow(window_id)
            if employee_id:
                order.employee = Employee(employee_id)
            application = self.window_application(window_id, call.moment)
            if application:
                order.application = application
        order.save()
        call.order_id = order.id
        return order

    def window_application(self, window_id, moment):
        """The application the caller speaks of: the latest received at the
        window by `moment` and not rated yet, whose follow-up call is its
        rating on the 12345 channel (with hall_evaluation)"""
        domain = [
            ('window', '=', window_id),
            ('state', 'not in', ['draft', 'withdrawn']),
            ('received_date', '<=', moment.date()),
            ]
        login = self.login
        # as the admin, who reads the ratings
        self.act_as(None)
        try:
            Application = Model.get('hall.application')
            if 'evaluations' in Application._fields:
                domain.append(('evaluations', '=', None))
            applications = Application.find(domain, limit=1,
                order=[('received_date', 'DESC'), ('id', 'DESC')])
        finally:
            self.act_as(login)
        Application = Model.get('hall.application')
        return Application(applications[0].id) if applications else None

    def do_draft(self, call, **values):
        self.new_order(call, **values)

    def do_cancel(self, call, **values):
        self.new_order(call, **values).click('cancel')

    def do_register(self, call, **values):
        self.new_order(call, **values).click('register')

    def do_conclude(self, call, reply):
        order = self.order(call)
        order.reply = reply
        order.click('conclude')

    def do_dispatch(self, call, department, assisting=None, note=None):
        Department = Model.get('hall.department')
        dispatch = Wizard('hall.hotline.order.dispatch', [self.order(call)])
        dispatch.form.lead_department = Department(
            self.departments[department].id)
        if assisting:
            dispatch.form.assisting_departments.append(
                Department(self.departments[assisting].id))
        dispatch.form.note = note
        dispatch.execute('dispatch')

    def do_return(self, call, reason):
        returned = Wizard('hall.hotline.order.return', [self.order(call)])
        returned.form.reason = reason
        returned.execute('return_')

    def do_sign(self, call):
        self.order(call).click('sign')

    def do_answer(self, call, reply, measures):
        order = self.order(call)
        order.reply = reply
        order.measures = measures
        order.click('answer')

    def do_reject(self, call, reason):
        rejected = Wizard('hall.hotline.order.reject', [self.order(call)])
        rejected.form.reason = reason
        rejected.execute('reject')

    def do_approve(self, call):
        self.order(call).click('approve')

    def follow_up(self, call, reached=None, satisfaction=None,
            follow_up_note=None):
        order = self.order(call)
        if reached:
            order.reached = reached
            order.satisfaction = satisfaction
            order.follow_up_note = follow_up_note
        return order

    def do_close(self, call, **follow):
        self.follow_up(call, **follow).click('close')

    def do_redo(self, call, **follow):
        self.follow_up(call, **follow).click('redo')

    # -- the end -------------------------------------------------------------

    def import_platform_orders(self):
        """The operator imports this morning's dispatch of the provincial
        platform: the sample file with today's numbers and times, saved in
        GBK as Excel on Chinese Windows does"""
        with PLATFORM_SAMPLE.open(encoding='utf-8-sig', newline='') as file:
            header, *rows = list(csv.reader(file))
        today = self.now.date()
        received = dt.datetime.combine(
            today - dt.timedelta(days=1), dt.time(8, 30))
        output = io.StringIO()
        writer = csv.writer(output)
        writer.writerow(header)
        for index, row in enumerate(rows):
            row[0] = f'ZJ12345-{today:%Y%m%d}-{index + 1:06d}'
            row[1] = (received + dt.timedelta(minutes=47 * index)).strftime(
                '%Y-%m-%d %H:%M')
            writer.writerow(row)
        self.act_as(OPERATOR[0])
        try:
            wizard = Wizard('hall.hotline.order.import')
            wizard.form.file = output.getvalue().encode('gbk')
            wizard.form.filename = '省平台工单.csv'
            wizard.execute('import_')
            created = wizard.form.created
            wizard.execute('end')
        finally:
            self.act_as(None)
        self.say(f"hotline: {created} orders imported from the provincial "
            "platform")

    def check_deadlines(self):
        "The cron flags what is overdue now and tells the liaisons"
        Cron = Model.get('ir.cron')
        cron, = Cron.find([
                ('method', '=', 'hall.hotline.order|check_deadlines')])
        cron.click('run_once')

    def summary(self):
        Order = Model.get('hall.hotline.order')
        Notification = Model.get('res.notification')
        orders = Order.find([])
        states = Counter(o.state for o in orders)
        self.say("hotline: %d work orders (%s); %d concluded directly, "
            "%d transferred, %d redone, %d escalated, %d repeated, "
            "%d sensitive, %d overdue open, %d notifications" % (
                len(orders),
                ', '.join(f'{s} {n}' for s, n in sorted(states.items())),
                sum(o.direct for o in orders),
                sum(bool(o.transfer_count) for o in orders),
                sum(bool(o.redo_count) for o in orders),
                sum(o.escalated for o in orders),
                sum(o.repeated for o in orders),
                sum(o.sensitive for o in orders),
                sum((o.sign_overdue or o.answer_overdue)
                    and o.state not in {'closed', 'cancelled'}
                    for o in orders),
                len(Notification.find([]))))
        if 'evaluations' in Order._fields:
            Evaluation = Model.get('hall.evaluation')
            Rectification = Model.get('hall.evaluation.rectification')
            self.say("hotline: %d 12345 ratings of applications from the "
                "follow-ups, %d rectifications of efficiency complaints" % (
                    len(Evaluation.find([('hotline_order', '!=', None)])),
                    len(Rectification.find([('source', '=', 'hotline')]))))
