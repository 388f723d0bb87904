using System.Text.Json.Nodes;
using ZarrAudio.Archive;
using ZarrAudio.Metadata;
using ZarrAudio.Segments;
using ZarrAudio.Testing;

namespace ZarrAudio.Tests;

/// <summary>Start times with their offsets and zones, and windows of clock and sun time across recordings.</summary>
public class ClockWindowTests
{
    [Fact]
    public void TheRecordersLocalTimeIsKeptWithItsOffsetAndAZoneIsNeverGuessed()
    {
        var moth = new TechnicalMetadata();
        StructuredFields.Fill(moth, new JsonObject { ["riff_info"] = new JsonObject { ["ICMT"] = "Recorded at 21:30:00 03/05/2024 (UTC+2) by AudioMoth 24526B065D325963 at medium gain." } });
        Assert.Equal(new DateTime(2024, 5, 3, 19, 30, 0, DateTimeKind.Utc), moth.RecordedAt);
        Assert.Equal(new DateTimeOffset(2024, 5, 3, 21, 30, 0, TimeSpan.FromHours(2)), RecordingTime.Local(moth));
        Assert.Equal(21, RecordingTime.Local(moth)!.Value.Hour); // a night recording, though 19:30 UTC

        var guano = new TechnicalMetadata();
        StructuredFields.Fill(guano, new JsonObject { ["guano"] = new JsonObject { ["Timestamp"] = "2024-05-03T21:34:14+01:00" } });
        Assert.Equal(new DateTimeOffset(2024, 5, 3, 21, 34, 14, TimeSpan.FromHours(1)), RecordingTime.Local(guano));

        var bext = new TechnicalMetadata();
        StructuredFields.Fill(bext, new JsonObject { ["bext"] = new JsonObject { ["origination_date"] = "2024-03-31", ["origination_time"] = "01:30:00" } });
        Assert.Equal(DateTimeKind.Unspecified, bext.RecordedAt!.Value.Kind);
        Assert.Null(RecordingTime.Local(bext));
        Assert.Null(RecordingTime.StartInstant(bext));
        RecordingTime.SetZone(bext, "Europe/Berlin");
        Assert.Equal(new DateTimeOffset(2024, 3, 31, 1, 30, 0, TimeSpan.FromHours(1)), RecordingTime.Local(bext));
        Assert.Equal(new DateTime(2024, 3, 31, 0, 30, 0, DateTimeKind.Utc), bext.RecordedAt);
        // A stated instant keeps its instant; the zone gives its local time.
        RecordingTime.SetZone(moth, "America/Bogota");
        Assert.Equal(new DateTimeOffset(2024, 5, 3, 14, 30, 0, TimeSpan.FromHours(-5)), RecordingTime.Local(moth));
        Assert.Throws<UnknownTimeZoneException>(() => RecordingTime.SetZone(moth, "Mars/Olympus"));
    }

    private static async Task<long> Minutes(AudioArchive archive, string start, string? zone, double minutes)
    {
        var wall = DateTime.Parse(start.Length > 16 && start.EndsWith('Z') ? start[..^1] : start, System.Globalization.CultureInfo.InvariantCulture);
        var options = new ImportOptions { RecordedAt = (wall, start.EndsWith('Z') ? TimeSpan.Zero : null), TimeZone = zone };
        return (await archive.ImportSamplesAsync(new short[(int)(100 * 60 * minutes)], 100, options)).Id;
    }

    [Fact]
    public async Task WindowsAreCutAtRecordingBoundariesAcrossMidnightWithTheGapsNamed()
    {
        using var dir = new TempDirectory();
        using var archive = await AudioArchive.MountAsync(dir.Combine("a"), "", create: true);
        // 100 Hz "recordings": night 1 from 22:30 for 3 h, night 2 from 23:30 for 30 min, one without a zone.
        var a = await Minutes(archive, "2024-05-03 22:30", "Europe/Berlin", 180);
        var b = await Minutes(archive, "2024-05-04 23:30", "Europe/Berlin", 30);
        var lost = await Minutes(archive, "2024-05-04 23:30", null, 30);
        var request = new ClockWindowRequest { From = WindowEdge.Parse("23:00"), To = WindowEdge.Parse("01:00"), FirstDate = new(2024, 5, 3), LastDate = new(2024, 5, 5) };
        var selection = ClockWindows.Select(await archive.GetRecordingsAsync(), request);
        Assert.Equal([(a, 30 * 60 * 100L, 120 * 60 * 100L), (b, 0L, 30 * 60 * 100L)], selection.Parts.Select(p => (p.Id, p.Start, p.Count)));
        Assert.Equal(new DateTimeOffset(2024, 5, 4, 1, 0, 0, TimeSpan.FromHours(2)), selection.Parts[0].WindowEnd);
        Assert.Equal([(new DateOnly(2024, 5, 4), "23:00", "23:30"), (new DateOnly(2024, 5, 4), "00:00", "01:00"), (new DateOnly(2024, 5, 5), "23:00", "01:00")],
            selection.Gaps.Select(g => (g.Date, g.From.ToString("HH:mm"), g.To.ToString("HH:mm"))));
        Assert.Equal([lost], selection.Skipped.Select(s => s.Id));
    }

    [Fact]
    public async Task SunWindowsFollowTheSunAndPolarDaysHaveNone()
    {
        using var dir = new TempDirectory();
        using var archive = await AudioArchive.MountAsync(dir.Combine("a"), "", create: true);
        var id = await Minutes(archive, "2024-05-03T03:00:00Z", "Europe/Berlin", 240);
        var dawn = new ClockWindowRequest { From = WindowEdge.Parse("sunrise-30m"), To = WindowEdge.Parse("sunrise+90m"), Latitude = 52.52, Longitude = 13.40 };
        var part = Assert.Single(ClockWindows.Select(await archive.GetRecordingsAsync(), dawn).Parts);
        var sunrise = SolarEvents.Utc(SunEvent.Sunrise, new DateOnly(2024, 5, 3), 52.52, 13.40)!.Value;
        Assert.Equal(id, part.Id);
        Assert.Equal((long)Math.Round((sunrise.AddMinutes(-30) - new DateTimeOffset(2024, 5, 3, 3, 0, 0, TimeSpan.Zero)).TotalSeconds * 100), part.Start);
        Assert.Equal(2 * 3600 * 100, part.Count);
        var polar = dawn with { Latitude = 78.2, Longitude = 15.6, FirstDate = new(2024, 5, 3), LastDate = new(2024, 5, 3) };
        var none = ClockWindows.Select(await archive.GetRecordingsAsync(), polar);
        Assert.Empty(none.Parts);
        Assert.Contains("the sun does not reach sunrise", Assert.Single(none.Gaps).Why);
        // The spring change in Berlin swallows 02:00 to 03:00 on 31 March.
        var swallowed = new ClockWindowRequest { From = WindowEdge.Parse("02:00"), To = WindowEdge.Parse("03:00"), FirstDate = new(2024, 3, 31), LastDate = new(2024, 3, 31), TimeZone = "Europe/Berlin" };
        Assert.Contains("daylight-saving", Assert.Single(ClockWindows.Select(await archive.GetRecordingsAsync(), swallowed).Gaps).Why);
        Assert.Throws<ArgumentException>(() => WindowEdge.Parse("soon"));
        Assert.Equal(TimeSpan.FromMinutes(-90), WindowEdge.Parse("civil-dusk - 1h30m").Shift);
    }
}
