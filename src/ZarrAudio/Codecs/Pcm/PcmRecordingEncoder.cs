using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ZarrAudio.Metadata;
using ZarrAudio.Zarr;
using ZarrAudio.Zarr.Metadata;

namespace ZarrAudio.Codecs.Pcm;

/// <summary>
/// Fills one shard of samples at a time in the stored element type and writes it while the next fills (one write in
/// flight); memory stays at two shards whatever the length. The MD5 of the stored bytes is taken as they pass.
/// </summary>
internal sealed class PcmRecordingEncoder : IRecordingEncoder
{
    private readonly ZarrArray _array;
    private readonly DataType _type;
    private readonly int _channels;
    private readonly int _frameBytes;
    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private byte[] _shard;
    private int _shardFill; // bytes
    private long _shardIndex;
    private long _storedBytes;
    private Task<long> _inFlight = Task.FromResult(0L);

    private PcmRecordingEncoder(ZarrArray array, DataType type, int channels)
    {
        _array = array;
        _type = type;
        _channels = channels;
        _frameBytes = channels * type.Size();
        _shard = new byte[array.ChunkShape[0] * _frameBytes];
    }

    public static async Task<PcmRecordingEncoder> CreateAsync(EncodeTarget target, CancellationToken ct)
    {
        var type = PcmCodec.DataTypeOf(target.Stored);
        var metadata = PcmCodec.SampleArray(type, target.Source.Channels, target.Source.SampleRate, target.Stored.BitsPerSample);
        var array = await ZarrArray.CreateAsync(target.Store, target.RecordingPath + "/" + PcmCodec.ArrayName, metadata, ct).ConfigureAwait(false);
        array.StoresFillChunks = true;
        return new PcmRecordingEncoder(array, type, target.Source.Channels);
    }

    public long SamplesWritten { get; private set; }

    public async ValueTask WriteAsync(SampleBuffer block, CancellationToken ct)
    {
        if (block.Length % _channels != 0) throw new ArgumentException("A block holds whole frames", nameof(block));
        var done = 0;
        while (done < block.Length)
        {
            var room = (_shard.Length - _shardFill) / _type.Size();
            var n = Math.Min(room, block.Length - done);
            Store(block.Slice(done, n), _shard.AsSpan(_shardFill, n * _type.Size()));
            _shardFill += n * _type.Size();
            done += n;
            if (_shardFill == _shard.Length) await WriteShardAsync(ct).ConfigureAwait(false);
        }
        SamplesWritten += block.Length / _channels;
    }

    /// <summary>Converts a block to the stored element type, little-endian (every platform .NET runs this on).</summary>
    private void Store(SampleBuffer block, Span<byte> target)
    {
        switch (_type, block.Encoding)
        {
            case (DataType.Int16, SampleEncoding.Integer):
                var shorts = MemoryMarshal.Cast<byte, short>(target);
                var ints = block.Integers.Span;
                for (var i = 0; i < ints.Length; i++) shorts[i] = (short)ints[i];
                break;
            case (DataType.Int32, SampleEncoding.Integer): MemoryMarshal.AsBytes(block.Integers.Span).CopyTo(target); break;
            case (DataType.Float32, SampleEncoding.Float32): MemoryMarshal.AsBytes(block.Floats.Span).CopyTo(target); break;
            case (DataType.Float64, SampleEncoding.Float64): MemoryMarshal.AsBytes(block.Doubles.Span).CopyTo(target); break;
            default: throw new ArgumentException($"PCM {_type.ToName()} is not fed {block.Encoding} samples", nameof(block));
        }
    }

    private async Task WriteShardAsync(CancellationToken ct)
    {
        _md5.AppendData(_shard, 0, _shardFill);
        _storedBytes += await _inFlight.ConfigureAwait(false);
        var full = _shard;
        // The unused tail of the last shard stays zero: it lies past the array's end, which readers never reach.
        full.AsSpan(_shardFill).Clear();
        _inFlight = _array.WriteChunkAsync([_shardIndex++, 0], full, ct).AsTask();
        _shard = new byte[full.Length];
        _shardFill = 0;
    }

    public async Task CompleteAsync(TechnicalMetadata technical, CancellationToken ct)
    {
        if (_shardFill > 0) await WriteShardAsync(ct).ConfigureAwait(false);
        _storedBytes += await _inFlight.ConfigureAwait(false);
        _inFlight = Task.FromResult(0L);
        await _array.ResizeAsync([SamplesWritten, _channels], ct).ConfigureAwait(false);
        technical.SampleCount = SamplesWritten;
        technical.StoredBytes = _storedBytes;
        technical.Md5 = [Convert.ToHexString(_md5.GetHashAndReset()).ToLowerInvariant()];
        technical.SetExtension("pcm", new JsonObject
        {
            ["data_type"] = _type.ToName(),
            ["chunk_samples"] = ((Zarr.Codecs.ShardingCodec)_array.Pipeline.BytesCodec).InnerChunkShape[0],
            ["shard_samples"] = _array.ChunkShape[0],
            ["compressor"] = PcmCodec.Compressor(_type).Configuration!.DeepClone(),
        });
    }

    /// <summary>Waits for a shard write still under way, so a failed import's cleanup does not race it.</summary>
    public async ValueTask DisposeAsync()
    {
        await TaskFailure.OfAsync(_inFlight).ConfigureAwait(false);
        _md5.Dispose();
    }
}
