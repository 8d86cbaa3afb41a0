"""What the tests and the validation scripts share (not shipped in the wheel).

- ``nasa``: NASA's Five Millennium Canon (elements and catalog rows) read
  from ``data/reference``, for comparison only;
- ``oracle``: astropy's topocentric Sun and Moon, an independent computation;
- ``curves``: distances between curves on the ellipsoid;
- ``cache``: eclipses and paths computed once per process;
- ``cli``: the `eclipse` command run in this process or as a process;
- ``timing``: best-of-n wall-clock timing for the benchmark scripts;
- ``history``: eclipses history records as total at a known place, for the
  long-range checks.
"""
