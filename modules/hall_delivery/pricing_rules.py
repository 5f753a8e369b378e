# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Courier price tiers, with no ORM import."
import math
from decimal import Decimal


def delivery_cost(tiers, weight, extra_kg_price=Decimal(0)):
    """Return the price of one piece of `weight` kilograms.

    `tiers` are (max_weight, price) pairs: the piece costs the price of the
    lightest tier that holds it; over the heaviest tier, each started
    kilogram beyond it costs `extra_kg_price`. Return None without tiers.
    """
    if not tiers:
        return None
    tiers = sorted(tiers)
    for max_weight, price in tiers:
        if weight <= max_weight:
            return price
    max_weight, price = tiers[-1]
    extra_kg = math.ceil(weight - max_weight)
    return price + extra_kg * (extra_kg_price or Decimal(0))
