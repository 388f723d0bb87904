using System.Text.Json.Nodes;
using ZarrAudio.Metadata;
using ZarrAudio.Reading;
using ZarrAudio.Zarr.Codecs;
using ZarrAudio.Zarr.Metadata;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Codecs.Flac;

/// <summary>
/// FLAC through libFLAC: integers of 4 to 32 bits, 1 Hz to 1,048,575 Hz, any channel count (one stream per group of
/// up to 8 channels). Layout under a recording's group (unchanged since layout 1):
///   flac{k}     uint8 [bytes]: FLAC frames of stream k, sharded 4 MiB / 64 KiB; attributes channels, flac_header, md5, frames
///   frames{k}   int64 [frames, 2]: (byte offset, first sample) of each frame
/// Technical fields: compression_level, blocksize, stream_count, md5 (one per stream: FLAC's MD5 of its samples).
/// </summary>
public sealed class FlacCodec : IRecordingCodec
{
    public const int ShardBytes = 4 * 1024 * 1024;
    public const int InnerChunkBytes = 64 * 1024;
    public const int FrameIndexChunk = 131_072;

    public string Name => "flac";

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

    public async Task<IRecordingEncoder> CreateEncoderAsync(EncodeTarget target, CancellationToken ct) =>
        await FlacRecordingEncoder.CreateAsync(target, ct).ConfigureAwait(false);

    public async Task<IRecordingReader> OpenAsync(IStore store, string recordingPath, TechnicalMetadata technical, CancellationToken ct) =>
        await FlacRecordingReader.OpenAsync(store, recordingPath, technical, ct).ConfigureAwait(false);

    internal static ArrayMetadata StreamArray(JsonObject attributes) => new()
    {
        Shape = [0],
        DataType = DataType.UInt8,
        ChunkShape = [ShardBytes],
        // Inner chunks stay uncompressed (FLAC already is), so a read fetches exactly the frames' bytes.
        Codecs = [ToMetadata(ShardingCodec.Create([InnerChunkBytes], [new CodecMetadata("bytes")], DataType.UInt8))],
        DimensionNames = ["byte"],
        Attributes = attributes,
    };

    internal static ArrayMetadata FrameIndexArray(long frames) => new()
    {
        Shape = [frames, 2],
        DataType = DataType.Int64,
        ChunkShape = [FrameIndexChunk, 2],
        Codecs =
        [
            new CodecMetadata("bytes", new JsonObject { ["endian"] = "little" }),
            new CodecMetadata("zstd", new JsonObject { ["level"] = 3, ["checksum"] = false }),
            new CodecMetadata("crc32c"),
        ],
        DimensionNames = ["frame", "field"],
        Attributes = new JsonObject { ["fields"] = new JsonArray("byte_offset", "first_sample") },
    };

    private static CodecMetadata ToMetadata(ShardingCodec codec) => new(codec.Name, codec.Configuration);
}
