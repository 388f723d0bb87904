using System.Text.Json.Nodes;
using ZarrAudio.Zarr;
using ZarrAudio.Zarr.Codecs;
using ZarrAudio.Zarr.Metadata;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Codecs;

/// <summary>Receives each encoded frame (FLAC frame, AAC access unit) with the index of its first sample, in order.</summary>
public interface IFrameSink
{
    void OnFrame(ReadOnlySpan<byte> frame, long firstSample, int sampleCount);
}

/// <summary>
/// Collects one stream's encoded frames as the encoder writes them: frame bytes fill 4 MiB shards of the
/// stream's uint8 array (written as soon as they are full, one write in flight), and each frame's byte
/// offset and first sample go to the frame index. Memory stays bounded by two shards. Used by every codec
/// that stores a stream of frames (FLAC, AAC).
/// </summary>
internal sealed class FrameStreamWriter(ZarrArray stream) : IFrameSink
{
    public const int ShardBytes = 4 * 1024 * 1024;
    public const int FrameIndexChunk = 131_072;
    private const int SmallestShard = 64 * 1024;
    private const int SmallestInnerChunk = 4 * 1024;

    /// <summary>
    /// The uint8 array of a stream's frames, sharded 4 MiB / <paramref name="innerChunkBytes"/>; with a checksum per
    /// inner chunk for codecs whose frames carry none of their own (FLAC frames have CRCs; AAC access units do not).
    /// A stream expected to be smaller than one shard (<paramref name="expectedBytes"/>, an upper bound) gets a shard of
    /// the next power of two and inner chunks of a 32nd of it: the last inner chunk is stored whole (Zarr chunks at the
    /// edge are full size), so a 1 s clip in 64 KiB chunks cost 132 KB on disk for 71 KB of frames.
    /// </summary>
    public static ArrayMetadata StreamArray(JsonObject attributes, int innerChunkBytes, bool checksummed, long expectedBytes = long.MaxValue)
    {
        var (shardBytes, innerBytes) = (ShardBytes, innerChunkBytes);
        if (expectedBytes < ShardBytes / 2)
        {
            shardBytes = (int)Math.Max(SmallestShard, System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)Math.Max(1, expectedBytes)));
            innerBytes = Math.Min(innerChunkBytes, Math.Max(SmallestInnerChunk, shardBytes / 32));
        }
        CodecMetadata[] inner = checksummed ? [new CodecMetadata("bytes"), new CodecMetadata("crc32c")] : [new CodecMetadata("bytes")];
        var sharding = ShardingCodec.Create([innerBytes], inner, DataType.UInt8);
        return new ArrayMetadata
        {
            Shape = [0],
            DataType = DataType.UInt8,
            ChunkShape = [shardBytes],
            Codecs = [new CodecMetadata(sharding.Name, sharding.Configuration)],
            DimensionNames = ["byte"],
            Attributes = attributes,
        };
    }

    /// <summary>int64 [frames, 2]: (byte offset, first sample) per frame.</summary>
    public static ArrayMetadata FrameIndexArray(long frames) => new()
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

    private readonly List<long> _offsets = [];
    private readonly List<long> _firstSamples = [];
    private readonly Queue<(long Index, byte[] Bytes)> _full = new();
    private byte[] _shard = new byte[stream.ChunkShape[0]];
    private int _shardFill;
    private long _shardIndex;
    private Task _inFlight = Task.CompletedTask;

    public long TotalBytes { get; private set; }
    /// <summary>What the stream takes in the store: its shard objects (frames, padding of the last inner chunk, shard
    /// indexes) and its frame index, as written; known once <see cref="CompleteAsync"/> returns.</summary>
    public long StoredBytes => Interlocked.Read(ref _storedBytes);
    private long _storedBytes;
    public int FrameCount => _offsets.Count;
    public ZarrArray Stream => stream;

    public void OnFrame(ReadOnlySpan<byte> frame, long firstSample, int sampleCount)
    {
        _offsets.Add(TotalBytes);
        _firstSamples.Add(firstSample);
        TotalBytes += frame.Length;
        while (!frame.IsEmpty)
        {
            var n = Math.Min(frame.Length, _shard.Length - _shardFill);
            frame[..n].CopyTo(_shard.AsSpan(_shardFill));
            _shardFill += n;
            frame = frame[n..];
            if (_shardFill == _shard.Length)
            {
                _full.Enqueue((_shardIndex++, _shard));
                _shard = new byte[_shard.Length];
                _shardFill = 0;
            }
        }
    }

    /// <summary>Starts writing the shards filled so far; waits for the previous write first.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        while (_full.TryDequeue(out var shard))
        {
            await _inFlight.ConfigureAwait(false);
            _inFlight = WriteShardAsync(shard.Index, shard.Bytes, cancellationToken);
        }
    }

    /// <summary>Waits for a shard write still under way (its error is not this caller's concern), so that a failed
    /// import's cleanup does not race a write that would recreate what it deleted.</summary>
    public Task SettleAsync() => TaskFailure.OfAsync(_inFlight);

    /// <summary>Writes the last partial shard, sets the array's length, and writes the frame index to <paramref name="indexPath"/>.</summary>
    public async Task CompleteAsync(string indexPath, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        await _inFlight.ConfigureAwait(false);
        if (_shardFill > 0)
        {
            // The unused tail is fill (zero); the sharding codec stores no inner chunk that is all zero.
            _shard.AsSpan(_shardFill).Clear();
            await WriteShardAsync(_shardIndex, _shard, cancellationToken).ConfigureAwait(false);
        }
        await stream.ResizeAsync([TotalBytes], cancellationToken).ConfigureAwait(false);

        var index = new long[_offsets.Count * 2];
        for (var i = 0; i < _offsets.Count; i++)
        {
            index[2 * i] = _offsets[i];
            index[2 * i + 1] = _firstSamples[i];
        }
        var frames = await ZarrArray.CreateAsync(stream.Store.Writable(), indexPath, FrameIndexArray(_offsets.Count), cancellationToken).ConfigureAwait(false);
        if (_offsets.Count > 0) await frames.WriteAsync([0, 0], [_offsets.Count, 2], index, cancellationToken).ConfigureAwait(false);
        for (var chunk = 0L; chunk * FrameIndexChunk < _offsets.Count; chunk++)
            Interlocked.Add(ref _storedBytes, await frames.Store.GetSizeAsync(frames.ChunkKey([chunk, 0]), cancellationToken).ConfigureAwait(false) ?? 0);
    }

    private async Task WriteShardAsync(long index, byte[] bytes, CancellationToken ct) =>
        Interlocked.Add(ref _storedBytes, await stream.WriteChunkAsync([index], bytes, ct).ConfigureAwait(false));
}
