# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""China's administrative divisions (GB/T 2260) as country subdivisions,
with no ORM import.

A GB/T 2260 code has six digits: two for the province-level unit (省, 自治区,
直辖市, 特别行政区: ``XX0000``), two for the prefecture-level unit (地级市,
地区, 自治州, 盟: ``XXXX00``) and two for the county-level unit (市辖区, 县,
县级市, 旗...).  The data does not always hold every level:

- the districts of the municipalities (北京, 天津, 上海, 重庆) have no
  prefecture-level unit (``1101xx``, ``5002xx``...);
- the county-level units administered by a province (济源 ``4190xx``,
  仙桃 ``4290xx``, 海南 ``4690xx``, 新疆兵团 ``6590xx``) have none either, or
  a placeholder entry "省直辖县级行政区划" in some editions;
- older editions list placeholders such as "市辖区" (``XXXX01``) or "县"
  (``XX0200``) that are no real divisions.

Each unit is attached to its nearest ancestor present in the data, and
placeholders are left out.
"""

__all__ = [
    'UnknownProvinceError', 'division_rows', 'division_type', 'level',
    'province_prefixes', 'province_selection', 'subdivision_code',
    'iso_codes']

PROVINCE, PREFECTURE, COUNTY = range(3)

# Names that group units for statistics but are no division of their own
PLACEHOLDERS = frozenset({
        '市辖区', '县', '市', '省直辖县级行政区划', '自治区直辖县级行政区划',
        '省直辖县级市', '直辖县级行政区划', '省直辖行政单位',
        })

# (level, name suffix, country.subdivision type): first match wins
TYPES = [
    (PROVINCE, '特别行政区', 'special administrative region'),
    (PROVINCE, '自治区', 'autonomous region'),
    (PROVINCE, '省', 'province'),
    (PROVINCE, '市', 'municipality'),
    (PREFECTURE, '市', 'city'),
    (PREFECTURE, '地区', 'prefecture'),
    (PREFECTURE, '自治州', 'prefecture'),
    (PREFECTURE, '盟', 'prefecture'),
    (COUNTY, '特区', 'special district'),
    (COUNTY, '区', 'district'),
    (COUNTY, '县', 'county'),
    (COUNTY, '旗', 'county'),
    (COUNTY, '市', 'city'),
    ]

# ISO 3166-2:CN codes of the province-level units, as created by trytond's
# import_countries script from pycountry: letters since ISO 3166-2 newsletter
# II-3 (2017), the GB/T 2260 prefix before (with 91 and 92 for Hong Kong and
# Macao).
ISO_CODES = {
    '11': 'BJ', '12': 'TJ', '13': 'HE', '14': 'SX', '15': 'NM',
    '21': 'LN', '22': 'JL', '23': 'HL',
    '31': 'SH', '32': 'JS', '33': 'ZJ', '34': 'AH', '35': 'FJ', '36': 'JX',
    '37': 'SD',
    '41': 'HA', '42': 'HB', '43': 'HN', '44': 'GD', '45': 'GX', '46': 'HI',
    '50': 'CQ', '51': 'SC', '52': 'GZ', '53': 'YN', '54': 'XZ',
    '61': 'SN', '62': 'GS', '63': 'QH', '64': 'NX', '65': 'XJ',
    '71': 'TW', '81': 'HK', '82': 'MO',
    }
OLD_ISO_CODES = {'81': '91', '82': '92'}


class UnknownProvinceError(ValueError):
    "A province code that is not in the data"

    def __init__(self, code):
        super().__init__(code)
        self.code = code


def _check_code(code):
    if not (isinstance(code, str) and len(code) == 6 and code.isdigit()):
        raise ValueError(f"Invalid GB/T 2260 code: {code!r}")


def level(code):
    "Return PROVINCE, PREFECTURE or COUNTY for a six-digit code"
    _check_code(code)
    if code.endswith('0000'):
        return PROVINCE
    elif code.endswith('00'):
        return PREFECTURE
    return COUNTY


def division_type(code, name):
    """Return the country.subdivision type of the unit from its level and the
    suffix of its name, None when no type fits."""
    code_level = level(code)
    for type_level, suffix, type_ in TYPES:
        if type_level == code_level and name.endswith(suffix):
            return type_
    return None


def subdivision_code(code):
    "Return the country.subdivision code of a GB/T 2260 code"
    return f'CN-{code}'


def iso_codes(code):
    """Return the ISO 3166-2 codes a subdivision created from pycountry may
    have for the province-level `code`."""
    prefix = code[:2]
    codes = []
    if prefix in ISO_CODES:
        codes.append(f'CN-{ISO_CODES[prefix]}')
    codes.append(f'CN-{OLD_ISO_CODES.get(prefix, prefix)}')
    return codes


def _items(data):
    items = data.items() if hasattr(data, 'items') else data
    seen = {}
    for code, name in items:
        code = str(code).strip()
        _check_code(code)
        name = (name or '').strip()
        if code in seen:
            if seen[code] == name:
                continue
            raise ValueError(f"Duplicate GB/T 2260 code: {code}")
        seen[code] = name
    return seen


def province_prefixes(data, provinces):
    """Return the set of two-digit prefixes of `provinces`, given as two-digit
    or six-digit province codes, checked against `data`."""
    known = {c[:2] for c in _items(data) if level(c) == PROVINCE}
    prefixes = set()
    for province in provinces:
        province = str(province).strip()
        if len(province) == 6 and province.endswith('0000'):
            prefix = province[:2]
        elif len(province) == 2:
            prefix = province
        else:
            raise UnknownProvinceError(province)
        if prefix not in known:
            raise UnknownProvinceError(province)
        prefixes.add(prefix)
    return prefixes


def province_selection(data):
    "Return the (two-digit prefix, name) of the provinces of `data`"
    return [
        (code[:2], name) for code, name in sorted(_items(data).items())
        if level(code) == PROVINCE and name not in PLACEHOLDERS]


def division_rows(data, provinces=None):
    """Return the (code, name, type, parent code) of the divisions of `data`,
    a {GB/T 2260 code: name} dictionary or (code, name) pairs.

    Each unit's parent is its nearest ancestor present in `data`: the
    prefecture-level unit ``XXXX00`` for a county-level unit if it exists,
    else the province ``XX0000``, else None.  Placeholders ("市辖区",
    "省直辖县级行政区划"...) are left out and their children attached above
    them.  Rows come province-level first, then prefecture-level, then
    county-level, each by code, so a parent always precedes its children.
    `provinces` limits the rows to these provinces (two-digit or six-digit
    codes); UnknownProvinceError is raised for a code not in `data`.
    """
    divisions = _items(data)
    if provinces is not None:
        prefixes = province_prefixes(divisions, provinces)
        divisions = {
            c: n for c, n in divisions.items() if c[:2] in prefixes}
    divisions = {
        c: n for c, n in divisions.items() if n and n not in PLACEHOLDERS}

    def parent(code):
        code_level = level(code)
        candidates = []
        if code_level == COUNTY:
            candidates.append(code[:4] + '00')
        if code_level in {COUNTY, PREFECTURE}:
            candidates.append(code[:2] + '0000')
        for candidate in candidates:
            if candidate in divisions:
                return candidate
        return None

    return [
        (code, divisions[code], division_type(code, divisions[code]),
            parent(code))
        for code in sorted(divisions, key=lambda c: (level(c), c))]
