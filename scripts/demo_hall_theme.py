# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Demo of hall_theme: the materials of the demo's catalogue are classified
by the types the module brings as the services are created; here the hall
sets the three exemptions it decides (免带印章, 免纸质签名, 少填免填) on the
services handled online whose licences are all electronic (免带证照), which
have the four exemptions then, and reports the figures."""
from proteus import Model

from demo_tools import ModuleDemo


class ThemeDemo(ModuleDemo):

    def run(self):
        Service = Model.get('hall.service')
        Material = Model.get('hall.service.material')
        Figures = Model.get('hall.material.figures')
        services = Service.find([
                ('online', '=', True), ('exempt_licence', '=', True)])
        for service in services:
            service.exempt_seal = True
            service.exempt_signature = True
            service.exempt_filling = True
        Service.save(services)
        figures, = Figures.find([])
        self.say("theme: %d materials of %d services, %d of a type, "
            "%d unclassified; %d linked to electronic licences (%.2f%%) "
            "of %d kinds; %d services without licences to bring, %d with "
            "the four exemptions" % (
                figures.materials, figures.services, figures.classified,
                len(Material.find([('type', '=', None)])),
                figures.electronic_materials,
                100 * (figures.electronic_rate or 0), figures.licence_kinds,
                figures.exempt_licence, figures.four_exemptions))
        return []


def load(cfg, company, password_of, say):
    return ThemeDemo(cfg, company, password_of, say).run()
