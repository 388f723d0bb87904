using System.Globalization;
using System.Text.RegularExpressions;
using FFMpegCore;

namespace ZarrAudio.Import;

/// <summary>
/// Notices a source whose audio format changes midway (a chained Ogg, a stream that switches rate or channels)
/// while ffmpeg decodes it. ffmpeg would configure its filter graph again and resample or remix the rest to the
/// first part's format; its verbose log says so ("tb:… samplefmt:… samplerate:… chlayout:…" for each
/// configuration), which costs nothing to watch. When it happens, <see cref="LocateAsync"/> finds the exact sample
/// with a second pass through ffmpeg's ashowinfo filter, for an error that names it.
/// </summary>
internal sealed partial class FfmpegFormatWatch
{
    [GeneratedRegex(@"\[verbose\] tb:\S+ samplefmt:(?<fmt>\S+) samplerate:(?<rate>\d+) chlayout:(?<layout>.+?)\s*$")]
    private static partial Regex GraphInput();

    [GeneratedRegex(@"\bfmt:(?<fmt>\S+) channels:(?<channels>\d+) chlayout:(?<layout>.+?) rate:(?<rate>\d+) nb_samples:(?<n>\d+)")]
    private static partial Regex FrameInfo();

    [GeneratedRegex(@"\[(?<level>panic|fatal|error|warning)\] (?<text>.*)$")]
    private static partial Regex Problem();

    /// <summary>ffmpeg's log option that makes both the graph's configurations and each line's level visible.</summary>
    public const string LogLevel = "-v level+verbose";

    private string? _first;

    /// <summary>The first format and the one it changed to, once seen.</summary>
    public (string Before, string After)? Change { get; private set; }

    /// <summary>The last warning or error ffmpeg wrote, without its level tag: the reason a failed decode gives.</summary>
    public string? LastProblem { get; private set; }

    /// <returns>True when this line shows the format changing (the first time).</returns>
    public bool Observe(string line)
    {
        if (Problem().Match(line) is { Success: true } problem) LastProblem = problem.Groups["text"].Value.Trim();
        if (GraphInput().Match(line) is not { Success: true } m) return false;
        var format = Describe(m.Groups["rate"].Value, m.Groups["layout"].Value, m.Groups["fmt"].Value);
        if (_first is null) _first = format;
        else if (format != _first && Change is null)
        {
            Change = (_first, format);
            return true;
        }
        return false;
    }

    private static string Describe(string rate, string layout, string sampleFormat) =>
        $"{long.Parse(rate, CultureInfo.InvariantCulture):N0} Hz, {layout.Trim()}, {sampleFormat}";

    /// <summary>The change as an error naming its first sample (in the first part's samples), found by ashowinfo.</summary>
    public async Task<SourceFormatChangedException> LocateAsync(SourceProbe probe, CancellationToken ct)
    {
        var (before, after) = Change!.Value;
        long samples = 0, at = -1;
        string? first = null;
        var rate = probe.SampleRate;
        await FFMpegArguments.FromFileInput(probe.Path)
            .OutputToFile("-", overwrite: false, o => o.WithCustomArgument($"-map 0:a:{probe.AudioOrdinal} -vn -sn -dn -af ashowinfo").ForceFormat("null"))
            .NotifyOnStandardError(line =>
            {
                if (at >= 0 || FrameInfo().Match(line) is not { Success: true } m) return;
                var format = Describe(m.Groups["rate"].Value, m.Groups["layout"].Value, m.Groups["fmt"].Value);
                first ??= format;
                if (format != first) { at = samples; return; }
                rate = int.Parse(m.Groups["rate"].Value, CultureInfo.InvariantCulture);
                samples += long.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
            })
            .CancellableThrough(ct)
            .ProcessAsynchronously(throwOnError: false).ConfigureAwait(false);
        return new SourceFormatChangedException(probe.Path, at >= 0 ? at : samples, rate, before, after, canSplit: false);
    }
}
