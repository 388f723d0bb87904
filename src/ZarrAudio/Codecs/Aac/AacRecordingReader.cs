using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ZarrAudio.Metadata;
using ZarrAudio.Reading;
using ZarrAudio.Zarr;
using ZarrAudio.Zarr.Codecs;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Codecs.Aac;

/// <summary>Reads an AAC recording: each stream decoded from two access units before the range, its delay dropped.</summary>
internal sealed class AacRecordingReader : IRecordingReader, ICodedStreamSource
{
    /// <summary>Access units decoded before the first wanted one: fdk-aac's output is exact after two (measured; docs/ARCHITECTURE.md, Reading).</summary>
    public const int PreRoll = 2;

    private readonly Stream[] _streams;
    private readonly TechnicalMetadata _technical;
    private readonly long _id;

    private AacRecordingReader(Stream[] streams, TechnicalMetadata technical) => (_streams, _technical, _id) = (streams, technical, technical.Id);

    public static async Task<AacRecordingReader> OpenAsync(IReadableStore store, string recordingPath, TechnicalMetadata technical, CancellationToken ct)
    {
        var streams = new Stream[technical.StreamCount];
        try
        {
            for (var k = 0; k < streams.Length; k++) streams[k] = await Stream.OpenAsync(store, recordingPath, k, ct).ConfigureAwait(false);
            ChannelGroups.CheckCovered(streams.Select(s => s.Channels), technical.Channels, recordingPath, "AAC");
        }
        catch
        {
            foreach (var s in streams) s?.Dispose();
            throw;
        }
        return new AacRecordingReader(streams, technical);
    }

    public async ValueTask<ReadCost> ReadAsync(ReadRequest request, CancellationToken ct)
    {
        var cost = new ReadCost();
        foreach (var stream in _streams)
        {
            var outputs = new List<int>();
            var sources = new List<int>();
            for (var o = 0; o < request.Channels.Length; o++)
            {
                var c = Array.IndexOf(stream.Channels, request.Channels[o]);
                if (c >= 0) { outputs.Add(o); sources.Add(c); }
            }
            if (sources.Count == 0) continue;
            // One target per wanted channel of the stream: output positions need not be adjacent.
            var targets = new SampleTarget[sources.Count];
            unsafe
            {
                for (var i = 0; i < targets.Length; i++)
                    targets[i] = SampleTarget.Create(request.Type, (void*)request.Buffer, request.Capacity, request.Channels.Length, 1.0 / 32768, [sources[i]], outputs[i]);
            }
            cost += await stream.ReadAsync(request.Start, request.Count, targets, i => $"recording {_id}, AAC stream {Array.IndexOf(_streams, stream)}, access unit {i}", ct).ConfigureAwait(false);
        }
        return cost;
    }

    /// <summary>Decodes every access unit of every stream in order (the store's crc32c checks every byte on the way).</summary>
    public async Task<IReadOnlyList<string>> VerifyAsync(IProgress<double>? progress, CancellationToken ct)
    {
        var problems = new List<string>();
        var total = _streams.Sum(s => (double)s.Index.Count);
        var done = 0.0;
        for (var k = 0; k < _streams.Length; k++)
        {
            try
            {
                var units = await _streams[k].VerifyAsync(i => $"recording {_id}, AAC stream {k}, access unit {i}",
                    n => progress?.Report(total == 0 ? 1 : (done + n) / total), ct).ConfigureAwait(false);
                var decoded = (long)units * _streams[k].FrameLength;
                if (decoded < _technical.SampleCount + _streams[k].Delay)
                    problems.Add($"AAC stream {k} decodes to {decoded} samples, fewer than its {_technical.SampleCount} after a delay of {_streams[k].Delay}.");
            }
            catch (Exception e) when (e is ZarrAudioException or ZarrException) { problems.Add(e.Message); }
            done += _streams[k].Index.Count;
        }
        return problems;
    }

    public void Dispose()
    {
        foreach (var s in _streams) s.Dispose();
    }

    /// <summary>Containers (muxer names and extensions) that hold AAC frames as they are.</summary>
    public IReadOnlySet<string> CopyContainers => AdtsContainers;
    private static readonly HashSet<string> AdtsContainers = new(StringComparer.OrdinalIgnoreCase) { "aac", "adts", "m4a", "mp4", "ipod", "mov", "mkv", "matroska" };

