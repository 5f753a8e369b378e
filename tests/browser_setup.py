# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Prepare a freshly activated database for the browser tests (proteus).

    python tests/browser_setup.py --database NAME --config FILE

Run in its own process by tests/conftest.py so that the pytest process keeps
its own trytond configuration.  It makes zh_CN the default and the admin's
language, marks the module configuration wizard done (else the first sao
login opens it), creates the company (currency CNY), the user "manager" in
the hall manager group, and one hall "测试大厅".
Prints the login to use as the last line: "LOGIN <login> <password>".
"""
import argparse
from decimal import Decimal

from proteus import Model
from proteus import config as pconfig

MANAGER_LOGIN = 'manager'
MANAGER_PASSWORD = 'Manager-2026!'
HALL_NAME = '测试大厅'


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


def create_cny():
    Currency = Model.get('currency.currency')
    currency = Currency(
        name='人民币', code='CNY', symbol='¥', rounding=Decimal('0.01'),
        digits=2)
    currency.save()
    return currency


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--database', required=True)
    parser.add_argument('--config', required=True)
    args = parser.parse_args(argv)

    config = pconfig.set_trytond(
        database=args.database, config_file=args.config)

    from trytond.modules.company.tests.tools import create_company

    Lang = Model.get('ir.lang')
    User = Model.get('res.user')
    ConfigItem = Model.get('ir.module.config_wizard.item')
    Company = Model.get('company.company')
    Party = Model.get('party.party')
    Group = Model.get('res.group')
    ModelData = Model.get('ir.model.data')
    Hall = Model.get('hall.hall')

    # zh_CN (made translatable by trytond-admin -l zh_CN): database default
    # and admin language
    zh_cn, = Lang.find([('code', '=', 'zh_CN')])
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
    party = Party(name='测试市政务服务中心')
    party.save()
    create_company(party=party, currency=create_cny())
    company, = Company.find([])
    config._context = User.get_preferences(True, {})

    # the user who logs in through the browser
    manager = User(login=MANAGER_LOGIN)
    manager.name = '大厅管理员'
    manager.password = MANAGER_PASSWORD
    manager.language = zh_cn
    manager.companies.append(Company(company.id))
    manager.company = company
    manager.groups.append(
        Group(ModelData.get_id('hall', 'group_hall_manager', {})))
    manager.save()

    # one hall for the required many2one of the window form
    hall = Hall(name=HALL_NAME)
    hall.company = company
    hall.save()

    print(f"LOGIN {MANAGER_LOGIN} {MANAGER_PASSWORD}")


if __name__ == '__main__':
    main()
