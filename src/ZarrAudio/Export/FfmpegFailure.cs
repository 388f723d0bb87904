using System.Globalization;
using System.Text.RegularExpressions;

namespace ZarrAudio.Export;

/// <summary>
/// Why ffmpeg could not export, said for the user: ffmpeg's own reason lines (its "[libmp3lame @ 0x…]" prefixes, the
/// generic "Conversion failed!" and the hidden partial file's name taken out), and for a format that cannot hold the
/// recording's rate, which formats can: exports never resample behind the user's back.
/// </summary>
internal static partial class FfmpegFailure
{
    [GeneratedRegex(@"^(\[[^\]]+ @ 0x[0-9a-fA-F]+\]\s*)+")]
    private static partial Regex ComponentPrefix();

    [GeneratedRegex(@"sample ?rate \d+ is not supported|encoder setup failed|Invalid sample rate", RegexOptions.IgnoreCase)]
    private static partial Regex RateRefused();

    private static readonly string[] Generic = ["Conversion failed!"];

    /// <summary>The last few lines ffmpeg wrote that say something, cleaned of its internals.</summary>
    public static string Reason(IEnumerable<string> lines, string partial, string target, string fallback)
    {
        var said = lines.Select(l => ComponentPrefix().Replace(l.Trim(), "").Replace(partial, target))
            .Where(l => l.Length > 0 && !Generic.Contains(l) && !l.StartsWith("size=", StringComparison.Ordinal)).Distinct().TakeLast(3).ToList();
        return said.Count == 0 ? fallback : string.Join("; ", said);
    }

    /// <summary>The error for a failed export: a format that cannot hold the rate, no such muxer, or ffmpeg's reason.</summary>
    public static ZarrAudioException For(IReadOnlyList<string> lines, Archive.Recording recording, string format, string partial, string target, Exception error)
    {
        var reason = Reason(lines, partial, target, error.Message);
        if (lines.Any(l => l.Contains("output format", StringComparison.OrdinalIgnoreCase)))
            return new UnsupportedExportFormatException($"ffmpeg has no muxer for '{format}': {reason}", error);
        if (lines.Any(l => RateRefused().IsMatch(l)))
            return new UnsupportedExportFormatException(string.Create(CultureInfo.InvariantCulture,
                $"'{format}' cannot hold the {recording.SampleRate:N0} Hz samples of recording {recording.Id}, and an export never resamples unasked (ffmpeg: {reason}). WAV, W64, CAF and FLAC keep every rate; to export at a lower rate, ask for it, e.g. -FFmpegOption '-ar 48000'."), error);
        return new ExportFailedException($"ffmpeg could not export recording {recording.Id} to '{target}': {reason}", error);
    }
}
