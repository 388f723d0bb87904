using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ZarrAudio.Zarr.Stores;

/// <summary>
/// Who holds something and since when: the process id, host and time that id claims, metadata locks and the zip
/// writer's lock record, and the one test of whether that holder is gone. Fields a record lacks stay unknown.
/// </summary>
public sealed record ProcessStamp(int? Pid, string? Host, DateTimeOffset? Since, DateTimeOffset? LeaseUntil = null)
{
    /// <summary>
    /// This host's name in stamps: ZARRAUDIO_HOST when set (containers and cluster nodes that share a machine name,
    /// or tests that play several hosts), else the machine name.
    /// </summary>
    public static string ThisHost { get; } =
        Environment.GetEnvironmentVariable("ZARRAUDIO_HOST") is { Length: > 0 } host ? host : Environment.MachineName;

    public static ProcessStamp OfThisProcess(TimeSpan? lease = null)
    {
        var now = DateTimeOffset.UtcNow;
        return new(Environment.ProcessId, ThisHost, now, lease is { } l ? now + l : null);
    }

    /// <summary>
    /// This process in a file name ("{pid}.{host tag}"): a temporary file named with it says who writes it, so a file
    /// whose writer is gone can be removed at once, and one whose writer may still be at work is left alone.
    /// </summary>
    public static string FileTag { get; } = $"{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}.{HostTag(ThisHost)}";

    private static string HostTag(string host) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(host)))[..8].ToLowerInvariant();

    /// <summary>
    /// What a name that starts with <paramref name="prefix"/> then a <see cref="FileTag"/> says of its writer: true when
    /// it is a process of this host that no longer runs, false when it runs, null when the name has no tag or names another host.
    /// </summary>
    public static bool? WriterIsGone(string name, string prefix)
    {
        if (!name.StartsWith(prefix, StringComparison.Ordinal)) return null;
        var parts = name[prefix.Length..].Split('.');
        if (parts.Length < 3 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || parts[1] != HostTag(ThisHost)) return null;
        return !IsRunning(pid);
    }

    /// <summary>The field that holds a lease's end: the holder renews it while it works.</summary>
    public const string LeaseField = "lease_until";

    /// <summary>The stamp as JSON, its time under <paramref name="timeField"/> ("started" in id claims, "since" in locks).</summary>
    public JsonObject ToJson(string timeField = "since") => new()
    {
        ["pid"] = Pid,
        ["host"] = Host,
        [timeField] = Since?.ToString("o", CultureInfo.InvariantCulture),
        [LeaseField] = LeaseUntil?.ToString("o", CultureInfo.InvariantCulture),
    };

    public static ProcessStamp FromJson(JsonObject json, string timeField = "since") => new(
        json["pid"]?.GetValue<int>(),
        json["host"]?.GetValue<string>(),
        Time(json[timeField]),
        Time(json[LeaseField]));

    private static DateTimeOffset? Time(JsonNode? node) =>
        node?.GetValue<string>() is { } at && DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.None, out var when) ? when : null;

    /// <summary>A stored record as a JSON object, or null when it is not one (damaged: its holder counts as gone).</summary>
    public static JsonObject? ParseRecord(byte[] bytes)
    {
        try { return JsonNode.Parse(bytes) as JsonObject; }
        catch (JsonException) { return null; }
    }

    /// <summary>
    /// True when the holder is certainly gone: its lease ran out (a holder with a lease renews it while it works,
    /// whatever host it is on), or, for a stamp without a lease, it is older than <paramref name="maxAge"/> (when one
    /// is given); or it names a process of this host that no longer runs.
    /// </summary>
    public bool IsGone(TimeSpan? maxAge)
    {
        var now = DateTimeOffset.UtcNow;
        if (LeaseUntil is { } until) { if (now > until) return true; }
        else if (maxAge is { } limit && Since is { } since && now - since > limit) return true;
        return Host == ThisHost && Pid is { } pid && !IsRunning(pid);
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
