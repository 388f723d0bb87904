using NodaTime;
using ZarrAudio.Archive;
using ZarrAudio.Metadata;

namespace ZarrAudio.Segments;

/// <summary>What to select: a daily window between two edges, on which local dates, in which zone, at which place.</summary>
public sealed record ClockWindowRequest
{
    public required WindowEdge From { get; init; }
    public required WindowEdge To { get; init; }
    /// <summary>First and last local dates; default: the dates the recordings cover.</summary>
    public DateOnly? FirstDate { get; init; }
    public DateOnly? LastDate { get; init; }
    /// <summary>The zone clock-time edges are in, for every recording; default: each recording's own zone or offset.</summary>
    public string? TimeZone { get; init; }
    /// <summary>The place sun edges are computed for; default: each recording's own coordinates.</summary>
    public double? Latitude { get; init; }
    public double? Longitude { get; init; }
}

/// <summary>A part of one recording inside one day's window.</summary>
public sealed record WindowPart(long Id, long Start, long Count, DateOnly Date, DateTimeOffset WindowStart, DateTimeOffset WindowEnd);

/// <summary>A part of one day's window at one site that no recording covers (or a window the sun never opens).</summary>
public sealed record WindowGap(string Site, DateOnly Date, DateTimeOffset From, DateTimeOffset To, string Why);

/// <summary>The selection: parts of recordings, uncovered parts of the windows, and recordings that could not be placed.</summary>
public sealed record ClockWindowSelection(IReadOnlyList<WindowPart> Parts, IReadOnlyList<WindowGap> Gaps, IReadOnlyList<(long Id, string Why)> Skipped);

/// <summary>
/// Selects the audio inside daily wall-clock or sun-relative windows across recordings. Recordings are grouped by site
/// (zone and place); each site's windows on each date are cut at recording boundaries into parts, and what of a
/// window no recording covers is a gap. A window whose end comes before its start (21:00 to 03:00, sunset to sunrise)
/// ends on the next day. Times are the recordings' instants (RecordedAt with a known offset or zone): a recording
/// whose zone is unknown cannot be placed and is skipped, named.
/// </summary>
public static class ClockWindows
{
    public static ClockWindowSelection Select(IReadOnlyList<Recording> recordings, ClockWindowRequest request)
    {
        var requestZone = request.TimeZone is { } named ? RecordingTime.Zone(named) : null;
        var usesSun = request.From.Event is not null || request.To.Event is not null;
        var skipped = new List<(long, string)>();
        var placed = new List<(Recording Recording, Instant Start, Instant End, DateTimeZone Zone, double Lat, double Lon)>();
        foreach (var r in recordings)
        {
            var t = r.Technical;
            if (RecordingTime.StartInstant(t) is not { } start)
            {
                skipped.Add((r.Id, t.RecordedAt is null ? "its start time is unknown" : "its time zone is unknown (name it with Set-RecordingMeta -TimeZone)"));
                continue;
            }
            var zone = requestZone ?? (t.TimeZone is { } z ? RecordingTime.Zone(z) : t.UtcOffsetMinutes is { } m ? DateTimeZone.ForOffset(Offset.FromSeconds(m * 60)) : null);
            if (zone is null) { skipped.Add((r.Id, "its time zone is unknown (name it with Set-RecordingMeta -TimeZone, or give -TimeZone)")); continue; }
            var (lat, lon) = (request.Latitude ?? t.Latitude, request.Longitude ?? t.Longitude);
            if (usesSun && (lat is null || lon is null)) { skipped.Add((r.Id, "its place is unknown (give -Latitude and -Longitude)")); continue; }
            var begin = Instant.FromDateTimeOffset(start);
            placed.Add((r, begin, begin + Duration.FromTicks((long)Math.Round((double)r.SampleCount / r.SampleRate * NodaConstants.TicksPerSecond)), zone, lat ?? 0, lon ?? 0));
        }
        var parts = new List<WindowPart>();
        var gaps = new List<WindowGap>();
        foreach (var site in placed.GroupBy(p => (p.Zone.Id, Math.Round(p.Lat, 3), Math.Round(p.Lon, 3))))
        {
            var (zone, lat, lon) = (site.First().Zone, site.First().Lat, site.First().Lon);
            var name = usesSun ? $"{zone.Id} {lat:0.###},{lon:0.###}" : zone.Id;
            // Sorted once; each window looks only at recordings that can reach it (those starting within the longest
            // recording's length before it), so a season of windows costs dates + parts, not dates × recordings.
            var sorted = site.OrderBy(p => p.Start).ToList();
            var longest = sorted.Max(p => p.End - p.Start);
            var first = request.FirstDate ?? site.Min(p => DateOnly.FromDateTime(p.Start.InZone(zone).Date.ToDateTimeUnspecified())).AddDays(-1);
            var last = request.LastDate ?? site.Max(p => DateOnly.FromDateTime(p.End.InZone(zone).Date.ToDateTimeUnspecified()));
            for (var date = first; date <= last; date = date.AddDays(1))
            {
                var window = Window(request, date, zone, lat, lon);
                if (window.Why is { } why)
                {
                    // A whole missing day is news only where the user asked for the dates.
                    if (request.FirstDate is not null) gaps.Add(new WindowGap(name, date, default, default, why));
                    continue;
                }
                var (ws, we) = (window.Start, window.End);
                var covered = new List<(Instant, Instant)>();
                var lo = 0;
                var hi = sorted.Count;
                while (lo < hi)
                {
                    var mid = (lo + hi) / 2;
                    if (sorted[mid].Start < ws - longest) lo = mid + 1; else hi = mid;
                }
                for (var k = lo; k < sorted.Count && sorted[k].Start < we; k++)
                {
                    var p = sorted[k];
                    var from = Max(ws, p.Start);
                    var to = Min(we, p.End);
                    if (to <= from) continue;
                    var rate = p.Recording.SampleRate;
                    var startSample = Reading.RangeRequest.ToSample((from - p.Start).TotalSeconds, rate);
                    var endSample = Math.Min(p.Recording.SampleCount, Reading.RangeRequest.ToSample((to - p.Start).TotalSeconds, rate));
                    if (endSample <= startSample) continue;
                    parts.Add(new WindowPart(p.Recording.Id, startSample, endSample - startSample, date, Local(ws, zone), Local(we, zone)));
                    covered.Add((from, to));
                }
                // Skip days before the first and after the last recording unless the user asked for them.
                if (covered.Count == 0 && request.FirstDate is null) continue;
                var at = ws;
                foreach (var (from, to) in covered.OrderBy(c => c.Item1))
                {
                    if (from > at) gaps.Add(new WindowGap(name, date, Local(at, zone), Local(from, zone), "no recording"));
                    at = Max(at, to);
                }
                if (at < we) gaps.Add(new WindowGap(name, date, Local(at, zone), Local(we, zone), "no recording"));
            }
        }
        return new ClockWindowSelection(parts, gaps, skipped);
    }

