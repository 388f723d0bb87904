using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ZarrAudio.Reading;
using ZarrAudio.Zarr;
using ZarrAudio.Zarr.Codecs;

namespace ZarrAudio.Codecs.Flac;

/// <summary>
/// Random access to one stored FLAC stream: the frame index (loaded once), the stream header, and a pool of
/// decoders. A read fetches just the bytes of the covering frames, by range, and decodes only those.
/// </summary>
internal sealed class FlacStreamReader : IDisposable
{
    private readonly ZarrArray _bytes;
    private readonly FrameIndex _index;
    private readonly byte[] _header;
    private readonly ConcurrentBag<FlacDecoder> _decoders = [];

    private FlacStreamReader(ZarrArray bytes, FrameIndex index, byte[] header, int[] channels)
    {
        _bytes = bytes;
        _index = index;
        _header = header;
        Channels = channels;
        Info = StreamInfo.FromHeader(header);
    }

    /// <summary>Which recording channels this stream holds.</summary>
    public int[] Channels { get; }
    public StreamInfo Info { get; }
    public long ByteLength => _bytes.Shape[0];
    public int FrameCount => _index.Count;

    public static async Task<FlacStreamReader> OpenAsync(ZarrAudio.Zarr.Stores.IReadableStore store, string recordingPath, int stream, CancellationToken ct)
    {
        var bytes = await ZarrArray.OpenAsync(store, recordingPath + "/" + FlacCodec.StreamArrayName(stream), ct).ConfigureAwait(false);
        // A committed recording's frames are never rewritten: keep shard indexes, so a read is one ranged fetch.
        bytes.ShardIndexCache = new ShardIndexCache();
        // Every shard of a stream is written: a missing one is damage (or a removal under way), never silence.
        bytes.ChunksRequired = true;
        var header = bytes.Attributes["flac_header"]?.GetValue<string>() is { } b64 ? Convert.FromBase64String(b64)
            : throw new CorruptRecordingException($"{bytes.Path} has no flac_header attribute");
        var channels = (bytes.Attributes["channels"] as JsonArray)?.Select(c => c!.GetValue<int>()).ToArray()
            ?? throw new CorruptRecordingException($"{bytes.Path} has no channels attribute");
        var index = await FrameIndex.LoadAsync(store, recordingPath + "/" + FlacCodec.FrameIndexArrayName(stream), bytes.Shape[0],
            StreamInfo.FromHeader(header).TotalSamples, ct).ConfigureAwait(false);
        return new FlacStreamReader(bytes, index, header, channels);
    }

    /// <summary>Decodes [start, start+count) into the target (whose frame 0 is sample start); returns what it fetched.</summary>
    public async ValueTask<ReadCost> ReadAsync(long start, long count, SampleTarget target, CancellationToken ct)
    {
        if (count == 0) return default;
        var first = _index.FrameAt(start);
        var last = _index.FrameAt(start + count - 1);
        var (byteStart, length) = _index.Bytes(first, last);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            await _bytes.ReadRegionAsync([byteStart], [length], buffer.AsMemory(0, length), ct).ConfigureAwait(false);
            var decoder = RentDecoder();
            try { decoder.DecodeRange(buffer.AsSpan(0, length), _index.FirstSample(first), start, count, target); }
            catch
            {
                // A decoder that stopped on bad data is not reused: it is freed, and the next read gets a fresh one.
                decoder.Dispose();
                throw;
            }
            _decoders.Add(decoder);
            // A read that outlived Dispose (a recording removed while it was read) must not leak its decoder.
            if (Volatile.Read(ref _disposed)) DisposeDecoders();
            return new ReadCost(last - first + 1, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Decodes the whole stream in order, checking the MD5 signature; returns the samples decoded.</summary>
    public async Task<long> VerifyAsync(IProgress<long>? progress, CancellationToken ct)
    {
        using var decoder = new FlacDecoder(_header, checkMd5: true);
        var position = 0L;
        const int Piece = 1 << 20;
        // The decoder pulls from inside a native callback, so pieces are read synchronously there.
        return await Task.Run(() => decoder.DecodeAll(() =>
        {
            ct.ThrowIfCancellationRequested();
            if (position >= ByteLength) return ReadOnlyMemory<byte>.Empty;
            var n = (int)Math.Min(Piece, ByteLength - position);
            var piece = _bytes.ReadRegionAsync([position], [n], ct).AsTask().GetAwaiter().GetResult();
            position += n;
            progress?.Report(position);
            return piece;
        }, null), ct).ConfigureAwait(false);
    }

    private FlacDecoder RentDecoder() => _decoders.TryTake(out var d) ? d : new FlacDecoder(_header);

    private bool _disposed;

    /// <summary>Decoders waiting in the pool (tests check that none outlives Dispose).</summary>
    internal int PooledDecoders => _decoders.Count;

    public void Dispose()
    {
        Volatile.Write(ref _disposed, true);
        DisposeDecoders();
    }

    private void DisposeDecoders()
    {
        while (_decoders.TryTake(out var d)) d.Dispose();
    }
}
