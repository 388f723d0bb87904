using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ZarrAudio.Zarr.Stores;

/// <summary>
/// Who holds something and since when: the process id, host and time that id claims, metadata locks and the zip
/// writer's lock record, and the one test of whether that holder is gone. Fields a record lacks stay unknown.
/// </summary>
public sealed record ProcessStamp(int? Pid, string? Host, DateTimeOffset? Since)
{
    public static ProcessStamp OfThisProcess() => new(Environment.ProcessId, Environment.MachineName, DateTimeOffset.UtcNow);

    /// <summary>The stamp as JSON, its time under <paramref name="timeField"/> ("started" in id claims, "since" in locks).</summary>
    public JsonObject ToJson(string timeField = "since") => new()
    {
        ["pid"] = Pid,
        ["host"] = Host,
        [timeField] = Since?.ToString("o", CultureInfo.InvariantCulture),
    };

    public static ProcessStamp FromJson(JsonObject json, string timeField = "since") => new(
        json["pid"]?.GetValue<int>(),
        json["host"]?.GetValue<string>(),
        json[timeField]?.GetValue<string>() is { } at && DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.None, out var when) ? when : null);

    /// <summary>A stored record as a JSON object, or null when it is not one (damaged: its holder counts as gone).</summary>
    public static JsonObject? ParseRecord(byte[] bytes)
    {
        try { return JsonNode.Parse(bytes) as JsonObject; }
        catch (JsonException) { return null; }
    }

    /// <summary>
    /// True when the holder is certainly gone: the stamp is older than <paramref name="maxAge"/> (when one is given),
    /// or names a process of this host that no longer runs. A holder on another host is judged by age alone.
    /// </summary>
    public bool IsGone(TimeSpan? maxAge)
    {
        if (maxAge is { } limit && Since is { } since && DateTimeOffset.UtcNow - since > limit) return true;
        return Host == Environment.MachineName && Pid is { } pid && !IsRunning(pid);
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    public override string ToString() => $"process {Pid?.ToString(CultureInfo.InvariantCulture) ?? "?"} on {Host ?? "?"}";
}
