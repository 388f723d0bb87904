namespace ZarrAudio.Segments;

/// <summary>The sun's daily events a window can start or end at.</summary>
public enum SunEvent
{
    Sunrise, Sunset, SolarNoon,
    CivilDawn, CivilDusk, NauticalDawn, NauticalDusk, AstronomicalDawn, AstronomicalDusk,
}

/// <summary>
/// The NOAA solar position algorithm (NOAA Global Monitoring Laboratory's solar calculator, after Meeus, "Astronomical
/// Algorithms"): the sun's declination and the equation of time for a moment, and from them the UTC time of sunrise,
/// sunset, solar noon and the three twilights at a place on a date. Accurate to about a minute between ±72° latitude.
/// An event the sun does not reach that day (polar day or night) is null, never an exception. No served package
/// computes this (see README, "What we wrote by hand").
/// </summary>
public static class SolarEvents
{
    /// <summary>The event on the UTC calendar day around <paramref name="date"/>'s local noon at <paramref name="longitude"/>; null if it does not happen.</summary>
    public static DateTimeOffset? Utc(SunEvent what, DateOnly date, double latitude, double longitude)
    {
        if (latitude is < -90 or > 90 || double.IsNaN(latitude)) throw new ArgumentOutOfRangeException(nameof(latitude), latitude, "Latitude is −90 to 90 degrees.");
        if (longitude is < -180 or > 180 || double.IsNaN(longitude)) throw new ArgumentOutOfRangeException(nameof(longitude), longitude, "Longitude is −180 to 180 degrees (east positive).");
        var midnight = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        // The event's minutes after UTC midnight, found twice: first with the sun as it is at local noon, then with the
        // sun as it is at the first estimate (the declination moves up to 0.4° a day).
        var minutes = 720 - 4 * longitude;
        for (var pass = 0; pass < 2; pass++)
        {
            var (declination, equationOfTime) = Sun(JulianCentury(midnight.AddMinutes(minutes)));
            var noon = 720 - 4 * longitude - equationOfTime;
            if (what == SunEvent.SolarNoon) { minutes = noon; continue; }
            if (HourAngle(latitude, declination, Zenith(what)) is not { } hourAngle) return null;
            minutes = IsMorning(what) ? noon - 4 * hourAngle : noon + 4 * hourAngle;
        }
        return midnight.AddMinutes(minutes);
    }

    private static double Zenith(SunEvent what) => what switch
    {
        SunEvent.Sunrise or SunEvent.Sunset => 90.833, // the sun's upper limb on the horizon, with standard refraction
        SunEvent.CivilDawn or SunEvent.CivilDusk => 96,
        SunEvent.NauticalDawn or SunEvent.NauticalDusk => 102,
        _ => 108,
    };

    private static bool IsMorning(SunEvent what) => what is SunEvent.Sunrise or SunEvent.CivilDawn or SunEvent.NauticalDawn or SunEvent.AstronomicalDawn;

    private static double JulianCentury(DateTimeOffset at) => (at.UtcDateTime.ToOADate() + 2415018.5 - 2451545.0) / 36525.0;

    /// <summary>The sun's declination (degrees) and the equation of time (minutes) at Julian century <paramref name="t"/>.</summary>
    private static (double Declination, double EquationOfTime) Sun(double t)
    {
        var meanLongitude = Mod360(280.46646 + t * (36000.76983 + t * 0.0003032));
        var meanAnomaly = 357.52911 + t * (35999.05029 - 0.0001537 * t);
        var eccentricity = 0.016708634 - t * (0.000042037 + 0.0000001267 * t);
        var m = Rad(meanAnomaly);
        var center = Math.Sin(m) * (1.914602 - t * (0.004817 + 0.000014 * t)) + Math.Sin(2 * m) * (0.019993 - 0.000101 * t) + Math.Sin(3 * m) * 0.000289;
        var trueLongitude = meanLongitude + center;
        var omega = 125.04 - 1934.136 * t;
        var apparentLongitude = trueLongitude - 0.00569 - 0.00478 * Math.Sin(Rad(omega));
        var meanObliquity = 23 + (26 + (21.448 - t * (46.815 + t * (0.00059 - t * 0.001813))) / 60) / 60;
        var obliquity = meanObliquity + 0.00256 * Math.Cos(Rad(omega));
        var declination = Deg(Math.Asin(Math.Sin(Rad(obliquity)) * Math.Sin(Rad(apparentLongitude))));
        var y = Math.Pow(Math.Tan(Rad(obliquity / 2)), 2);
        var l0 = Rad(meanLongitude);
        var equationOfTime = 4 * Deg(y * Math.Sin(2 * l0) - 2 * eccentricity * Math.Sin(m) + 4 * eccentricity * y * Math.Sin(m) * Math.Cos(2 * l0)
            - 0.5 * y * y * Math.Sin(4 * l0) - 1.25 * eccentricity * eccentricity * Math.Sin(2 * m));
        return (declination, equationOfTime);
    }

    /// <summary>The hour angle (degrees) at which the sun's centre is at <paramref name="zenith"/>; null when it never is that day.</summary>
    private static double? HourAngle(double latitude, double declination, double zenith)
    {
        var phi = Rad(latitude);
        var delta = Rad(declination);
        var cos = Math.Cos(Rad(zenith)) / (Math.Cos(phi) * Math.Cos(delta)) - Math.Tan(phi) * Math.Tan(delta);
        return cos is < -1 or > 1 || double.IsNaN(cos) ? null : Deg(Math.Acos(cos));
    }

    private static double Rad(double degrees) => degrees * Math.PI / 180;
    private static double Deg(double radians) => radians * 180 / Math.PI;
    private static double Mod360(double degrees) => ((degrees % 360) + 360) % 360;
}
