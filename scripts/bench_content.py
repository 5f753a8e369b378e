#!/usr/bin/env python3
# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Benchmark of the content checks (modules/content_review/checks/).

Builds, deterministically, a 20,000-entry sensitive-word lexicon (n-grams
that really occur in the public reports plus generated phrases), the
default wrong-expression list plus generated typos, a leader register and
link lists; builds a text of a few MB from the public reports in
modules/content_review/tests/data/ (with the labelled sentences of the test
set sprinkled in, so that every check has something to find) and measures:

- the full scan (all checks) in characters per second;
- the bare Aho-Corasick automaton of the same rules iterating over the same
  text (the floor), and for reference pyahocorasick over the same keys;
- a 5,000-character article fully checked (median of many runs).

The last output line is one JSON object.
"""
import argparse
import datetime
import glob
import json
import os
import random
import statistics
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

DATA = os.path.join(ROOT, 'modules', 'content_review', 'tests', 'data')
LEXICON_SIZE = 20000


def _import_checks():
    "The checks package: it imports no ORM (trytond.model)"
    from trytond.modules.content_review import checks
    return checks


def load_reports():
    texts = []
    for path in sorted(glob.glob(os.path.join(DATA, '*.txt'))):
        with open(path, encoding='utf-8') as f:
            texts.append(f.read())
    return texts


def load_labelled():
    path = os.path.join(DATA, 'labelled.tsv')
    sentences = []
    if os.path.exists(path):
        with open(path, encoding='utf-8') as f:
            for line in f:
                if line.startswith('#') or not line.strip():
                    continue
                sentences.append(line.rstrip('\n').split('\t')[-1])
    return sentences


def _cjk_runs(text):
    run = []
    for c in text:
        if '\u4e00' <= c <= '\u9fff':
            run.append(c)
        elif run:
            yield ''.join(run)
            run = []
    if run:
        yield ''.join(run)


def build_lexicon(corpus, rnd, checks):
    "20,000 (word, severity): some occur in the corpus, most are generated"
    runs = list(_cjk_runs(corpus))
    ngrams = {}
    for run in runs:
        for n in (2, 3, 4):
            for i in range(len(run) - n + 1):
                g = run[i:i + n]
                ngrams[g] = ngrams.get(g, 0) + 1
    bigrams = sorted(g for g in ngrams if len(g) == 2)
    # about a hundred words that really occur (rarely: 1-3 times a copy)
    rare = sorted(g for g, c in ngrams.items() if c <= 3 and len(g) >= 3)
    occurring = rnd.sample(rare, 100)
    words = dict.fromkeys(occurring)
    suffixes = ['活动', '组织', '网站', '言论', '信息', '事件', '行为', '团伙',
        '平台', '交易', '广告', '渠道', '软件', '群组', '资料']
    while len(words) < LEXICON_SIZE:
        kind = rnd.random()
        if kind < 0.5:
            w = rnd.choice(bigrams) + rnd.choice(bigrams)
        elif kind < 0.8:
            w = rnd.choice(bigrams) + rnd.choice(suffixes)
        else:
            w = rnd.choice(bigrams) + rnd.choice(bigrams)[0]
        if w in ngrams or w in corpus:
            continue
        words[w] = None
    severities = (checks.SERIOUS, checks.NORMAL)
    return [(w, severities[i % 7 == 0]) for i, w in enumerate(words)], \
        occurring


def build_expressions(corpus, rnd, checks):
    "The default list plus typos of corpus phrases (one homophone swapped)"
    expressions = list(checks.DEFAULT_EXPRESSIONS)
    readings, by_reading = checks.pinyin._homophone_tables()
    runs = [r for r in _cjk_runs(corpus) if len(r) >= 4]
    seen = {e[0] for e in expressions}
    while len(expressions) < 600:
        run = rnd.choice(runs)
        i = rnd.randrange(len(run) - 3)
        phrase = run[i:i + 4]
        j = rnd.randrange(4)
        homophones = [h for r in sorted(readings.get(phrase[j], ()))
            for h in by_reading.get(r, ()) if h != phrase[j]]
        if not homophones:
            continue
        wrong = phrase[:j] + rnd.choice(homophones) + phrase[j + 1:]
        if wrong in seen or wrong in corpus:
            continue
        seen.add(wrong)
        expressions.append((wrong, phrase, checks.NORMAL))
    return expressions


SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘蔡蒋余'
GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰建国志红文斌海波辉鹏宇'


def build_leaders(rnd, checks):
    titles = ['市委书记', '市长', '常务副市长', '副市长', '市委副书记',
        '市委常委', '秘书长', '局长', '副局长', '主任', '副主任']
    leaders = [checks.Leader('李明华', '市长', datetime.date(2021, 6, 1)),
        checks.Leader('李明华', '常务副市长', datetime.date(2017, 1, 1),
            datetime.date(2021, 5, 31)),
        checks.Leader('张建国', '市委书记', datetime.date(2020, 1, 1)),
        checks.Leader('王芳', '副市长', datetime.date(2022, 1, 1)),
        checks.Leader('张梅', '副局长', datetime.date(2018, 1, 1))]
    names = {l.name for l in leaders}
    while len(names) < 60:
        name = rnd.choice(SURNAMES) + ''.join(
            rnd.choice(GIVEN) for _ in range(rnd.choice((1, 2, 2))))
        if name in names:
            continue
        names.add(name)
        start = datetime.date(rnd.randint(2015, 2023), rnd.randint(1, 12), 1)
        leaders.append(checks.Leader(name, rnd.choice(titles), start))
    return leaders


def build_links(rnd):
    blacklist = ['%s%d.%s' % (rnd.choice(['bet', 'casino', 'loan', 'vpn',
                    'porn', 'game', 'cheap']), i, rnd.choice(
                    ['com', 'net', 'cc', 'top', 'xyz'])) for i in range(500)]
    whitelist = ['gov.cn', 'chaozhou.gov.cn', 'gd.gov.cn', 'people.com.cn',
        'xinhuanet.com', 'news.cn', 'cctv.com', 'qstheory.cn']
    return blacklist, whitelist


# Sentences for the other checks (leaders of build_leaders, the default
# expressions, links), sprinkled like the labelled ones.
OTHER_SENTENCES = [
    '市长李明华出席会议并讲话，常务副市长李明华主持会议。',
    '市委书记张建国、副市长王芳到市政务服务中心调研。',
    '市长王芳听取工作汇报。',
    '副局长张梅介绍了“一网通办”推进情况，市长黎明华提出要求。',
    '中华人民共合国成立以来，市攻府始终坚持以人民为中心。',
    '广东省省委书记到我市调研营商环竟优化工作，强调要贯切落实。',
    '详见http://www.chaozhou.gov.cn/zwgk/index.html或htp://www.gd.gov.cn。',
    '转载自https://www.example.com/news/1.html，原文见http://bet7.com/a。',
    ]


def build_text(reports, labelled, copies, rnd):
    "The reports repeated, with labelled sentences sprinkled between them"
    parts = []
    for _ in range(copies):
        for report in reports:
            paragraphs = report.split('\n')
            for _ in range(3):
                if labelled:
                    paragraphs.insert(rnd.randrange(len(paragraphs) + 1),
                        rnd.choice(labelled))
            paragraphs.insert(rnd.randrange(len(paragraphs) + 1),
                rnd.choice(OTHER_SENTENCES))
            parts.append('\n'.join(paragraphs))
    return '\n'.join(parts)


def measure(func, repeat):
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return times, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--quick', action='store_true',
        help="smaller text and fewer runs (well under a minute)")
    parser.add_argument('--copies', type=int, default=None,
        help="copies of the reports in the text (default 120, quick 20)")
    parser.add_argument('--articles', type=int, default=None,
        help="runs of the 5,000-character article (default 400, quick 100)")
    parser.add_argument('--profile', action='store_true',
        help="profile the full scan with cProfile")
    args = parser.parse_args()
    copies = args.copies or (20 if args.quick else 120)
    articles = args.articles or (100 if args.quick else 400)
    repeat = 3 if args.quick else 5

    checks = _import_checks()
    rnd = random.Random(20240607)
    reports = load_reports()
    corpus = '\n'.join(reports)
    labelled = load_labelled()

    start = time.perf_counter()
    words, occurring = build_lexicon(corpus, rnd, checks)
    expressions = build_expressions(corpus, rnd, checks)
    leaders = build_leaders(rnd, checks)
    blacklist, whitelist = build_links(rnd)
    generated = time.perf_counter() - start

    start = time.perf_counter()
    rules = checks.Rules(sensitive_words=words, expressions=expressions,
        leaders=leaders, link_blacklist=blacklist, link_whitelist=whitelist,
        on_date=datetime.date(2024, 6, 1))
    build_s = time.perf_counter() - start
    keys = len(rules._engine.keys)

    text = build_text(reports, labelled, copies, rnd)
    n = len(text)
    print("lexicon: %d sensitive words (%d occur in the reports), "
        "%d expressions, %d leader records, %d automaton keys "
        "(titles and name variants included); generated in %.2f s, "
        "rules built in %.2f s" % (len(words), len(occurring),
            len(expressions), len(leaders), keys, generated, build_s))
    print("text: %d characters (%d copies of %d reports, %d labelled "
        "sentences)" % (n, copies, len(reports), len(labelled)))

    def fresh():
        # a new str object each run: no cached UTF-8 form
        return text[:1] + text[1:]

    def full():
        return checks.scan(fresh(), rules)

    def floor():
        return len(rules._engine.find(fresh()))

    if args.profile:
        import cProfile
        import pstats
        cProfile.runctx('full()', globals(), locals(), '/tmp/bench.prof')
        pstats.Stats('/tmp/bench.prof').sort_stats('cumulative').print_stats(
            25)

    full_times, findings = measure(full, repeat)
    floor_times, matches = measure(floor, repeat)
    full_s = statistics.median(full_times)
    floor_s = statistics.median(floor_times)
    by_kind = {}
    for f in findings:
        by_kind[f.kind] = by_kind.get(f.kind, 0) + 1
    print("full scan: median %.3f s over %d runs, %.2f M chars/s, %d findings"
        % (full_s, repeat, n / full_s / 1e6, len(findings)))
    print("  findings by kind: %s" % json.dumps(by_kind, ensure_ascii=False))
    print("floor (bare automaton, %s): median %.3f s, %.2f M chars/s, "
        "%d matches" % (rules._engine.backend, floor_s, n / floor_s / 1e6,
            matches))

    py_floor = None
    if checks.engine.pyahocorasick is not None:
        automaton = checks.engine.pyahocorasick.Automaton()
        for i, key in enumerate(rules._engine.keys):
            automaton.add_word(key, i)
        automaton.make_automaton()
        sample = text[:min(n, 1000000)]
        py_times, _ = measure(
            lambda: sum(1 for _ in automaton.iter(sample)), 1)
        py_floor = len(sample) / py_times[0]
        print("reference: pyahocorasick iter over the same keys: "
            "%.2f M chars/s" % (py_floor / 1e6))

    # a 5,000-character article, fully checked
    article_times = []
    for i in range(articles):
        offset = (i * 7919) % (n - 5000)
        article = text[offset:offset + 5000]
        start = time.perf_counter()
        checks.scan(article, rules)
        article_times.append(time.perf_counter() - start)
    article_ms = statistics.median(article_times) * 1000
    p95 = sorted(article_times)[int(len(article_times) * 0.95)] * 1000
    print("5,000-character article: median %.3f ms, p95 %.3f ms over %d runs"
        % (article_ms, p95, articles))

    no_rules_times, _ = measure(lambda: checks.scan(fresh()), repeat)
    no_rules = n / statistics.median(no_rules_times)
    print("scan without rules (privacy and malformed links): %.2f M chars/s"
        % (no_rules / 1e6))

    result = {
        'chars': n,
        'chars_per_s': round(n / full_s),
        'floor_chars_per_s': round(n / floor_s),
        'article_5000_chars_ms': round(article_ms, 3),
        'article_5000_chars_p95_ms': round(p95, 3),
        'no_rules_chars_per_s': round(no_rules),
        'pyahocorasick_floor_chars_per_s': (
            round(py_floor) if py_floor else None),
        'automaton': rules._engine.backend,
        'automaton_keys': keys,
        'lexicon_entries': len(words),
        'rules_build_s': round(build_s, 3),
        'findings': len(findings),
        'quick': args.quick,
        'targets_met': (n / full_s >= 5e6 and article_ms < 10),
        }
    print(json.dumps(result))


if __name__ == '__main__':
    main()
