"""Sun events by PyEphem (Debian's python3-ephem), the reference the NOAA implementation is tested against.

Reads JSON cases [{"event", "date", "lat", "lon"}] on stdin and prints, for each, the UTC time of that event on that
local date as ISO 8601, or null when the sun does not reach it that day. The horizons are NOAA's: the sun's centre
0°50' below the horizon for sunrise and sunset, 6°, 12° and 18° for the twilights; no atmosphere (pressure 0), since
NOAA's 50' already includes refraction.
"""
import json
import sys
from datetime import datetime, timedelta, timezone

import ephem

HORIZON = {"Sunrise": "-0:50", "Sunset": "-0:50", "CivilDawn": "-6", "CivilDusk": "-6",
           "NauticalDawn": "-12", "NauticalDusk": "-12", "AstronomicalDawn": "-18", "AstronomicalDusk": "-18"}
MORNING = {"Sunrise", "CivilDawn", "NauticalDawn", "AstronomicalDawn"}

out = []
for case in json.load(sys.stdin):
    observer = ephem.Observer()
    observer.lat, observer.lon = str(case["lat"]), str(case["lon"])
    observer.pressure = 0
    observer.elevation = 0
    sun = ephem.Sun()
    # The local solar day: from local solar midnight before the date's noon to the next.
    day = datetime.fromisoformat(case["date"]).replace(tzinfo=timezone.utc)
    noon = day + timedelta(hours=12) - timedelta(hours=case["lon"] / 15)
    if case["event"] == "SolarNoon":
        observer.date = ephem.Date(noon - timedelta(hours=12))
        t = observer.next_transit(sun)
        out.append(t.datetime().replace(tzinfo=timezone.utc).isoformat())
        continue
    observer.horizon = HORIZON[case["event"]]
    try:
        if case["event"] in MORNING:
            observer.date = ephem.Date(noon)
            t = observer.previous_rising(sun, use_center=True)
        else:
            observer.date = ephem.Date(noon)
            t = observer.next_setting(sun, use_center=True)
        when = t.datetime().replace(tzinfo=timezone.utc)
        # An event more than 12 h from the day's noon belongs to another day: this day has none.
        out.append(when.isoformat() if abs((when - noon).total_seconds()) < 12 * 3600 else None)
    except (ephem.AlwaysUpError, ephem.NeverUpError):
        out.append(None)
print(json.dumps(out))
