# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"The lexicons, leader register and link lists a scan checks against"
import datetime

from .engine import _Engine
from .findings import NORMAL, SERIOUS, Finding
from .leaders import DEFAULT_TITLES, Leader, LeaderChecks
from .links import _norm_domain
from .pinyin import _known_phrases, homophone_variants

__all__ = ['DEFAULT_EXPRESSIONS', 'Rules']

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

_SENSITIVE, _EXPRESSION, _TITLE, _NAME, _VARIANT = range(5)


class Rules(LeaderChecks):
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
