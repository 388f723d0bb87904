using System.Numerics;
using System.Text.Json.Nodes;
using ZarrAudio.Metadata;
using ZarrAudio.Reading;
using ZarrAudio.Zarr.Codecs;
using ZarrAudio.Zarr.Metadata;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Codecs.Pcm;

/// <summary>
/// The plain sample array: the source's own samples in one 2-D Zarr array any Zarr v3 reader opens
/// (<c>zarr.open(store, path=".../pcm")[:, 0]</c>). Exact for every sample type, any channel count, any rate.
/// Layout under a recording's group:
///   pcm   int16 | int32 | float32 | float64 [sample, channel]; shards of about 8 MiB of samples along time, inner
///         chunks of about 16 KiB, each [bytes little, blosc zstd bitshuffle, crc32c]; index [bytes, crc32c] at the end.
///         Every shard is stored, silence included, so a missing one is damage, never read as zeros (an inner chunk
///         of silence is marked empty in the shard's checksummed index).
/// Technical fields: md5 (one: MD5 of the stored little-endian samples in order), and pcm = {data_type, chunk_samples,
/// shard_samples, compressor}.
/// </summary>
public sealed class PcmCodec : IRecordingCodec
{
    public const string ArrayName = "pcm";
    public const int MaxChannels = 32_768;
    // 16 KiB chunks: a 100 ms read decodes little beyond what it wants, and zstd still finds its patterns
    // (docs/PERFORMANCE.md, "PCM compression": 32 KiB read 1.3× slower for 0.7% less size; 8 KiB cost 2% size at 384 kHz).
    private const int InnerChunkTargetBytes = 16 * 1024;
    private const int ShardTargetBytes = 8 * 1024 * 1024;
    private const int MinInnerFrames = 256;
    private const int MaxInnerFrames = 65_536;

    public string Name => "pcm";
    public string DecodedUnits => "PCM chunks";

    public CodecFit Fit(SourceFormat source)
    {
        if (source.Channels is < 1 or > MaxChannels) return CodecFit.Refused($"PCM stores 1 to {MaxChannels:N0} channels, and the source has {source.Channels:N0}");
        if (source.Encoding == SampleEncoding.Integer && source.BitsPerSample is < 1 or > 32)
            return CodecFit.Refused($"PCM stores integers of 1 to 32 bits, and the source has {source.BitsPerSample}");
        return CodecFit.Exact(source.Encoding switch
        {
            SampleEncoding.Float32 => StoredFormat.Float32,
            SampleEncoding.Float64 => StoredFormat.Float64,
            _ => StoredFormat.Integer(source.BitsPerSample),
        });
    }

    public SampleType NaturalType(TechnicalMetadata technical) => SampleTypeOf(DataTypeOf(technical));

    /// <summary>What reads of an array of this element type return as they are.</summary>
    internal static SampleType SampleTypeOf(DataType type) => type switch
    {
        DataType.Int16 => SampleType.Int16,
        DataType.Int32 => SampleType.Int32,
        DataType.Float32 => SampleType.Float32,
        _ => SampleType.Float64,
    };

    /// <summary>The element type for stored samples: int16 up to 16 bits, int32 above, float32 or float64 for floats.</summary>
    internal static DataType DataTypeOf(StoredFormat stored) => stored.Encoding switch
    {
        SampleEncoding.Float32 => DataType.Float32,
        SampleEncoding.Float64 => DataType.Float64,
        _ => stored.BitsPerSample <= 16 ? DataType.Int16 : DataType.Int32,
    };

    internal static DataType DataTypeOf(TechnicalMetadata technical) => technical.SampleFormat == "float"
        ? (technical.BitsPerSample == 64 ? DataType.Float64 : DataType.Float32)
        : (technical.BitsPerSample <= 16 ? DataType.Int16 : DataType.Int32);

    /// <summary>Inner chunk and shard lengths in samples for a frame of this many bytes (powers of two).</summary>
    internal static (int Inner, int Shard) ChunkFrames(int frameBytes)
    {
        var inner = Math.Clamp((int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, InnerChunkTargetBytes / frameBytes)), MinInnerFrames, MaxInnerFrames);
        var perShard = (int)Math.Max(1, BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, ShardTargetBytes / ((long)inner * frameBytes))));
        return (inner, inner * perShard);
    }

    /// <summary>The inner chunks' compression: chosen from measurements (docs/PERFORMANCE.md, "PCM compression").</summary>
    /// <remarks>
    /// Bit shuffling puts the rarely changing high bits of every sample together, which zstd then shrinks: 0.59× raw on
    /// the bench's 16-bit stereo where lz4 gave 0.87× and zstd alone 0.76× (transposing first gained nothing).
    /// </remarks>
    internal static CodecMetadata Compressor(DataType type) => new("blosc", new JsonObject
    {
        ["cname"] = "zstd", ["clevel"] = 3, ["shuffle"] = "bitshuffle", ["typesize"] = type.Size(), ["blocksize"] = 0,
    });

    internal static ArrayMetadata SampleArray(DataType type, int channels, int sampleRate, int bits)
    {
        var (inner, shard) = ChunkFrames(channels * type.Size());
        var little = new CodecMetadata("bytes", new JsonObject { ["endian"] = "little" });
        var sharding = ShardingCodec.Create([inner, channels], [little, Compressor(type), new CodecMetadata("crc32c")], type);
        return new ArrayMetadata
        {
            Shape = [0, channels],
            DataType = type,
            ChunkShape = [shard, channels],
            Codecs = [new CodecMetadata(sharding.Name, sharding.Configuration)],
            DimensionNames = ["sample", "channel"],
            Attributes = new JsonObject { ["sample_rate"] = sampleRate, ["bits_per_sample"] = bits },
        };
    }

    /// <summary>PCM takes no options: the element type follows the source, chunk sizes the rate and channels.</summary>
    public IResolvedCodec Resolve(CodecOptions options, SourceFormat source, string sourceName) => Encoding.Instance;

    public string Describe(TechnicalMetadata technical) =>
        technical.Extension("pcm") is System.Text.Json.Nodes.JsonObject pcm ? $"pcm {pcm["data_type"]}, {pcm["compressor"]}" : Name;

    private sealed class Encoding : IResolvedCodec
    {
        public static readonly Encoding Instance = new();

        public async Task<IRecordingEncoder> CreateEncoderAsync(EncodeTarget target, CancellationToken ct) =>
            await PcmRecordingEncoder.CreateAsync(target, ct).ConfigureAwait(false);
    }

    public async Task<IRecordingReader> OpenAsync(IReadableStore store, string recordingPath, TechnicalMetadata technical, CancellationToken ct) =>
        await PcmRecordingReader.OpenAsync(store, recordingPath, technical, ct).ConfigureAwait(false);
}