    /// <summary>One day's window as instants, or why there is none (the sun does not reach an edge's event that day).</summary>
    private static (Instant Start, Instant End, string? Why) Window(ClockWindowRequest request, DateOnly date, DateTimeZone zone, double lat, double lon)
    {
        var start = Edge(request.From, date, zone, lat, lon);
        var end = Edge(request.To, date, zone, lat, lon);
        if (start is null || end is null)
            return (default, default, $"the sun does not reach {(start is null ? request.From : request.To)} on {date:yyyy-MM-dd} at {lat:0.###},{lon:0.###}");
        // Both ends on one instant: a window a daylight-saving change swallowed (02:00 to 03:00 on the spring change).
        if (end == start) return (default, default, $"the window {request.From} to {request.To} is empty on {date:yyyy-MM-dd} (a daylight-saving change)");
        if (end < start)
        {
            end = Edge(request.To, date.AddDays(1), zone, lat, lon);
            if (end is null) return (default, default, $"the sun does not reach {request.To} on {date.AddDays(1):yyyy-MM-dd} at {lat:0.###},{lon:0.###}");
        }
        return (start.Value, end.Value, null);
    }

    private static Instant? Edge(WindowEdge edge, DateOnly date, DateTimeZone zone, double lat, double lon)
    {
        var shift = Duration.FromTimeSpan(edge.Shift);
        if (edge.Clock is { } clock)
            return new LocalDateTime(date.Year, date.Month, date.Day, clock.Hour, clock.Minute, clock.Second).InZoneLeniently(zone).ToInstant() + shift;
        return SolarEvents.Utc(edge.Event!.Value, date, lat, lon) is { } utc ? Instant.FromDateTimeOffset(utc) + shift : null;
    }

    private static DateTimeOffset Local(Instant at, DateTimeZone zone) => at.InZone(zone).ToDateTimeOffset();
    private static Instant Max(Instant a, Instant b) => a > b ? a : b;
    private static Instant Min(Instant a, Instant b) => a < b ? a : b;
}
