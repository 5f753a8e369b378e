# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"The findings of the checks and their severities"
from dataclasses import dataclass

__all__ = ['SERIOUS', 'NORMAL', 'KINDS', 'PRIVACY_KINDS', 'LINK_KINDS',
    'Finding']

SERIOUS = 'serious'   # 严重
NORMAL = 'normal'     # 一般
KINDS = ('id_number', 'mobile', 'bank_card', 'sensitive_word', 'expression',
    'leader_title', 'leader_name', 'link_malformed', 'link_blacklisted',
    'link_external')
PRIVACY_KINDS = ('id_number', 'mobile', 'bank_card')
LINK_KINDS = ('link_malformed', 'link_blacklisted', 'link_external')


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    text: str
    severity: str
    suggestion: str | None = None
