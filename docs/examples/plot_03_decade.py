"""
A decade of eclipses: 2020-2029
===============================

Every solar eclipse of a decade on one map: :func:`eclipse.find` over the
span, then :func:`eclipse.maps.plot_span` draws the central path of each
total, annular and hybrid one (the partial ones, which have no central path,
are only in the list).
"""

import eclipse
import eclipse.maps

eclipses = eclipse.find(start="2020-01-01", end="2029-12-31")
for e in eclipses:
    print(f"{e.date}  {e.kind:<8} magnitude {e.magnitude:.4f}")

fig = eclipse.maps.plot_span(eclipses, title="Solar eclipses of 2020-2029")