    public int PrimingSamples => _technical.Extension("aac")?["encoder_delay"]?.GetValue<int>() ?? 0;

    /// <summary>ADTS, when one stream holds every channel at an AAC rate the frames declare truthfully.</summary>
    public string? CodedFormat =>
        _streams.Length == 1 && AacCodec.CarrierFor(_technical.SampleRate) == _technical.SampleRate ? "aac" : null;

    /// <summary>
    /// The stored access units, each behind the 7-byte ADTS header its configuration gives (MPEG-4, no CRC); reports
    /// samples. Like every AAC file, the copy starts with the encoder's priming (technical aac.delay samples).
    /// </summary>
    public async Task WriteCodedAsync(System.IO.Stream output, IProgress<long>? progress, CancellationToken ct)
    {
        if (CodedFormat is null) throw new InvalidOperationException("These frames cannot stand alone as ADTS");
        var stream = _streams[0];
        var (objectType, frequencyIndex, channelConfig) = stream.Configuration();
        const int Batch = 1024;
        for (var u = 0; u < stream.Index.Count; u += Batch)
        {
            var last = Math.Min(stream.Index.Count - 1, u + Batch - 1);
            var bytes = await stream.ReadUnitsAsync(u, last, ct).ConfigureAwait(false);
            var (first, _) = stream.Index.Bytes(u, u);
            // Headers and frames of the batch go out as one buffer: one write per batch, not two per frame.
            var (lastAt, lastLength) = stream.Index.Bytes(last, last);
            var batch = new byte[(lastAt + lastLength - first) + 7 * (last - u + 1)];
            var o = 0;
            for (var i = u; i <= last; i++)
            {
                var (at, length) = stream.Index.Bytes(i, i);
                var frameLength = length + 7;
                batch[o] = 0xFF;
                batch[o + 1] = 0xF1; // MPEG-4, layer 0, no CRC
                batch[o + 2] = (byte)(((objectType - 1) << 6) | (frequencyIndex << 2) | (channelConfig >> 2));
                batch[o + 3] = (byte)(((channelConfig & 3) << 6) | (frameLength >> 11));
                batch[o + 4] = (byte)(frameLength >> 3);
                batch[o + 5] = (byte)(((frameLength & 7) << 5) | 0x1F); // buffer fullness 0x7FF: variable
                batch[o + 6] = 0xFC;
                bytes.AsSpan((int)(at - first), length).CopyTo(batch.AsSpan(o + 7));
                o += frameLength;
            }
            await output.WriteAsync(batch.AsMemory(0, o), ct).ConfigureAwait(false);
            progress?.Report(Math.Min(_technical.SampleCount, (long)(last + 1) * stream.FrameLength));
        }
    }

    /// <summary>One stream: its access units, index, configuration and a pool of decoders.</summary>
    private sealed class Stream : IDisposable
    {
        private readonly ZarrArray _bytes;
        private readonly byte[] _config;
        private readonly ConcurrentBag<AacDecoder> _decoders = [];
        private bool _disposed;

        private Stream(ZarrArray bytes, FrameIndex index, byte[] config, int[] channels, int delay, int frameLength)
        {
            _bytes = bytes;
            Index = index;
            _config = config;
            Channels = channels;
            Delay = delay;
            FrameLength = frameLength;
        }

        public FrameIndex Index { get; }
        public int[] Channels { get; }
        public int Delay { get; }
        public int FrameLength { get; }

        public static async Task<Stream> OpenAsync(IReadableStore store, string recordingPath, int k, CancellationToken ct)
        {
            var bytes = await ZarrArray.OpenAsync(store, recordingPath + "/" + AacCodec.StreamArrayName(k), ct).ConfigureAwait(false);
            bytes.ShardIndexCache = new ShardIndexCache();
            bytes.ChunksRequired = true;
            var a = bytes.Attributes;
            try
            {
                var config = Convert.FromBase64String(a["audio_specific_config"]!.GetValue<string>());
                var channels = a["channels"]!.AsArray().Select(c => c!.GetValue<int>()).ToArray();
                var delay = a["delay"]!.GetValue<int>();
                var frameLength = a["frame_length"]!.GetValue<int>();
                if (channels.Length is < 1 or > AacCodec.MaxStreamChannels || delay < 0 || frameLength <= 0) throw new FormatException("values out of range");
                var index = await FrameIndex.LoadAsync(store, recordingPath + "/" + AacCodec.FrameIndexArrayName(k), bytes.Shape[0], 0, ct).ConfigureAwait(false);
                return new Stream(bytes, index, config, channels, delay, frameLength);
            }
            catch (Exception e) when (e is NullReferenceException or FormatException or InvalidOperationException)
            {
                throw new CorruptRecordingException($"{bytes.Path} has damaged AAC attributes: {e.Message}");
            }
        }

