using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using ZarrAudio.Metadata;
using ZarrAudio.Reading;

namespace ZarrAudio.Archive;

/// <summary>A committed recording of an archive: its metadata, and sample-exact reads of any range.</summary>
public sealed class Recording : IDisposable
{
    private readonly SemaphoreSlim _openGate = new(1, 1);
    private FlacStreamReader[]? _streams;

    internal Recording(AudioArchive archive, long id, JsonObject attributes)
    {
        Archive = archive;
        Id = id;
        Attributes = attributes;
        try { Metadata = RecordingMetadata.FromAttributes(attributes); }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException or NotSupportedException)
        {
            throw new CorruptRecordingException($"Recording {id}'s metadata is damaged: {e.Message}", e) { RecordingId = id };
        }
        if (Metadata.Technical.SampleRate <= 0 || Metadata.Technical.Channels <= 0 || Metadata.Technical.SampleCount < 0)
            throw new CorruptRecordingException($"Recording {id}'s technical metadata is damaged (sample rate {Metadata.Technical.SampleRate}, {Metadata.Technical.Channels} channels, {Metadata.Technical.SampleCount} samples).") { RecordingId = id };
    }

    /// <summary>The recording group's attributes as read (to tell whether another process changed them).</summary>
    internal JsonObject Attributes { get; }

    public AudioArchive Archive { get; }
    public long Id { get; }
    public RecordingMetadata Metadata { get; }
    public TechnicalMetadata Technical => Metadata.Technical;
    public long SampleCount => Technical.SampleCount;
    public int Channels => Technical.Channels;
    public int SampleRate => Technical.SampleRate;

    /// <summary>Int16 up to 16 bits per sample, Int32 above.</summary>
    public SampleType NaturalType => Technical.BitsPerSample <= 16 ? SampleType.Int16 : SampleType.Int32;

    private async ValueTask<FlacStreamReader[]> StreamsAsync(CancellationToken ct)
    {
        if (_streams is { } ready) return ready;
        await _openGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_streams is null)
            {
                var path = ArchiveLayout.RecordingPath(Archive.MountPath, Id);
                var streams = new FlacStreamReader[Technical.StreamCount];
                for (var k = 0; k < streams.Length; k++)
                    streams[k] = await FlacStreamReader.OpenAsync(Archive.Store, path, k, ct).ConfigureAwait(false);
                lock (_disposeLock)
                {
                    // Opened for a read that outlived Dispose: it still works, and frees its decoders as it goes.
                    if (_disposed) foreach (var s in streams) s.Dispose();
                    _streams = streams;
                }
            }
            return _streams;
        }
        finally { _openGate.Release(); }
    }

    /// <summary>Reads [start, start+count) of the chosen channels (all when null) as a [frame, channel] array.</summary>
    public async Task<SampleBlock> ReadAsync(long start, long count, int[]? channels = null, bool asFloat = false, CancellationToken ct = default)
    {
        channels = CheckRequest(start, count, channels);
        var type = asFloat ? SampleType.Float32 : NaturalType;
        Array samples = type switch
        {
            SampleType.Int16 => new short[count, channels.Length],
            SampleType.Int32 => new int[count, channels.Length],
            _ => new float[count, channels.Length],
        };
        var pin = GCHandle.Alloc(samples, GCHandleType.Pinned);
        ReadCost cost;
        try
        {
            cost = await ReadIntoAsync(start, count, channels, type, pin.AddrOfPinnedObject(), samples.LongLength, ct).ConfigureAwait(false);
        }
        finally { pin.Free(); }
        return new SampleBlock
        {
            Id = Id, Start = start, SampleCount = count, SampleRate = SampleRate, ChannelIndexes = channels, Samples = samples,
            FramesDecoded = cost.Frames, BytesFetched = cost.Bytes,
        };
    }

    /// <summary>Reads into a caller's buffer (interleaved [frame, channel]) with no output allocation: for training loops.</summary>
    public unsafe void ReadInto<T>(long start, long count, Span<T> destination, int[]? channels = null) where T : unmanaged
    {
        channels = CheckRequest(start, count, channels);
        var type = typeof(T) == typeof(short) ? SampleType.Int16 : typeof(T) == typeof(int) ? SampleType.Int32
            : typeof(T) == typeof(float) ? SampleType.Float32 : throw new ArgumentException($"Samples can be read as short, int or float, not {typeof(T).Name}");
        if (type == SampleType.Int16 && Technical.BitsPerSample > 16)
            throw new ArgumentException($"Recording {Id} has {Technical.BitsPerSample}-bit samples; read them as int or float");
        if (destination.Length < count * channels.Length) throw new ArgumentException("Destination is smaller than count × channels", nameof(destination));
        fixed (T* p = destination)
            ReadIntoAsync(start, count, channels, type, (IntPtr)p, destination.Length, CancellationToken.None).AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Reads into a pinned array (GC.AllocateArray pinned) without blocking a thread.</summary>
    internal ValueTask<ReadCost> ReadIntoAsync<T>(long start, long count, int[] channels, SampleType type, T[] pinned, CancellationToken ct) where T : unmanaged
    {
        CheckRequest(start, count, channels);
        if (pinned.LongLength < count * channels.Length) throw new ArgumentException("Buffer is smaller than count × channels", nameof(pinned));
        unsafe { return ReadIntoAsync(start, count, channels, type, (IntPtr)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned)), pinned.LongLength, ct); }
    }

    private async ValueTask<ReadCost> ReadIntoAsync(long start, long count, int[] channels, SampleType type, IntPtr buffer, long capacity, CancellationToken ct)
    {
        Archive.ThrowIfDismounted();
        var cost = new ReadCost();
        try
        {
            var streams = await StreamsAsync(ct).ConfigureAwait(false);
            foreach (var stream in streams)
                foreach (var (sources, output) in Runs(stream.Channels, channels))
                {
                    SampleTarget target;
                    unsafe { target = SampleTarget.Create(type, (void*)buffer, capacity, channels.Length, Technical.BitsPerSample, sources, output); }
                    cost += await stream.ReadAsync(start, count, target, ct).ConfigureAwait(false);
                }
            return cost;
        }
        catch (Exception e) when (e is Zarr.ZarrCodecException or Zarr.ZarrNodeNotFoundException or CorruptRecordingException && !ct.IsCancellationRequested)
        {
            throw await ExplainReadFailureAsync(e).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Data that vanished or does not verify: when the recording was removed meanwhile (by this or another process),
    /// that is what the caller is told; otherwise the recording is damaged. Never samples that were not read.
    /// </summary>
    private async Task<Exception> ExplainReadFailureAsync(Exception failure)
    {
        bool committed;
        try { committed = await Archive.IsCommittedAsync(Id, CancellationToken.None).ConfigureAwait(false); }
        catch (Zarr.ZarrException) { committed = true; }
        if (!committed) return new RecordingNotFoundException(Id, Archive.Location, " (it was removed while it was read)", failure);
        return failure is CorruptRecordingException ? failure : new CorruptRecordingException($"Recording {Id} is damaged: {failure.Message}", failure);
    }

    /// <summary>
    /// The requested channels a stream holds, as runs of adjacent output positions (channels in the stream,
    /// first output position): each run is one decode of the covering frames. Usually a single run.
    /// </summary>
    private static List<(int[] Sources, int Output)> Runs(int[] streamChannels, int[] channels)
    {
        var runs = new List<(int[], int)>(1);
        var sources = new List<int>(channels.Length);
        for (var output = 0; output <= channels.Length; output++)
        {
            var source = output < channels.Length ? Array.IndexOf(streamChannels, channels[output]) : -1;
            if (source >= 0) { sources.Add(source); continue; }
            if (sources.Count > 0) runs.Add((sources.ToArray(), output - sources.Count));
            sources.Clear();
        }
        return runs;
    }

    internal int[] CheckRequest(long start, long count, int[]? channels)
    {
        if (start < 0 || count < 0 || start + count > SampleCount)
            throw new SampleRangeException($"Samples [{start}, {start + count}) are outside recording {Id}, which has {SampleCount} samples [0, {SampleCount}).");
        channels ??= Enumerable.Range(0, Channels).ToArray();
        if (channels.Length == 0) throw new SampleRangeException("Choose at least one channel.");
        foreach (var c in channels)
            if (c < 0 || c >= Channels) throw new SampleRangeException($"Channel {c} does not exist: recording {Id} has channels 0 to {Channels - 1}.");
        return channels;
    }

    /// <summary>Decodes the whole recording: every FLAC frame's CRC, every stream's MD5, and the Zarr checksums of the indexes.</summary>
    public async Task<IntegrityReport> VerifyAsync(IProgress<double>? progress = null, CancellationToken ct = default)
    {
        Archive.ThrowIfDismounted();
        var started = DateTime.UtcNow;
        var problems = new List<string>();
        FlacStreamReader[]? streams = null;
        try { streams = await StreamsAsync(ct).ConfigureAwait(false); }
        catch (Exception e) when (e is ZarrAudioException or Zarr.ZarrException) { problems.Add(e.Message); }
        var total = streams?.Sum(s => s.ByteLength) ?? 0;
        var done = 0L;
        for (var k = 0; k < (streams?.Length ?? 0); k++)
        {
            var stream = streams![k];
            try
            {
                var before = done;
                var samples = await stream.VerifyAsync(new SyncProgress<long>(b => progress?.Report(total == 0 ? 1 : (double)(before + b) / total)), ct).ConfigureAwait(false);
                if (samples != SampleCount) problems.Add($"Stream of channels {string.Join(",", stream.Channels)} decodes to {samples} samples, not {SampleCount}.");
                if (!string.Equals(stream.Info.Md5Hex, Technical.Md5.ElementAtOrDefault(k), StringComparison.Ordinal))
                    problems.Add("Stored MD5 differs from the technical metadata.");
            }
            catch (Exception e) when (e is ZarrAudioException or Zarr.ZarrException) { problems.Add(e.Message); }
            done += stream.ByteLength;
        }
        return new IntegrityReport(Id, problems.Count == 0, problems, DateTime.UtcNow - started);
    }

    private readonly object _disposeLock = new();
    private bool _disposed;

    /// <summary>
    /// Frees the native decoders. Reads already under way (another thread, a recording replaced or removed meanwhile)
    /// still finish; the gate is not disposed for them (a SemaphoreSlim without a wait handle holds nothing native).
    /// </summary>
    public void Dispose()
    {
        lock (_disposeLock)
        {
            _disposed = true;
            foreach (var s in _streams ?? []) s.Dispose();
        }
    }
}

/// <summary>The result of checking one recording.</summary>
public sealed record IntegrityReport(long Id, bool IsValid, IReadOnlyList<string> Problems, TimeSpan Elapsed);
