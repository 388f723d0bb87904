using System.Globalization;
using NodaTime;

namespace ZarrAudio.Metadata;

/// <summary>
/// When a recording started, as its source gave it and as an instant: the recorder's wall-clock time
/// (<see cref="TechnicalMetadata.RecordedAtLocal"/>), its offset from UTC when the source states one (AudioMoth's
/// "(UTC+2)", GUANO's "+0100") or a time zone the user names (IANA, through NodaTime) says it, and from those
/// <see cref="TechnicalMetadata.RecordedAt"/> in UTC. Without either, the wall-clock time stays what it is and the zone
/// is unknown (RecordedAt of kind Unspecified); it is never taken for UTC.
/// </summary>
public static class RecordingTime
{
    private const string LocalFormat = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF";

    /// <summary>Records a start the source gave: its wall-clock time, with the offset it states (null: none stated).</summary>
    public static void FromSource(TechnicalMetadata t, DateTime wallClock, TimeSpan? offset)
    {
        if (t.RecordedAt is not null) return; // the best source came first
        t.RecordedAtLocal = wallClock.ToString(LocalFormat, CultureInfo.InvariantCulture);
        t.UtcOffsetMinutes = offset is { } o ? (int)o.TotalMinutes : null;
        t.RecordedAt = offset is { } known ? DateTime.SpecifyKind(wallClock - known, DateTimeKind.Utc) : DateTime.SpecifyKind(wallClock, DateTimeKind.Unspecified);
    }

    /// <summary>Records a start the source gave as an instant only (an MP4 creation_time): the local time is unknown until a zone is named.</summary>
    public static void FromInstant(TechnicalMetadata t, DateTime utc)
    {
        if (t.RecordedAt is not null) return;
        t.RecordedAt = DateTime.SpecifyKind(utc, DateTimeKind.Utc);
    }

    /// <summary>The zone of that IANA name, or an <see cref="UnknownTimeZoneException"/> naming it.</summary>
    public static DateTimeZone Zone(string name) =>
        DateTimeZoneProviders.Tzdb.GetZoneOrNull(name)
        ?? throw new UnknownTimeZoneException(name);

    /// <summary>
    /// Names the zone the recording's local time is in. A wall-clock time without a stated offset is placed in that zone
    /// (RecordedAt becomes its instant); a start known as an instant (a stated offset, an MP4 creation time) keeps its
    /// instant, and its local time becomes the zone's at that instant (the file's own statement stays in File).
    /// </summary>
    public static void SetZone(TechnicalMetadata t, string name)
    {
        var zone = Zone(name);
        t.TimeZone = zone.Id;
        if (t.RecordedAt is not { } at) return;
        if (at.Kind != DateTimeKind.Utc && t.UtcOffsetMinutes is null)
        {
            var wallClock = t.RecordedAtLocal is { } text ? DateTime.ParseExact(text, LocalFormat, CultureInfo.InvariantCulture) : at;
            var zoned = LocalDateTime.FromDateTime(wallClock).InZoneLeniently(zone);
            t.RecordedAtLocal = wallClock.ToString(LocalFormat, CultureInfo.InvariantCulture);
            t.UtcOffsetMinutes = (int)zoned.Offset.ToTimeSpan().TotalMinutes;
            t.RecordedAt = zoned.ToDateTimeUtc();
            return;
        }
        var instant = NodaTime.Instant.FromDateTimeUtc(DateTime.SpecifyKind(at, DateTimeKind.Utc));
        var offset = zone.GetUtcOffset(instant).ToTimeSpan();
        t.UtcOffsetMinutes = (int)offset.TotalMinutes;
        t.RecordedAtLocal = (at + offset).ToString(LocalFormat, CultureInfo.InvariantCulture);
    }

    /// <summary>Moves the start later by <paramref name="by"/> (a part of a file that begins after the parts before it).</summary>
    public static void Shift(TechnicalMetadata t, TimeSpan by)
    {
        if (by == TimeSpan.Zero || t.RecordedAt is not { } at) return;
        t.RecordedAt = at + by;
        if (t.RecordedAtLocal is { } text)
            t.RecordedAtLocal = (DateTime.ParseExact(text, LocalFormat, CultureInfo.InvariantCulture) + by).ToString(LocalFormat, CultureInfo.InvariantCulture);
    }

    /// <summary>The start as the recorder's clock showed it, with its offset; null when the offset (or the start) is unknown.</summary>
    public static DateTimeOffset? Local(TechnicalMetadata t) =>
        t.RecordedAtLocal is { } text && t.UtcOffsetMinutes is { } minutes
            ? new DateTimeOffset(DateTime.ParseExact(text, LocalFormat, CultureInfo.InvariantCulture), TimeSpan.FromMinutes(minutes))
            : null;

    /// <summary>The start as an instant; null when unknown or when the zone is unknown (a wall-clock time alone).</summary>
    public static DateTimeOffset? StartInstant(TechnicalMetadata t) =>
        t.RecordedAt is { Kind: DateTimeKind.Utc } utc ? new DateTimeOffset(utc, TimeSpan.Zero) : null;
}

/// <summary>A time zone name the IANA database does not know.</summary>
public sealed class UnknownTimeZoneException(string name)
    : ZarrAudioException($"'{name}' is not a time zone of the IANA database (e.g. Europe/Berlin, America/Bogota, UTC).");
