using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace ZarrAudio.Import;

/// <summary>
/// What ffprobe reports for a plain PCM or float RIFF/WAVE file, made without running it: the same JSON (streams,
/// chapters, format, with ffmpeg's own tag names for LIST/INFO and bext), field for field, so a recording's
/// File.ffprobe is the same either way (the tests compare the two on every WAV they have). An ffprobe run costs about
/// as much CPU as encoding a one-minute file, so a card of short recordings spent half its time in it. Files with
/// anything whose report this does not reproduce (WAVE_FORMAT_EXTENSIBLE, an id3 chunk, a bext UMID, RF64) get null,
/// and ffprobe is run as before.
/// </summary>
internal static class WavProbe
{
    private static readonly Dictionary<string, string> InfoNames = new(StringComparer.Ordinal)
    {
        // libavformat's ff_riff_info_conv, then the WAV demuxer's own renames.
        ["IART"] = "artist", ["ICMT"] = "comment", ["ICOP"] = "copyright", ["ICRD"] = "date", ["IGNR"] = "genre", ["ILNG"] = "language",
        ["INAM"] = "title", ["IPRD"] = "album", ["IPRT"] = "track", ["ITRK"] = "track", ["ISBJ"] = "subject", ["ISFT"] = "encoder",
        ["ISMP"] = "timecode", ["ITCH"] = "encoded_by",
    };

    private static readonly string[] Dispositions =
    [
        "default", "dub", "original", "comment", "lyrics", "karaoke", "forced", "hearing_impaired", "visual_impaired", "clean_effects",
        "attached_pic", "timed_thumbnails", "captions", "descriptions", "metadata", "dependent", "still_image",
    ];

    public static SourceProbe? TryProbe(string path)
    {
        if (WavHeader.Read(path) is not { Extensible: false, HasOtherTags: false } f) return null;
        var tags = new JsonObject();
        if (f.Info is { } info) ReadInfo(info, tags);
        if (f.Bext is { } bext && !ReadBext(bext, tags)) return null;
        var (codec, longName, sampleFormat) = (f.Tag, f.ContainerBits) switch
        {
            (1, 8) => ("pcm_u8", "PCM unsigned 8-bit", "u8"),
            (1, 16) => ("pcm_s16le", "PCM signed 16-bit little-endian", "s16"),
            (1, 24) => ("pcm_s24le", "PCM signed 24-bit little-endian", "s32"),
            (1, 32) => ("pcm_s32le", "PCM signed 32-bit little-endian", "s32"),
            (3, 32) => ("pcm_f32le", "PCM 32-bit floating point little-endian", "flt"),
            (3, 64) => ("pcm_f64le", "PCM 64-bit floating point little-endian", "dbl"),
            _ => (null, null, null),
        };
        if (codec is null) return null;
        var frames = f.DataLength / (f.Channels * (f.ContainerBits / 8));
        var fileSize = new FileInfo(path).Length;
        var durationMicros = (long)Math.Round(frames * 1_000_000.0 / f.Rate, MidpointRounding.AwayFromZero);
        var stream = new JsonObject
        {
            ["index"] = 0, ["codec_name"] = codec, ["codec_long_name"] = longName, ["codec_type"] = "audio",
            ["codec_tag_string"] = $"[{f.Tag}][0][0][0]", ["codec_tag"] = $"0x{f.Tag:x4}", ["sample_fmt"] = sampleFormat,
            ["sample_rate"] = Invariant(f.Rate), ["channels"] = f.Channels, ["bits_per_sample"] = f.ContainerBits,
            ["r_frame_rate"] = "0/0", ["avg_frame_rate"] = "0/0", ["time_base"] = $"1/{Invariant(f.Rate)}",
            ["duration_ts"] = frames, ["duration"] = Sexagesimal((double)frames / f.Rate),
            ["bit_rate"] = Invariant((long)f.Rate * f.Channels * f.ContainerBits),
        };
        if (f.ContainerBits == 24) stream["bits_per_raw_sample"] = "24";
        stream["disposition"] = new JsonObject(Dispositions.Select(d => KeyValuePair.Create(d, (JsonNode?)0)));
        var report = new JsonObject
        {
            ["streams"] = new JsonArray(stream),
            ["chapters"] = new JsonArray(),
            ["format"] = new JsonObject
            {
                ["filename"] = path, ["nb_streams"] = 1, ["nb_programs"] = 0, ["format_name"] = "wav",
                ["format_long_name"] = "WAV / WAVE (Waveform Audio)",
                ["duration"] = Sexagesimal(durationMicros / 1_000_000.0),
                ["size"] = Invariant(fileSize),
                ["bit_rate"] = Invariant(durationMicros == 0 ? 0 : fileSize * 8 * 1_000_000 / durationMicros),
                ["probe_score"] = 99,
            },
        };
        if (tags.Count > 0) report["format"]!["tags"] = tags;
        return new SourceProbe(path, 0, 0, f.Rate, f.Channels, f.Tag == 3, f.ContainerBits, codec, "wav", sampleFormat!, frames, report)
        {
            DeclaredSamples = f.DeclaredDataLength / (f.Channels * (f.ContainerBits / 8)),
        };
    }

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Durations as FFMpegCore has ffprobe print them (-sexagesimal: "H:MM:SS.ffffff").</summary>
    private static string Sexagesimal(double seconds)
    {
        var hours = (int)(seconds / 3600);
        seconds -= hours * 3600.0;
        var minutes = (int)(seconds / 60);
        seconds -= minutes * 60.0;
        return string.Create(CultureInfo.InvariantCulture, $"{hours}:{minutes:00}:{seconds:00.000000}");
    }

    /// <summary>LIST/INFO as ffmpeg names it: known keys renamed, others kept as their four letters; values up to the first NUL.</summary>
    private static void ReadInfo(ReadOnlySpan<byte> body, JsonObject tags)
    {
        while (body.Length >= 8)
        {
            var key = Encoding.ASCII.GetString(body[..4]);
            var size = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(body[4..]), (uint)(body.Length - 8));
            var value = Text(body.Slice(8, size));
            if (value.Length > 0) tags[InfoNames.GetValueOrDefault(key, key)] = value;
            body = body[Math.Min(body.Length, 8 + size + (size & 1))..];
        }
    }

    /// <summary>bext as ffmpeg reports it (description → comment, originator → encoded_by, origination_date → date,
    /// origination_time → creation_time); false when it carries a UMID, whose formatting is not reproduced here.</summary>
    private static bool ReadBext(byte[] body, JsonObject tags)
    {
        if (body.Length < 602) return false;
        void Field(string name, int at, int length)
        {
            var value = Text(body.AsSpan(at, length));
            if (value.Length > 0) tags[name] = value;
        }
        Field("comment", 0, 256);
        Field("encoded_by", 256, 32);
        Field("originator_reference", 288, 32);
        Field("date", 320, 10);
        Field("creation_time", 330, 8);
        tags["time_reference"] = BinaryPrimitives.ReadUInt64LittleEndian(body.AsSpan(338)).ToString(CultureInfo.InvariantCulture);
        if (BinaryPrimitives.ReadUInt16LittleEndian(body.AsSpan(346)) >= 1 && body.AsSpan(348, 64).ContainsAnyExcept((byte)0)) return false;
        if (body.Length > 602) tags["coding_history"] = Text(body.AsSpan(602));
        return true;
    }

    private static string Text(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end >= 0 ? bytes[..end] : bytes);
    }
}
