using System.Text.Json.Nodes;
using ZarrAudio.Metadata;

namespace ZarrAudio.Import.Flac;

/// <summary>
/// A native FLAC source as the import sees it: its format from STREAMINFO (or, without one, from its first frame),
/// ffprobe's report where ffprobe reads the file (ffmpeg 5.1 refuses 32-bit FLAC), else one made from the
/// metadata blocks, and the blocks themselves for the file metadata.
/// </summary>
internal static class FlacProbe
{
    public static async Task<SourceProbe> ProbeAsync(string path, CancellationToken ct)
    {
        var header = FlacFileHeader.Read(path);
        var format = header.StreamInfo is { } info
            ? new FlacFormat(info.SampleRate, info.Channels, info.BitsPerSample)
            : FlacSourceReader.FirstFrameFormat(path);
        if (format.SampleRate <= 0) throw new UnsupportedSourceException($"'{path}' is a FLAC stream without a sample rate (its STREAMINFO says 0 Hz).");
        JsonObject report;
        try { report = (await SourceProbe.ProbeWithFfprobeAsync(path, null, ct).ConfigureAwait(false)).Report; }
        catch (UnsupportedSourceException) { report = OwnReport(header, format); }
        var declared = header.StreamInfo?.TotalSamples is > 0 and var total ? total : (long?)null;
        return new SourceProbe(path, 0, 0, format.SampleRate, format.Channels, false, format.BitsPerSample, "flac", "flac",
            format.BitsPerSample <= 16 ? "s16" : "s32", declared ?? 0, report)
        { Flac = header, DeclaredSamples = declared };
    }

    /// <summary>The report's shape as ffprobe gives it (format tags are what structured fields look in), from the blocks.</summary>
    private static JsonObject OwnReport(FlacFileHeader header, FlacFormat format)
    {
        var tags = new JsonObject();
        foreach (var (key, value) in header.Comments) tags[key] = tags[key] is { } earlier ? $"{earlier};{value}" : value;
        return new JsonObject
        {
            ["streams"] = new JsonArray(new JsonObject
            {
                ["index"] = 0, ["codec_name"] = "flac", ["codec_type"] = "audio", ["sample_rate"] = format.SampleRate.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["channels"] = format.Channels, ["bits_per_raw_sample"] = format.BitsPerSample.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }),
            ["format"] = new JsonObject { ["format_name"] = "flac", ["tags"] = tags },
            ["probed_by"] = "ZarrAudio (ffprobe could not read the file)",
        };
    }

    /// <summary>The metadata blocks as file metadata: Vorbis comments, pictures (described, small ones kept), cue sheet, applications.</summary>
    public static JsonObject FileMetadata(FlacFileHeader header)
    {
        var comments = new JsonObject();
        foreach (var (key, value) in header.Comments)
        {
            if (comments[key] is not JsonArray values) comments[key] = values = [];
            values.Add(value);
        }
        var json = new JsonObject { ["vendor"] = header.Vendor, ["comments"] = comments };
        if (header.StreamInfo is { } info)
            json["streaminfo"] = new JsonObject
            {
                ["min_blocksize"] = info.MinBlocksize, ["max_blocksize"] = info.MaxBlocksize, ["total_samples"] = info.TotalSamples,
                ["md5"] = info.HasMd5 ? Convert.ToHexString(info.Md5).ToLowerInvariant() : null,
            };
        else json["streaminfo"] = null;
        if (header.Pictures.Count > 0) json["pictures"] = new JsonArray(header.Pictures.Select(p => (JsonNode)p.ToJson()).ToArray());
        if (header.CueSheet is { } cue) json["cuesheet"] = cue;
        if (header.Applications.Count > 0)
            json["applications"] = new JsonArray(header.Applications.Select(a => (JsonNode)new JsonObject { ["id"] = a.Id, ["bytes"] = a.Length, ["kept"] = false }).ToArray());
        return json;
    }
}
