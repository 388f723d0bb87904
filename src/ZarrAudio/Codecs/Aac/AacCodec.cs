using ZarrAudio.Metadata;
using ZarrAudio.Reading;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Codecs.Aac;

/// <summary>
/// AAC-LC through fdk-aac: lossy, about a tenth of FLAC's size, for large collections. Layout under a recording's group:
///   aac{k}      uint8 [bytes]: raw access units of stream k (1 or 2 channels, on equal terms), sharded 4 MiB / 16 KiB (smaller for short streams, as FLAC),
///               inner chunks crc32c-checked; attributes channels, audio_specific_config (base64), delay, frame_length,
///               carrier_rate, frames
///   frames{k}   int64 [units, 2]: (byte offset, first sample in the decoder's output timeline) of each access unit
/// A source sample s decodes at timeline sample s + delay (the encoder's nDelay plus one frame of decoder lag).
/// Rates fdk-aac cannot code whole (any rate that is not an AAC rate of at most 48 kHz: its bandwidth stops at 20 kHz)
/// are stored by rate reinterpretation: the samples go to the encoder as if at 32 kHz, whose whole band it codes, with
/// the bitrate scaled by 32 kHz ÷ the true rate so the bits per sample hold; reads report the true rate. Nothing is
/// resampled. Technical fields: stream_count, bits_per_sample 16 (what reads return), aac = {bitrate, bits_per_sample_per_channel,
/// carrier_rate, bandwidth, delay, encoder_delay, frame_length}.
/// </summary>
public sealed class AacCodec : IRecordingCodec
{
    public const int MaxStreamChannels = 2;
    public const int InnerChunkBytes = 16 * 1024;
    public const int CarrierRate = 32_000;
    /// <summary>Default quality: bits per sample per channel (96 kbit/s a channel at 48 kHz).</summary>
    public const double DefaultBitsPerSample = 2.0;
    public const double MinBitsPerSample = 0.25;
    /// <summary>AAC's own limit: 6144 bits per channel per 1024-sample frame.</summary>
    public const double MaxBitsPerSample = 6.0;
    public const int MaxSampleRate = 1_048_575;
    private static readonly int[] NativeRates = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000];

    public string Name => "aac";
    public string DecodedUnits => "AAC access units";

    public static string StreamArrayName(int stream) => $"aac{stream}";
    public static string FrameIndexArrayName(int stream) => $"frames{stream}";

    /// <summary>The rate the encoder is told: the true one where it codes the whole band (AAC rates up to 48 kHz), else 32 kHz.</summary>
    public static int CarrierFor(int sampleRate) => Array.IndexOf(NativeRates, sampleRate) >= 0 ? sampleRate : CarrierRate;

    public CodecFit Fit(SourceFormat source)
    {
        if (source.SampleRate is < 1 or > MaxSampleRate)
            return CodecFit.Refused($"AAC here stores 1 Hz to {MaxSampleRate:N0} Hz, and the source has {source.SampleRate:N0} Hz");
        // fdk-aac codes 16-bit integers (the encoder rounds, and sets BitsPerSample 16: what reads return). A float
        // source is quantised on the way as for FLAC, so its clipping is counted and QuantisedFromFloat says so;
        // its own format stays in SourceSampleFormat.
        var stored = source.Encoding == SampleEncoding.Integer ? StoredFormat.Integer(source.BitsPerSample) : StoredFormat.Integer(24);
        return new CodecFit(stored, false, "AAC is lossy");
    }

    public SampleType NaturalType(TechnicalMetadata technical) => SampleType.Int16;

    public IReadOnlyList<CodecOption> Options { get; } = [AacSettings.BitrateOption];

    public string Describe(TechnicalMetadata technical) =>
        technical.Extension("aac")?["bitrate"] is { } bitrate ? $"aac {(long)bitrate:N0} bit/s" : Name;

    public IResolvedCodec Resolve(CodecOptions options, SourceFormat source, string sourceName) => AacSettings.Resolve(options, source, sourceName);

    public async Task<IRecordingReader> OpenAsync(IReadableStore store, string recordingPath, TechnicalMetadata technical, CancellationToken ct) =>
        await AacRecordingReader.OpenAsync(store, recordingPath, technical, ct).ConfigureAwait(false);
}
