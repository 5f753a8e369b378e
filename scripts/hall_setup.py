# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Set a service-hall database up from a small TOML file (scripts/setup),
the same way for a hall in service and for the demo (scripts/run).

Every step can run again without harm: the database is created when it
does not exist, the modules activated (or updated) by trytond-admin, the
company, halls and users created when missing and brought to the file's
values when present (a user's password only when the user is created).
See config/setup.example.toml for the file.
"""
import datetime as dt
import os
import subprocess
import sys
import tempfile
import tomllib
import urllib.parse
from decimal import Decimal

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.dirname(sys.executable)
LANGUAGE = 'zh_CN'
# The currency of every Chinese government body
CNY = dict(name="人民币", code='CNY', numeric_code='156', symbol='¥',
    rounding=Decimal('0.01'), digits=2)


class SetupError(Exception):
    "A mistake in the setup file or the environment, said in Chinese"


def say(*args):
    print('setup:', *args, flush=True)


def product_modules():
    "Every module of the product (modules/<name>/tryton.cfg)"
    return sorted(name for name in os.listdir(os.path.join(ROOT, 'modules'))
        if os.path.isfile(os.path.join(ROOT, 'modules', name, 'tryton.cfg')))


def load(path):
    "The setup file `path`, checked"
    try:
        with open(path, 'rb') as file:
            data = tomllib.load(file)
    except OSError as error:
        raise SetupError(f"无法读取配置文件 {path}：{error.strerror}")
    except tomllib.TOMLDecodeError as error:
        raise SetupError(f"配置文件 {path} 格式有误：{error}")
    for section in ['database', 'admin', 'company']:
        if not isinstance(data.get(section), dict):
            raise SetupError(f"配置文件缺少 [{section}] 一节")
    database = data['database']
    if not database.get('name'):
        raise SetupError("[database] 缺少 name（数据库名）")
    modules = database.get('modules', 'all')
    known = product_modules()
    if modules == 'all':
        database['modules'] = known
    elif (not isinstance(modules, list)
            or not set(modules) <= set(known) or not modules):
        raise SetupError(f"[database] modules 应为 \"all\" 或以下模块的列表："
            f"{'、'.join(known)}")
    if not data['admin'].get('email'):
        # trytond-admin asks for it on a terminal otherwise
        raise SetupError("[admin] 缺少 email（管理员的电子邮箱）")
    if not data['company'].get('name'):
        raise SetupError("[company] 缺少 name（单位名称）")
    for hall in data.get('hall', []):
        if not hall.get('name') or not hall.get('code'):
            raise SetupError("每个 [[hall]] 都要有 name 和 code")
        for key in ['morning', 'afternoon']:
            if key in hall:
                hall[key] = hours(hall[key], key)
    codes = set()
    for department in data.get('department', []):
        if not department.get('code') or not department.get('name'):
            raise SetupError("每个 [[department]] 都要有 code 和 name")
        if department['code'] in codes:
            raise SetupError(
                f"[[department]] 的编码 {department['code']} 重复")
        codes.add(department['code'])
    for user in data.get('user', []):
        if not user.get('login') or not user.get('name'):
            raise SetupError("每个 [[user]] 都要有 login 和 name")
    return data


def hours(value, key):
    "'09:00-12:00' as two times"
    try:
        start, end = (dt.time.fromisoformat(v.strip())
            for v in value.split('-'))
    except (ValueError, AttributeError):
        raise SetupError(f"{key} 应写作 \"09:00-12:00\"，而不是 {value!r}")
    if start >= end:
        raise SetupError(f"{key} 的开始时间应早于结束时间：{value}")
    return start, end


def secret(section, what):
    """The password of `section`: from its password_env variable or its
    password_file (first line)"""
    variable = section.get('password_env')
    if variable:
        value = os.environ.get(variable)
        if not value:
            raise SetupError(f"{what}的密码应在环境变量 {variable} 中，"
                "但它未设置")
        return value
    path = section.get('password_file')
    if path:
        try:
            with open(path, encoding='utf-8') as file:
                value = file.readline().strip()
        except OSError as error:
            raise SetupError(f"无法读取{what}的密码文件 {path}："
                f"{error.strerror}")
        if not value:
            raise SetupError(f"{what}的密码文件 {path} 是空的")
        return value
    raise SetupError(f"{what}需要 password_file 或 password_env")


def trytond_config(path):
    "The database URI and filestore path trytond will use with `path`"
    os.environ['TRYTOND_CONFIG'] = path
    from trytond import config
    config.update_etc(path)
    return config.get('database', 'uri'), config.get('database', 'path')


def create_database(uri, path, name):
    "Create the database `name` when it does not exist; True if created"
    if uri.startswith('postgresql'):
        import psycopg
        from psycopg import sql
        parts = urllib.parse.urlsplit(uri)
        params = {k: v for k, v in dict(host=parts.hostname, port=parts.port,
                user=urllib.parse.unquote(parts.username or ''),
                password=urllib.parse.unquote(parts.password or ''),
                dbname='postgres').items() if v}
        with psycopg.connect(autocommit=True, **params) as connection:
            exists = connection.execute(
                'SELECT 1 FROM pg_database WHERE datname = %s',
                (name,)).fetchone()
            if exists:
                return False
            connection.execute(sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' "
                    "TEMPLATE template0").format(sql.Identifier(name)))
            # only its owner connects (config/README.md, 数据库账号)
            connection.execute(sql.SQL("REVOKE ALL ON DATABASE {} "
                    "FROM PUBLIC").format(sql.Identifier(name)))
        return True
    file = os.path.join(path, f'{name}.sqlite')
    if os.path.exists(file):
        return False
    os.makedirs(path, exist_ok=True)
    open(file, 'a').close()
    return True


def activated_modules(name):
    """The modules activated in the database `name` (trytond configured);
    none in a database trytond-admin has not initialised yet"""
    from trytond import backend
    database = backend.Database(name).connect()
    connection = database.get_connection()
    try:
        cursor = connection.cursor()
        try:
            cursor.execute(
                "SELECT name FROM ir_module WHERE state = 'activated'")
            return {module for module, in cursor}
        except backend.DatabaseOperationalError:
            # no ir_module table yet (SQLite); PostgreSQL's error below
            return set()
        except Exception as error:
            if getattr(error, 'sqlstate', None) == '42P01':   # no table
                return set()
            raise
    finally:
        connection.rollback()
        database.put_connection(connection)
        database.close()


def activate(config_path, data, created):
    """Activate the modules with trytond-admin, the admin's password and
    e-mail given so that it never prompts.  Nothing to do when every module
    of the file is activated already: updating a database to new code is
    the upgrade's trytond-admin --all (config/README.md)."""
    database = data['database']
    admin = data['admin']
    if not created and set(database['modules']) <= activated_modules(
            database['name']):
        say("the modules are activated already")
        return
    command = [os.path.join(BIN, 'trytond-admin'), '-c', config_path,
        '-d', database['name'], '-u', *database['modules'],
        '--activate-dependencies', '-l', LANGUAGE,
        '--email', admin['email']]
    env = dict(os.environ)
    try:
        password = secret(admin, "管理员 admin ")
    except SetupError:
        # trytond-admin reads it only when it initialises the database
        if created:
            raise
        password = None
    with tempfile.TemporaryDirectory() as directory:
        if password:
            passfile = os.path.join(directory, 'admin-password')
            descriptor = os.open(passfile, os.O_WRONLY | os.O_CREAT, 0o600)
            with os.fdopen(descriptor, 'w') as file:
                file.write(password + '\n')
            env['TRYTONPASSFILE'] = passfile
        result = subprocess.run(command, env=env, stdin=subprocess.DEVNULL)
    if result.returncode:
        raise SetupError(f"trytond-admin 失败（退出码 {result.returncode}）")


def set_database_language(cfg, code):
    """ir.configuration has no RPC (it is not a ModelView), so the database
    language is written through the ORM of the proteus backend."""
    from trytond.transaction import Transaction
    with Transaction().start(cfg.database_name, 0):
        Configuration = cfg.pool.get('ir.configuration')
        configuration = Configuration(1)
        if configuration.language != code:
            Configuration.write([configuration], {'language': code})
            return True
    return False


def refresh_context(cfg):
    "Reload the user preferences into the proteus context (as a login)."
    from proteus import Model
    User = Model.get('res.user')
    cfg._context = User.get_preferences(True, {})


def setup_base(cfg, company_data):
    """zh_CN as the language of the database and of admin, the CNY
    currency, the company, the module configuration wizard marked done,
    the working-day calendar of this year and the next; return the
    company"""
    from proteus import Model, Wizard
    Lang = Model.get('ir.lang')
    User = Model.get('res.user')
    Currency = Model.get('currency.currency')
    Company = Model.get('company.company')
    Party = Model.get('party.party')
    ConfigItem = Model.get('ir.module.config_wizard.item')
    CalendarDay = Model.get('hall.calendar.day')
    Date = Model.get('ir.date')

    lang, = Lang.find([('code', '=', LANGUAGE)])
    if not lang.translatable:
        Lang.click([lang], 'load_translations')
        say(f"loaded the {LANGUAGE} translations")
    if set_database_language(cfg, LANGUAGE):
        say(f"database language set to {LANGUAGE}")
    admin, = User.find([('login', '=', 'admin')])
    if admin.language != lang:
        admin.language = lang
        admin.save()
    refresh_context(cfg)

    currencies = Currency.find([('code', '=', 'CNY')])
    if currencies:
        cny, = currencies
    else:
        cny = Currency(**CNY)
        cny.save()
        say("created the currency 人民币 (CNY)")

    timezone = company_data.get('timezone', 'Asia/Shanghai')
    companies = Company.find([])
    if companies:
        company = companies[0]
        if company.timezone != timezone:
            company.timezone = timezone
            company.save()
    else:
        party = Party(name=company_data['name'])
        address, = party.addresses
        address.street = company_data.get('street')
        address.city = company_data.get('city')
        party.save()
        company_config = Wizard('company.company.config')
        company_config.execute('company')
        form = company_config.form
        form.party = party
        form.currency = cny
        form.timezone = timezone
        company_config.execute('add')
        company, = Company.find([])
        say(f"created the company {company_data['name']}")
    admin = User(admin.id)
    if company not in admin.companies:
        admin.companies.append(Company(company.id))
    if admin.company != company:
        admin.company = company
    admin.save()
    refresh_context(cfg)

    items = ConfigItem.find([('state', '!=', 'done')])
    for item in items:
        item.state = 'done'
    if items:
        ConfigItem.save(items)
        say(f"marked {len(items)} configuration wizard items done")

    year = Date.today(cfg.context).year
    for y in [year, year + 1]:
        if not CalendarDay.find([
                    ('date', '>=', dt.date(y, 1, 1)),
                    ('date', '<=', dt.date(y, 12, 31)),
                    ], limit=1):
            seed = Wizard('hall.calendar.seed')
            seed.form.year = y
            seed.execute('seed')
            say(f"imported the public holidays of {y}")
    return company


def setup_halls(company, halls):
    "Create or update the halls of the file, by code"
    from proteus import Model
    Hall = Model.get('hall.hall')
    for values in halls:
        found = Hall.find([('code', '=', values['code'])])
        hall = found[0] if found else Hall(company=company)
        hall.code = values['code']
        hall.name = values['name']
        for key in ['address', 'phone', 'public_url']:
            if key in values:
                setattr(hall, key, values[key])
        for key in ['morning', 'afternoon']:
            if key in values:
                start, end = values[key]
                setattr(hall, f'{key}_start', start)
                setattr(hall, f'{key}_end', end)
        if 'weekend_service' in values:
            hall.weekend_service = values['weekend_service']
        hall.save()
        say(f"{'updated' if found else 'created'} the hall {hall.name}")


def setup_departments(departments):
    """Create or update the departments of the file, by code: the 实施主体 of
    the service catalogue to import"""
    from proteus import Model
    Department = Model.get('hall.department')
    changed = 0
    for values in departments:
        found = Department.find([('code', '=', values['code'])])
        department = found[0] if found else Department(code=values['code'])
        if not found or any(getattr(department, key) != values[key]
                for key in ['name', 'contact', 'phone'] if key in values):
            for key in ['name', 'contact', 'phone']:
                if key in values:
                    setattr(department, key, values[key])
            department.save()
            changed += 1
    if changed:
        say(f"created or updated {changed} departments")


def setup_users(cfg, company, users):
    """Create the users of the file that do not exist, with their roles;
    give the roles of the file to those that exist"""
    from proteus import Model
    User = Model.get('res.user')
    Role = Model.get('res.role')
    ModelData = Model.get('ir.model.data')
    Company = Model.get('company.company')
    Lang = Model.get('ir.lang')
    lang, = Lang.find([('code', '=', LANGUAGE)])
    for values in users:
        roles = []
        for xml_id in values.get('roles', []):
            module, _, name = xml_id.partition('.')
            try:
                roles.append(Role(ModelData.get_id(module, name, cfg.context)))
            except Exception:
                raise SetupError(f"用户 {values['login']} 的角色 {xml_id} "
                    "不存在（模块未启用或名称有误）")
        found = User.find([('login', '=', values['login'])])
        if found:
            user, = found
        else:
            user = User(login=values['login'], language=lang)
            user.password = secret(values, f"用户 {values['login']} ")
            user.companies.append(Company(company.id))
            user.company = Company(company.id)
        user.name = values['name']
        if values.get('email'):
            user.email = values['email']
        present = {r.role.id for r in user.roles}
        for role in roles:
            if role.id not in present:
                user.roles.new(role=role)
        user.save()
        say(f"{'updated' if found else 'created'} the user {user.login}")


def setup(setup_path, config_path=None):
    """Everything scripts/setup does; return the proteus configuration and
    the company"""
    data = load(setup_path)
    config_path = (config_path or data['database'].get('config')
        or os.environ.get('TRYTOND_CONFIG'))
    if not config_path:
        raise SetupError("未指定 trytond 配置文件：在 [database] config 中"
            "填写，或使用 -c，或设置 TRYTOND_CONFIG")
    uri, path = trytond_config(config_path)
    name = data['database']['name']
    created = create_database(uri, path, name)
    say(f"{'created' if created else 'found'} the database {name}")
    activate(config_path, data, created)
    from proteus import config as pconfig
    cfg = pconfig.set_trytond(database=name, config_file=config_path)
    company = setup_base(cfg, data['company'])
    setup_halls(company, data.get('hall', []))
    setup_departments(data.get('department', []))
    setup_users(cfg, company, data.get('user', []))
    return cfg, company
