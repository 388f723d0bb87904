using System.Globalization;
using ZarrAudio.Archive;

namespace ZarrAudio.Export;

/// <summary>
/// Names an exported file after its source: "dawn.wav" → "dawn.flac" for a whole recording,
/// "dawn_48000-96000.flac" for samples [48000, 96000). Recordings imported from arrays are "recording-{id}".
/// </summary>
public static class ExportFileName
{
    public static string For(Recording recording, long start, long count, string format)
    {
        var source = recording.Metadata.Source?.FileName;
        var stem = string.IsNullOrWhiteSpace(source) ? $"recording-{recording.Id}" : Path.GetFileNameWithoutExtension(source);
        foreach (var invalid in Path.GetInvalidFileNameChars().Append('\\')) stem = stem.Replace(invalid, '_');
        var whole = start == 0 && count == recording.SampleCount;
        var range = whole ? "" : string.Create(CultureInfo.InvariantCulture, $"_{start}-{start + count}");
        return stem + range + "." + ExtensionFor(format);
    }

    /// <summary>The usual file extension for an ffmpeg muxer name (matroska → mka); other names are their own extension.</summary>
    public static string ExtensionFor(string format) => format.ToLowerInvariant() switch
    {
        "matroska" => "mka",
        "mp4" or "ipod" => "m4a",
        "adts" => "aac",
        "wv" or "wavpack" => "wv",
        "s16le" or "s24le" or "s32le" or "f32le" => "raw",
        var other => other,
    };
}