        public async ValueTask<ReadCost> ReadAsync(long start, long count, SampleTarget[] targets, Func<long, string> where, CancellationToken ct)
        {
            if (count == 0) return default;
            var from = start + Delay;
            var first = Index.FrameAt(from);
            var last = Index.FrameAt(from + count - 1);
            if ((long)(last + 1) * FrameLength < from + count)
                throw new CorruptRecordingException($"{where(last)}: the stream ends before sample {start + count} of the recording.");
            var decodeFrom = Math.Max(0, first - PreRoll);
            var (byteStart, length) = Index.Bytes(decodeFrom, last);
            var buffer = ArrayPool<byte>.Shared.Rent(length);
            var ends = new int[last - decodeFrom + 1];
            for (var u = decodeFrom; u <= last; u++) ends[u - decodeFrom] = (int)(Index.Bytes(decodeFrom, u).Length);
            try
            {
                await _bytes.ReadRegionAsync([byteStart], [length], buffer.AsMemory(0, length), ct).ConfigureAwait(false);
                var decoder = _decoders.TryTake(out var d) ? d : new AacDecoder(_config, Channels.Length, FrameLength);
                try
                {
                    decoder.Decode(buffer.AsSpan(0, length), ends, decodeFrom, from, count, targets, where);
                }
                catch
                {
                    decoder.Dispose();
                    throw;
                }
                _decoders.Add(decoder);
                if (Volatile.Read(ref _disposed)) DisposeDecoders();
                return new ReadCost(last - decodeFrom + 1, length);
            }
            finally { ArrayPool<byte>.Shared.Return(buffer); }
        }

        /// <summary>The stored bytes of access units [first, last].</summary>
        public async Task<byte[]> ReadUnitsAsync(int first, int last, CancellationToken ct)
        {
            var (byteStart, length) = Index.Bytes(first, last);
            return await _bytes.ReadRegionAsync([byteStart], [length], ct).ConfigureAwait(false);
        }

        /// <summary>Audio object type, sampling frequency index and channel configuration from the AudioSpecificConfig.</summary>
        public (int ObjectType, int FrequencyIndex, int ChannelConfig) Configuration()
        {
            if (_config.Length < 2) throw new CorruptRecordingException("The stored AudioSpecificConfig is too short.");
            return (_config[0] >> 3, ((_config[0] & 7) << 1) | (_config[1] >> 7), (_config[1] >> 3) & 15);
        }

        /// <summary>Decodes every access unit in order; returns how many.</summary>
        public async Task<int> VerifyAsync(Func<long, string> where, Action<int> progress, CancellationToken ct)
        {
            using var decoder = new AacDecoder(_config, Channels.Length, FrameLength);
            const int Batch = 512;
            for (var u = 0; u < Index.Count; u += Batch)
            {
                var last = Math.Min(Index.Count - 1, u + Batch - 1);
                var (byteStart, length) = Index.Bytes(u, last);
                var bytes = await _bytes.ReadRegionAsync([byteStart], [length], ct).ConfigureAwait(false);
                for (var i = u; i <= last; i++)
                {
                    var (s, l) = Index.Bytes(i, i);
                    decoder.DecodeUnit(bytes.AsSpan((int)(s - byteStart), l), i == 0, () => where(i));
                }
                progress(last + 1);
            }
            return Index.Count;
        }

        private void DisposeDecoders()
        {
            while (_decoders.TryTake(out var d)) d.Dispose();
        }

        public void Dispose()
        {
            Volatile.Write(ref _disposed, true);
            DisposeDecoders();
        }
    }
}
