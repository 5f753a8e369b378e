# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The shared catalogue of materials (材料类型), with no ORM import: a
service's material is recognised as a type by its name, as the services
write it (营业执照正、副本 is 营业执照), or by one of the type's other names
(申请人身份证明 is 居民身份证)."""
import re
import unicodedata

# What the services add to a material's name about its form, not the
# material: the longest first
_FORM = re.compile(
    r'(原件及复印件|原件和复印件|及复印件|复印件|扫描件|电子版|正副本|原件|正本'
    r'|副本)$')
# NFKC writes the full-width brackets and punctuation as ASCII
_BRACKETS = re.compile(r'\([^()]*\)')
_SEPARATORS = re.compile(r'[\s、,.;:，。；：]+')


def material_key(name):
    """The name of a material as it is compared: without spaces,
    punctuation, notes in brackets and the form it is given in"""
    text = unicodedata.normalize('NFKC', name or '')
    text = _BRACKETS.sub('', text)
    text = _SEPARATORS.sub('', text)
    previous = None
    while text != previous:
        previous = text
        text = _FORM.sub('', text)
    return text


def type_keys(name, aliases=None):
    "The keys of a type: its name and each of its other names (one a line)"
    keys = {material_key(name)}
    keys.update(material_key(a) for a in (aliases or '').splitlines())
    return keys - {''}


def matching_type(keys_by_type, name):
    "The type one of whose keys is the key of `name`, if one only, or None"
    key = material_key(name)
    found = [t for t, keys in keys_by_type.items() if key in keys]
    return found[0] if len(found) == 1 else None


def shared_keys(keys_by_type):
    "The keys of more than one type: {key: types}"
    types = {}
    for type_, keys in keys_by_type.items():
        for key in keys:
            types.setdefault(key, []).append(type_)
    return {k: t for k, t in types.items() if len(t) > 1}

