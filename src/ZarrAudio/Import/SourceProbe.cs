using System.Globalization;
using System.Text.Json.Nodes;
using FFMpegCore;
using ZarrAudio.Codecs;

namespace ZarrAudio.Import;

/// <summary>What ffprobe (through FFMpegCore) says about the audio stream to import.</summary>
public sealed record SourceProbe(
    string Path, int StreamIndex, int AudioOrdinal, int SampleRate, int Channels, bool IsFloat, int BitsPerSample,
    string Codec, string Container, string SampleFormat, long EstimatedSamples, JsonObject Report)
{
    /// <summary>Samples per channel the source's header declares when the file holds fewer (a truncated WAV); else null.</summary>
    public long? DeclaredSamples { get; init; }

    /// <summary>A native FLAC file's metadata blocks: such a source is probed and decoded by libFLAC.</summary>
    internal global::ZarrAudio.Import.Flac.FlacFileHeader? Flac { get; init; }

    /// <summary>The most channels a source file may have: ffmpeg's own limit (FF_SANE_NB_CHANNELS).</summary>
    public const int MaxChannels = 512;

    private static readonly HashSet<string> FloatFormats = ["flt", "fltp", "dbl", "dblp"];
    // Codecs that decode to float without having lost anything: float PCM and lossless packers that carry floats.
    private static readonly HashSet<string> LosslessFloatCodecs = ["wavpack", "tta", "ape", "tak", "shorten", "mlp", "truehd"];

    /// <summary>The source's samples as the codec choice sees them (floats as float32 or float64; lossy codecs flagged).</summary>
    public SourceFormat Format => new(SampleRate, Channels,
        !IsFloat ? SampleEncoding.Integer : SampleFormat.StartsWith("dbl", StringComparison.Ordinal) ? SampleEncoding.Float64 : SampleEncoding.Float32,
        BitsPerSample, IsFloat && !Codec.StartsWith("pcm_", StringComparison.Ordinal) && !LosslessFloatCodecs.Contains(Codec));

    /// <param name="audioStream">Which audio stream (0 = the first); null takes the first.</param>
    public static async Task<SourceProbe> ProbeAsync(string path, int? audioStream, CancellationToken cancellationToken)
    {
        if (audioStream is null or 0 && WavProbe.TryProbe(path) is { } wav) return wav;
        if (audioStream is null or 0 && global::ZarrAudio.Import.Flac.FlacFileHeader.LooksLikeFlac(path)
            && await global::ZarrAudio.Import.Flac.FlacProbe.ProbeAsync(path, cancellationToken).ConfigureAwait(false) is { } flac)
            return flac;
        return await ProbeWithFfprobeAsync(path, audioStream, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The probe as ffprobe makes it (what <see cref="WavProbe"/> must reproduce for plain WAV files).</summary>
    internal static async Task<SourceProbe> ProbeWithFfprobeAsync(string path, int? audioStream, CancellationToken cancellationToken)
    {
        IMediaAnalysis analysis;
        try
        {
            analysis = await FFProbe.AnalyseAsync(path, null, "-show_chapters", cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new UnsupportedSourceException($"ffprobe cannot read '{path}': {FirstLine(e.Message)}", e);
        }
        var report = JsonNode.Parse(analysis.Json) as JsonObject ?? new JsonObject();
        if (analysis.AudioStreams.Count == 0)
            throw new UnsupportedSourceException($"'{path}' has no audio stream (format {analysis.Format.FormatName}).");
        var ordinal = audioStream ?? 0;
        if (ordinal < 0 || ordinal >= analysis.AudioStreams.Count)
            throw new UnsupportedSourceException($"'{path}' has {analysis.AudioStreams.Count} audio stream(s); stream {ordinal} does not exist.");
        var stream = analysis.AudioStreams[ordinal];
        var raw = (report["streams"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(s => s["index"]?.GetValue<int>() == stream.Index);
        var sampleFormat = raw?["sample_fmt"]?.GetValue<string>() ?? "";
        var isFloat = FloatFormats.Contains(sampleFormat);
        var bits = ParseInt(raw?["bits_per_raw_sample"]) ?? 0;
        if (bits <= 0) bits = sampleFormat switch { "u8" or "u8p" => 8, "s16" or "s16p" => 16, "s32" or "s32p" => 32, "s64" or "s64p" => 32, _ => 24 };
        if (isFloat) bits = sampleFormat.StartsWith("dbl", StringComparison.Ordinal) ? 64 : 32;
        var rate = stream.SampleRateHz ?? 0;
        var channels = stream.Channels ?? 0;
        if (rate <= 0 || channels <= 0) throw new UnsupportedSourceException($"'{path}' audio stream {ordinal} has no usable sample rate or channel count.");
        // Refused before any encoder is made: buffers grow with the channels, and a damaged header says 65,535.
        if (stream.CodecName is null or "unknown" or "none" || sampleFormat is "" or "unknown" or "none")
            throw new UnsupportedSourceException($"'{path}' audio stream {ordinal} is in a format ffmpeg has no decoder for (codec tag {raw?["codec_tag_string"]?.ToString() ?? "?"}).");
        if (channels > MaxChannels)
            throw new UnsupportedSourceException($"'{path}' audio stream {ordinal} says it has {channels:N0} channels; ffmpeg decodes at most {MaxChannels}.");
        var duration = stream.Duration > TimeSpan.Zero ? stream.Duration : analysis.Duration;
        return new SourceProbe(path, stream.Index, ordinal, rate, channels, isFloat, bits, stream.CodecName ?? "",
            analysis.Format.FormatName ?? "", sampleFormat, (long)Math.Round(duration.TotalSeconds * rate), report);
    }

    private static int? ParseInt(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<int>(out var i) => i,
        JsonValue v when v.TryGetValue<string>(out var s) && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) => p,
        _ => null,
    };

    private static string FirstLine(string s) => s.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Trim() ?? s;
}
