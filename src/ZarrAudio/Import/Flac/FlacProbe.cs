using System.Text.Json.Nodes;
using ZarrAudio.Metadata;

namespace ZarrAudio.Import.Flac;

/// <summary>
/// A native FLAC source as the import sees it: its format from STREAMINFO (or, without one, from its first frame),
/// a report in ffprobe's shape made from the metadata blocks, and the blocks themselves for the file metadata.
/// ffprobe is not run: it cost more CPU than decoding a one-minute file (70 ms against 55 ms), which a card of FLAC
/// files whose frames are kept paid per file, and ffmpeg 5.1 refuses 32-bit FLAC.
/// </summary>
internal static class FlacProbe
{
    /// <summary>The probe of a native or Ogg FLAC file; null for an Ogg file with other streams (left to ffprobe).</summary>
    public static Task<SourceProbe?> ProbeAsync(string path, CancellationToken ct) => Task.Run(() => Probe(path, ct), ct);

    private static SourceProbe? Probe(string path, CancellationToken ct)
    {
        if (FlacFileHeader.Read(path, ct) is not { } header) return null;
        var format = header.StreamInfo is { } info
            ? new FlacFormat(info.SampleRate, info.Channels, info.BitsPerSample)
            : FlacSourceReader.FirstFrameFormat(path, header);
        if (format.SampleRate <= 0) throw new UnsupportedSourceException($"'{path}' is a FLAC stream without a sample rate (its STREAMINFO says 0 Hz).");
        var report = Report(path, header, format);
        var declared = header.StreamInfo?.TotalSamples is > 0 and var total ? total : (long?)null;
        return new SourceProbe(path, 0, 0, format.SampleRate, format.Channels, false, format.BitsPerSample, "flac", header.OggSerial is null ? "flac" : "ogg",
            format.BitsPerSample <= 16 ? "s16" : "s32", declared ?? 0, report)
        { Flac = header, DeclaredSamples = declared };
    }

    // ffmpeg's names for a few Vorbis comments (ff_vorbiscomment_metadata_conv); the others it gives upper-cased.
    private static readonly Dictionary<string, string> TagNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ALBUMARTIST"] = "album_artist", ["TRACKNUMBER"] = "track", ["DISCNUMBER"] = "disc", ["DESCRIPTION"] = "comment",
    };

    /// <summary>The report in ffprobe's shape (format tags are where structured fields look), from the blocks.</summary>
    private static JsonObject Report(string path, FlacFileHeader header, FlacFormat format)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        var tags = new JsonObject();
        foreach (var (key, value) in header.Comments)
        {
            var name = TagNames.TryGetValue(key, out var renamed) ? renamed : key.ToUpperInvariant();
            tags[name] = tags[name] is { } earlier ? $"{earlier};{value}" : value;
        }
        var total = header.StreamInfo?.TotalSamples ?? 0;
        var seconds = ((double)total / format.SampleRate).ToString("F6", invariant);
        var size = new FileInfo(path).Length;
        return new JsonObject
        {
            ["streams"] = new JsonArray(new JsonObject
            {
                ["index"] = 0, ["codec_name"] = "flac", ["codec_long_name"] = "FLAC (Free Lossless Audio Codec)", ["codec_type"] = "audio",
                ["sample_fmt"] = format.BitsPerSample <= 16 ? "s16" : "s32", ["sample_rate"] = format.SampleRate.ToString(invariant),
                ["channels"] = format.Channels, ["bits_per_raw_sample"] = format.BitsPerSample.ToString(invariant),
                ["time_base"] = $"1/{format.SampleRate.ToString(invariant)}", ["duration_ts"] = total, ["duration"] = seconds,
            }),
            ["format"] = new JsonObject
            {
                ["filename"] = path, ["nb_streams"] = 1, ["format_name"] = header.OggSerial is null ? "flac" : "ogg",
                ["format_long_name"] = header.OggSerial is null ? "raw FLAC" : "Ogg", ["duration"] = seconds,
                ["size"] = size.ToString(invariant), ["tags"] = tags,
            },
            ["probed_by"] = "ZarrAudio (the FLAC metadata blocks, read natively)",
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
