using System.Text.Json.Nodes;
using ZarrAudio.Metadata;
using ZarrAudio.Reading;
using ZarrAudio.Zarr.Metadata;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Codecs.Flac;

/// <summary>
/// FLAC through libFLAC: integers of 4 to 32 bits, 1 Hz to 1,048,575 Hz, any channel count (one stream per group of
/// up to 8 channels). Layout under a recording's group (unchanged since layout 1):
///   flac{k}     uint8 [bytes]: FLAC frames of stream k, sharded 4 MiB / 64 KiB (a stream expected under 2 MiB:
///               a power-of-two shard and inner chunks of a 32nd of it, see FrameStreamWriter.StreamArray); attributes channels, flac_header, md5, frames
///   frames{k}   int64 [frames, 2]: (byte offset, first sample) of each frame
/// Technical fields: stream_count, md5 (one per stream: FLAC's MD5 of its samples), flac = {compression_level, blocksize}
/// (see <see cref="FlacSettings"/>; top-level before issue 18).
/// </summary>
public sealed class FlacCodec : IRecordingCodec
{
    public const int InnerChunkBytes = 64 * 1024;

    public const string CodecName = "flac";
    public string Name => CodecName;
    public string DecodedUnits => "FLAC frames";
    public IReadOnlyList<CodecOption> Options { get; } = [FlacSettings.Level];

    public string Describe(TechnicalMetadata technical) => FlacSettings.IsCopied(technical)
        ? $"flac (the source's frames), blocksize {FlacSettings.Stored(technical).Blocksize}"
        : FlacSettings.Stored(technical) switch
    {
        ({ } level, { } blocksize) => $"flac level {level}, blocksize {blocksize}",
        ({ } level, null) => $"flac level {level}",
        _ => "flac",
    };

    public static string StreamArrayName(int stream) => $"flac{stream}";
    public static string FrameIndexArrayName(int stream) => $"frames{stream}";

    public CodecFit Fit(SourceFormat source)
    {
        if (source.SampleRate > FlacEncoder.MaxSampleRate)
            return CodecFit.Refused($"FLAC stores at most {FlacEncoder.MaxSampleRate:N0} Hz, and the source has {source.SampleRate:N0} Hz");
        if (source.IsFloat)
            return new CodecFit(StoredFormat.Integer(24), false, "FLAC stores integers, so float samples are rounded to 24 bits");
        if (source.BitsPerSample is < 4 or > 32)
            return CodecFit.Refused($"FLAC stores 4 to 32 bits per sample, and the source has {source.BitsPerSample}");
        return CodecFit.Exact(StoredFormat.Integer(source.BitsPerSample));
    }

    public SampleType NaturalType(TechnicalMetadata technical) => technical.BitsPerSample <= 16 ? SampleType.Int16 : SampleType.Int32;

    public IResolvedCodec Resolve(CodecOptions options, SourceFormat source, string sourceName) => FlacSettings.Resolve(options);

    public async Task<IRecordingReader> OpenAsync(IReadableStore store, string recordingPath, TechnicalMetadata technical, CancellationToken ct) =>
        await FlacRecordingReader.OpenAsync(store, recordingPath, technical, ct).ConfigureAwait(false);

    // Inner chunks stay uncompressed and unchecksummed (FLAC frames carry CRCs), so a read fetches exactly the frames' bytes.
    // A stream expected to be small gets smaller shards and chunks (FrameStreamWriter.StreamArray); FLAC frames are at most
    // a little above the raw samples' size, which is the bound given.
    internal static ArrayMetadata StreamArray(JsonObject attributes, long expectedBytes = long.MaxValue) =>
        FrameStreamWriter.StreamArray(attributes, InnerChunkBytes, checksummed: false, expectedBytes);
}
