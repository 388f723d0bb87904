using System.Buffers;
using System.Security.Cryptography;
using ZarrAudio.Metadata;
using ZarrAudio.Reading;
using ZarrAudio.Zarr;
using ZarrAudio.Zarr.Codecs;
using ZarrAudio.Zarr.Metadata;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Codecs.Pcm;

/// <summary>
/// Reads ranges of the sample array: only the inner chunks that cover the range are fetched (by byte range, through
/// cached shard indexes) and decompressed. All channels in their stored type land straight in the caller's buffer;
/// other requests go through a pooled buffer and a <see cref="SampleTarget"/>.
/// </summary>
internal sealed class PcmRecordingReader : IRecordingReader
{
    private readonly ZarrArray _array;
    private readonly TechnicalMetadata _technical;
    private readonly DataType _type;
    private readonly int _channels;
    private readonly int _innerFrames;
    private readonly double _scale;
    private readonly string[] _shardKeys;

    private PcmRecordingReader(ZarrArray array, TechnicalMetadata technical, DataType type)
    {
        _array = array;
        _technical = technical;
        _type = type;
        _channels = (int)array.Shape[1];
        _innerFrames = ((ShardingCodec)array.Pipeline.BytesCodec).InnerChunkShape[0];
        _scale = type is DataType.Float32 or DataType.Float64 ? 1.0 : SampleTarget.IntegerScale(technical.BitsPerSample);
        var shards = (array.Shape[0] + array.ChunkShape[0] - 1) / array.ChunkShape[0];
        _shardKeys = new string[shards];
        for (var k = 0; k < shards; k++) _shardKeys[k] = array.ChunkKey([k, 0]);
    }

    public static async Task<PcmRecordingReader> OpenAsync(IReadableStore store, string recordingPath, TechnicalMetadata technical, CancellationToken ct)
    {
        var array = await ZarrArray.OpenAsync(store, recordingPath + "/" + PcmCodec.ArrayName, ct).ConfigureAwait(false);
        var type = PcmCodec.DataTypeOf(technical);
        if (array.Rank != 2 || array.DataType != type || array.Shape[0] != technical.SampleCount || array.Shape[1] != technical.Channels
            || array.Pipeline.BytesCodec is not ShardingCodec)
            throw new CorruptRecordingException($"{array.Path} is {array.DataType.ToName()} [{string.Join(", ", array.Shape)}], not the {type.ToName()} " +
                $"[{technical.SampleCount}, {technical.Channels}] sharded array the technical metadata describes.");
        // Written once, never rewritten; and every chunk is stored, so a missing one is damage, not silence.
        array.ShardIndexCache = new ShardIndexCache();
        array.ChunksRequired = true;
        return new PcmRecordingReader(array, technical, type);
    }

    public async ValueTask<ReadCost> ReadAsync(ReadRequest request, CancellationToken ct)
    {
        if (request.Count == 0) return default;
        var size = _type.Size();
        var channels = request.Channels;
        var (first, last) = (channels[0], channels[0]);
        foreach (var c in channels) (first, last) = (Math.Min(first, c), Math.Max(last, c));
        var width = last - first + 1;
        if (width == _channels && IsInOrder(channels) && request.Type == PcmCodec.SampleTypeOf(_type))
        {
            // The request is the stored layout: decode straight into the caller's buffer.
            var bytes = checked((int)(request.Count * _channels * size));
            using var direct = new PointerMemory(request.Buffer, bytes);
            await _array.ReadRegionAsync([request.Start, 0], [request.Count, _channels], direct.Memory, ct).ConfigureAwait(false);
        }
        else
        {
            var length = checked((int)(request.Count * width * size));
            var pooled = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                await _array.ReadRegionAsync([request.Start, first], [request.Count, width], pooled.AsMemory(0, length), ct).ConfigureAwait(false);
                var sources = new int[channels.Length];
                for (var c = 0; c < channels.Length; c++) sources[c] = channels[c] - first;
                unsafe
                {
                    var target = SampleTarget.Create(request.Type, (void*)request.Buffer, request.Capacity, channels.Length, _scale, sources, 0);
                    fixed (byte* p = pooled)
                    {
                        var count = checked((int)request.Count);
                        switch (_type)
                        {
                            case DataType.Int16: target.WriteInterleaved((short*)p, width, 0, count); break;
                            case DataType.Int32: target.WriteInterleaved((int*)p, width, 0, count); break;
                            case DataType.Float32: target.WriteInterleaved((float*)p, width, 0, count); break;
                            default: target.WriteInterleaved((double*)p, width, 0, count); break;
                        }
                    }
                }
            }
            finally { ArrayPool<byte>.Shared.Return(pooled); }
        }
        return Cost(request.Start, request.Count);
    }

    private static bool IsInOrder(int[] channels)
    {
        for (var i = 0; i < channels.Length; i++) if (channels[i] != i) return false;
        return true;
    }

    /// <summary>The inner chunks a range covers and their stored sizes, from the cached shard indexes.</summary>
    private ReadCost Cost(long start, long count)
    {
        var firstChunk = start / _innerFrames;
        var lastChunk = (start + count - 1) / _innerFrames;
        var perShard = _array.ChunkShape[0] / _innerFrames;
        var bytes = 0L;
        for (var chunk = firstChunk; chunk <= lastChunk; chunk++)
            if (_array.ShardIndexCache!.TryGet(_shardKeys[chunk / perShard], out _, out var index))
                bytes += (long)index[2 * (chunk % perShard) + 1];
        return new ReadCost((int)(lastChunk - firstChunk + 1), bytes);
    }

    /// <summary>Reads every shard in order: every inner chunk's crc32c, the shard indexes' checksums, and the MD5 of all samples.</summary>
    public async Task<IReadOnlyList<string>> VerifyAsync(IProgress<double>? progress, CancellationToken ct)
    {
        var problems = new List<string>();
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var total = _array.Shape[0];
        var step = _array.ChunkShape[0];
        var buffer = new byte[step * _channels * _type.Size()];
        try
        {
            for (var at = 0L; at < total; at += step)
            {
                var n = (int)Math.Min(step, total - at);
                var bytes = n * _channels * _type.Size();
                await _array.ReadRegionAsync([at, 0], [n, _channels], buffer.AsMemory(0, bytes), ct).ConfigureAwait(false);
                md5.AppendData(buffer, 0, bytes);
                progress?.Report(total == 0 ? 1 : (double)(at + n) / total);
            }
            var actual = Convert.ToHexString(md5.GetHashAndReset()).ToLowerInvariant();
            if (!string.Equals(actual, _technical.Md5.ElementAtOrDefault(0), StringComparison.Ordinal))
                problems.Add($"The samples' MD5 is {actual}, not {_technical.Md5.ElementAtOrDefault(0) ?? "(none stored)"} as recorded at import.");
        }
        catch (ZarrException e) { problems.Add(e.Message); }
        return problems;
    }

    public void Dispose() { }
}
