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
    private readonly long[] _offsets;
    private readonly long[] _firstSamples;
    private readonly byte[] _header;
    private readonly ConcurrentBag<FlacDecoder> _decoders = [];

    private FlacStreamReader(ZarrArray bytes, long[] offsets, long[] firstSamples, byte[] header, int[] channels)
    {
        _bytes = bytes;
        _offsets = offsets;
        _firstSamples = firstSamples;
        _header = header;
        Channels = channels;
        Info = StreamInfo.FromHeader(header);
    }

    /// <summary>Which recording channels this stream holds.</summary>
    public int[] Channels { get; }
    public StreamInfo Info { get; }
    public long ByteLength => _bytes.Shape[0];
    public int FrameCount => _offsets.Length;

    public static async Task<FlacStreamReader> OpenAsync(ZarrAudio.Zarr.Stores.IStore store, string recordingPath, int stream, CancellationToken ct)
    {
        var bytes = await ZarrArray.OpenAsync(store, recordingPath + "/" + FlacCodec.StreamArrayName(stream), ct).ConfigureAwait(false);
        // A committed recording's frames are never rewritten: keep shard indexes, so a read is one ranged fetch.
        bytes.ShardIndexCache = new ShardIndexCache();
        // Every shard of a stream is written: a missing one is damage (or a removal under way), never silence.
        bytes.ChunksRequired = true;
        var index = await ZarrArray.OpenAsync(store, recordingPath + "/" + FlacCodec.FrameIndexArrayName(stream), ct).ConfigureAwait(false);
        var pairs = await index.ReadAsync<long>([0, 0], index.Shape, ct).ConfigureAwait(false);
        var offsets = new long[pairs.Length / 2];
        var firstSamples = new long[pairs.Length / 2];
        for (var i = 0; i < offsets.Length; i++)
        {
            offsets[i] = pairs[2 * i];
            firstSamples[i] = pairs[2 * i + 1];
        }
        var header = bytes.Attributes["flac_header"]?.GetValue<string>() is { } b64 ? Convert.FromBase64String(b64)
            : throw new CorruptRecordingException($"{bytes.Path} has no flac_header attribute");
        var channels = (bytes.Attributes["channels"] as JsonArray)?.Select(c => c!.GetValue<int>()).ToArray()
            ?? throw new CorruptRecordingException($"{bytes.Path} has no channels attribute");
        CheckFrameIndex(index.Path, offsets, firstSamples, bytes.Shape[0], StreamInfo.FromHeader(header).TotalSamples);
        return new FlacStreamReader(bytes, offsets, firstSamples, header, channels);
    }

    /// <summary>
    /// An index chunk that vanished reads as zeros (its first chunk may legitimately be unstored: a one-frame
    /// index is all zeros), so the index is checked for the shape every real one has: both columns start at 0
    /// and strictly increase, and stay inside the stream.
    /// </summary>
    private static void CheckFrameIndex(string path, long[] offsets, long[] firstSamples, long byteLength, long totalSamples)
    {
        if (offsets.Length == 0 || offsets[0] != 0 || firstSamples[0] != 0)
            throw new CorruptRecordingException($"{path}: the frame index does not start at byte 0, sample 0");
        for (var i = 1; i < offsets.Length; i++)
            if (offsets[i] <= offsets[i - 1] || firstSamples[i] <= firstSamples[i - 1])
                throw new CorruptRecordingException($"{path}: the frame index is damaged at frame {i} (byte {offsets[i]}, sample {firstSamples[i]} after byte {offsets[i - 1]}, sample {firstSamples[i - 1]})");
        if (offsets[^1] >= byteLength || (totalSamples > 0 && firstSamples[^1] >= totalSamples))
            throw new CorruptRecordingException($"{path}: the frame index points past the end of the stream");
    }

    /// <summary>Decodes [start, start+count) into the target (whose frame 0 is sample start); returns what it fetched.</summary>
    public async ValueTask<ReadCost> ReadAsync(long start, long count, SampleTarget target, CancellationToken ct)
    {
        if (count == 0) return default;
        var first = FrameAt(start);
        var last = FrameAt(start + count - 1);
        var byteStart = _offsets[first];
        var byteEnd = last + 1 < _offsets.Length ? _offsets[last + 1] : ByteLength;
        var length = checked((int)(byteEnd - byteStart));
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            await _bytes.ReadRegionAsync([byteStart], [length], buffer.AsMemory(0, length), ct).ConfigureAwait(false);
            var decoder = RentDecoder();
            try { decoder.DecodeRange(buffer.AsSpan(0, length), _firstSamples[first], start, count, target); }
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

    private int FrameAt(long sample)
    {
        var i = Array.BinarySearch(_firstSamples, sample);
        return i >= 0 ? i : ~i - 1;
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
