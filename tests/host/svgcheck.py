#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""svgcheck.py FILE.svg [TEXT...]: FILE is a strict XML document (Python's
expat parser) of the SVG 1.1 subset vmscope writes and nothing else: the
elements svg, title, desc, rect, line, path, text; no scripts, no event
attributes, no links, no style sheets or external references; a <title>
and a <desc> first.  Each TEXT must be the content of one <text> element
or a part of one.  Prints what is wrong; exit 1 if anything is."""
import sys
import xml.etree.ElementTree as ET

NS = '{http://www.w3.org/2000/svg}'
ALLOWED = {
    'svg': {'version', 'width', 'height', 'viewBox', 'role',
            'aria-labelledby'},
    'title': {'id'},
    'desc': {'id'},
    'rect': {'x', 'y', 'width', 'height', 'fill', 'fill-opacity', 'stroke',
             'stroke-dasharray'},
    'line': {'x1', 'y1', 'x2', 'y2', 'fill', 'stroke', 'stroke-dasharray'},
    'path': {'d', 'fill', 'stroke'},
    'text': {'x', 'y', 'font-size', 'font-family', 'fill', 'text-anchor',
             'font-weight', '{http://www.w3.org/XML/1998/namespace}space'},
}
FONTS = {'monospace', 'sans-serif'}


def main(path, wanted):
    bad = []
    root = ET.parse(path).getroot()
    if root.tag != NS + 'svg':
        bad.append('root is %s, not svg' % root.tag)
    kids = list(root)
    if len(kids) < 2 or kids[0].tag != NS + 'title' or \
            kids[1].tag != NS + 'desc' or not kids[0].text or \
            not kids[1].text:
        bad.append('no <title> and <desc> first, with text')
    texts = []
    for el in root.iter():
        tag = el.tag[len(NS):] if el.tag.startswith(NS) else el.tag
        if tag not in ALLOWED:
            bad.append('element %s' % el.tag)
            continue
        for a, v in el.attrib.items():
            if a not in ALLOWED[tag]:
                bad.append('%s attribute %s' % (tag, a))
            if 'url(' in v or 'javascript' in v.lower():
                bad.append('%s %s="%s"' % (tag, a, v))
        if tag == 'text':
            if el.get('font-family') not in FONTS or len(el):
                bad.append('text with font %s or children'
                           % el.get('font-family'))
            texts.append(el.text or '')
        elif tag not in ('title', 'desc') and (el.text or '').strip():
            bad.append('%s with text' % tag)
    for w in wanted:
        if not any(w in t for t in texts):
            bad.append('no <text> holds %r' % w)
    for b in bad:
        print(b)
    return 1 if bad else 0


sys.exit(main(sys.argv[1], sys.argv[2:]))
