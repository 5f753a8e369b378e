# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Prepare a freshly activated database for the browser tests (proteus).

    python tests/browser_setup.py --database NAME --config FILE

Run in its own process by tests/conftest.py so that the pytest process keeps
its own trytond configuration.  It makes zh_CN the default and the admin's
language, marks the module configuration wizard done (else the first sao
login opens it), creates the company (currency CNY), the user "manager" in
the hall manager group, and one hall "测试大厅" when hall.hall exists.
Prints the login to use as the last line: "LOGIN <login> <password>".
"""
import argparse
import sys
from decimal import Decimal

from proteus import Model
from proteus import config as pconfig

MANAGER_LOGIN = 'manager'
MANAGER_PASSWORD = 'Manager-2026!'
ADMIN_PASSWORD = 'Admin-2026!'   # written to TRYTONPASSFILE by conftest.py
HALL_NAME = '测试大厅'


def model_exists(name):
    IrModel = Model.get('ir.model')
    return bool(IrModel.find([('name', '=', name)]))


def set_default_language(code):
    "ir.configuration is not served over RPC: write it in a transaction"
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    config = pconfig.get_config()
    with Transaction().start(config.database_name, 0) as transaction:
        Configuration = Pool().get('ir.configuration')
        configuration = Configuration(1)
        configuration.language = code
        configuration.save()
        transaction.commit()


def get_cny():
    Currency = Model.get('currency.currency')
    currencies = Currency.find([('code', '=', 'CNY')])
    if currencies:
        return currencies[0]
    currency = Currency(
        name='人民币', code='CNY', symbol='¥', rounding=Decimal('0.01'),
        digits=2)
    currency.save()
    return currency


def xml_record(model, module, fs_id):
    "The record of XML id module.fs_id or None"
    ModelData = Model.get('ir.model.data')
    try:
        return Model.get(model)(ModelData.get_id(module, fs_id, {}))
    except Exception:
        return None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--database', required=True)
    parser.add_argument('--config', required=True)
    args = parser.parse_args(argv)

    config = pconfig.set_trytond(
        database=args.database, config_file=args.config)

    Lang = Model.get('ir.lang')
    User = Model.get('res.user')
    ConfigItem = Model.get('ir.module.config_wizard.item')

    # zh_CN: translatable, database default and admin language
    zh_cn, = Lang.find([('code', '=', 'zh_CN')])
    if not zh_cn.translatable:
        zh_cn.translatable = True
        zh_cn.save()
    set_default_language('zh_CN')
    admin = User(config.user)
    admin.language = zh_cn
    admin.save()

    # no module configuration wizard at the first login
    items = ConfigItem.find([('state', '!=', 'done')])
    for item in items:
        item.state = 'done'
    if items:
        ConfigItem.save(items)

    # company, paid in CNY
    Company = Model.get('company.company')
    companies = Company.find([])
    if companies:
        company = companies[0]
    else:
        from trytond.modules.company.tests.tools import create_company
        Party = Model.get('party.party')
        party = Party(name='测试市政务服务中心')
        party.save()
        create_company(party=party, currency=get_cny())
        company, = Company.find([])
    config._context = User.get_preferences(True, {})

    # the user who logs in through the browser
    group = xml_record('res.group', 'hall', 'group_hall_manager')
    if group is not None:
        users = User.find([('login', '=', MANAGER_LOGIN)])
        manager = users[0] if users else User(login=MANAGER_LOGIN)
        manager.name = '大厅管理员'
        manager.password = MANAGER_PASSWORD
        manager.language = zh_cn
        if company not in manager.companies:
            manager.companies.append(Company(company.id))
        manager.company = company
        if group not in manager.groups:
            manager.groups.append(group)
        manager.save()
        login, password = MANAGER_LOGIN, MANAGER_PASSWORD
    else:
        # TODO: remove once the hall module defines hall.group_hall_manager
        print("warning: hall.group_hall_manager not found, using admin",
            file=sys.stderr)
        login, password = 'admin', ADMIN_PASSWORD

    # one hall for the required many2one of the window form
    if model_exists('hall.hall'):
        Hall = Model.get('hall.hall')
        if not Hall.find([('name', '=', HALL_NAME)]):
            hall = Hall(name=HALL_NAME)
            if 'company' in Hall._fields:
                hall.company = company
            hall.save()

    print(f"LOGIN {login} {password}")


if __name__ == '__main__':
    main()
