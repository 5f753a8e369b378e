# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The "一张图" guide of a theme (全流程导办指南), drawn by Graphviz, with no
ORM import: the reception at the comprehensive window with the one list of
materials, the services of the departments stage by stage (the steps of a
stage side by side), and the one issue of the results, with the limits.

The guide is a Chinese document, as the printed forms are: its words are
written here."""
import struct
from html import escape

import graphviz

FONT = 'WenQuanYi Zen Hei'
MAX_VISITS = {'zero': "零跑动", 'one': "最多跑一次", 'more': "需多次到场"}


def _html(text):
    return escape(str(text), quote=False)


def _materials_label(materials):
    "An HTML-like table of the materials: name, services asking, e-licence"
    rows = ['<TR><TD COLSPAN="2" BGCOLOR="#E8F0FA"><B>一次提交材料'
        f'（{len(materials)}项）</B></TD></TR>']
    for name, services, electronic, mandatory in materials:
        notes = []
        if services > 1:
            notes.append(f"{services}个事项共用")
        if electronic:
            notes.append("可亮证")
        if not mandatory:
            notes.append("容缺")
        note = (f'<FONT POINT-SIZE="9">{_html("，".join(notes))}</FONT>'
            if notes else ' ')
        rows.append(f'<TR><TD ALIGN="LEFT">{_html(name)}</TD>'
            f'<TD ALIGN="LEFT">{note}</TD></TR>')
    return ('<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" '
        'CELLPADDING="4">' + ''.join(rows) + '</TABLE>>')


def guide_graph(name, stages, materials, limit, separate_limit,
        max_visits):
    """The guide of a theme as a graphviz.Digraph.

    `stages`: [(stage, [(service, department, promised limit)])] in their
    order; `materials`: [(name, number of services asking, electronic,
    mandatory)]; `limit`, `separate_limit`: the theme's promised limit and
    the sum of its services' (working days); `max_visits`: a key of
    MAX_VISITS."""
    graph = graphviz.Digraph(name='guide', format='png')
    graph.attr(rankdir='TB', fontname=FONT, labelloc='t', fontsize='18',
        label=_html(f"“{name}”一件事 全流程导办指南"), nodesep='0.4',
        ranksep='0.5')
    graph.attr('node', fontname=FONT, fontsize='11', shape='box',
        style='rounded,filled', fillcolor='white')
    graph.attr('edge', fontname=FONT, fontsize='10')
    graph.node('start', "综合窗口 一窗受理\n一次告知 · 一表申请 · 材料共享",
        fillcolor='#D9EAD3')
    graph.node('materials', _materials_label(materials), shape='plaintext',
        style='')
    graph.edge('materials', 'start', style='dashed', arrowhead='none')
    previous = ['start']
    for index, (stage, steps) in enumerate(stages, 1):
        longest = max((days or 0 for _, _, days in steps), default=0)
        parallel = "并联办理 · " if len(steps) > 1 else ""
        with graph.subgraph(name=f'cluster_{index}') as cluster:
            cluster.attr(fontsize='12', labeljust='l', label=_html(
                    f"第{index}步 {parallel}{longest}个工作日"),
                style='dashed', color='#7F7F7F', fontname=FONT)
            nodes = []
            for number, (service, department, days) in enumerate(steps):
                node = f'step_{index}_{number}'
                cluster.node(node,
                    f"{service}\n{department}\n承诺{days or 0}个工作日")
                nodes.append(node)
        if len(previous) > 1 and len(nodes) > 1:
            join = f'join_{index}'
            graph.node(join, '', shape='point', width='0.08')
            for node in previous:
                graph.edge(node, join, arrowhead='none')
            previous = [join]
        for node in nodes:
            for before in previous:
                graph.edge(before, node)
        previous = nodes
    graph.node('end', "统一出件 · 免费寄递\n"
        f"承诺{limit}个工作日（分别办理共{separate_limit}个）\n"
        f"{MAX_VISITS.get(max_visits, '')}", fillcolor='#FCE5CD')
    for before in previous:
        graph.edge(before, 'end')
    return graph


def image_size(png, max_width, max_height):
    """The size in cm to print the PNG image `png` at, as large as fits
    in `max_width` × `max_height` cm, its proportions kept"""
    width, height = struct.unpack('>II', png[16:24])
    scale = min(max_width / width, max_height / height)
    return width * scale, height * scale
