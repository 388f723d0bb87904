using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using ZarrAudio.Codecs;
using ZarrAudio.Metadata;
using ZarrAudio.Reading;

namespace ZarrAudio.Archive;

/// <summary>
/// A committed recording of an archive: its metadata, and sample-exact reads of any range. It knows where it is stored
/// (the archive's <see cref="ArchiveStore"/>), not the archive object that handed it out.
/// </summary>
public sealed class Recording : IDisposable
{
    private readonly SemaphoreSlim _openGate = new(1, 1);
    private readonly ArchiveStore _place;
    private IRecordingReader? _reader;

    internal Recording(ArchiveStore place, long id, JsonObject attributes)
    {
        _place = place;
        Id = id;
        Attributes = attributes;
        try { Metadata = RecordingMetadata.FromAttributes(attributes); }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException or NotSupportedException)
        {
            throw new CorruptRecordingException($"Recording {id}'s metadata is damaged: {e.Message}", e) { RecordingId = id };
        }
        if (Metadata.Technical.SampleRate <= 0 || Metadata.Technical.Channels <= 0 || Metadata.Technical.SampleCount < 0)
            throw new CorruptRecordingException($"Recording {id}'s technical metadata is damaged (sample rate {Metadata.Technical.SampleRate}, {Metadata.Technical.Channels} channels, {Metadata.Technical.SampleCount} samples).") { RecordingId = id };
        try { Codec = RecordingCodecs.Find(Metadata.Technical.Codec); }
        catch (UnsupportedSourceException)
        {
            throw new CorruptRecordingException($"Recording {id} is stored with codec '{Metadata.Technical.Codec}', which this version of ZarrAudio does not know.") { RecordingId = id };
        }
    }

    /// <summary>The codec the samples are stored with (technical.codec).</summary>
    public IRecordingCodec Codec { get; }

    /// <summary>The recording group's attributes as read (to tell whether another process changed them).</summary>
    internal JsonObject Attributes { get; }

    public long Id { get; }
    public RecordingMetadata Metadata { get; }
    public TechnicalMetadata Technical => Metadata.Technical;
    public long SampleCount => Technical.SampleCount;
    public int Channels => Technical.Channels;
    public int SampleRate => Technical.SampleRate;

    /// <summary>What reads return unless float is asked for: Int16 up to 16 bits, Int32 above; Float32 or Float64 for float PCM.</summary>
    public SampleType NaturalType => Codec.NaturalType(Technical);

    /// <summary>True when the stored samples are floats (reads are float; integer reads are refused).</summary>
    public bool StoresFloat => NaturalType is SampleType.Float32 or SampleType.Float64;

    /// <summary>The stored frames as a stream another program takes as they are, when the codec has one (AAC as ADTS).</summary>
    internal async Task<ICodedStreamSource?> CodedSourceAsync(CancellationToken ct) =>
        await ReaderAsync(ct).ConfigureAwait(false) is ICodedStreamSource { CodedFormat: not null } coded ? coded : null;

    internal async ValueTask<IRecordingReader> ReaderAsync(CancellationToken ct)
    {
        if (_reader is { } ready) return ready;
        await _openGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_reader is null)
            {
                IRecordingReader reader;
                try { reader = await Codec.OpenAsync(_place.Store, _place.RecordingPath(Id), Technical, ct).ConfigureAwait(false); }
                catch (Exception e) when (Zarr.MalformedData.Is(e))
                {
                    throw new CorruptRecordingException($"Recording {Id} is damaged: its stored streams are described wrongly ({e.Message}).", e);
                }
                lock (_disposeLock)
                {
                    // Opened for a read that outlived Dispose: it still works, and frees its decoders as it goes.
                    if (_disposed) reader.Dispose();
                    _reader = reader;
                }
            }
            return _reader;
        }
        finally { _openGate.Release(); }
    }

    /// <summary>
    /// Reads [start, start+count) of the chosen channels (all when null) as a [frame, channel] array of the natural
    /// type, or of float normalised to ±1.0 full scale (float recordings as stored; float64 narrowed to float32).
    /// </summary>
    public async Task<SampleBlock> ReadAsync(long start, long count, int[]? channels = null, bool asFloat = false, CancellationToken ct = default)
    {
        channels = CheckRequest(start, count, channels);
        var type = asFloat ? SampleType.Float32 : NaturalType;
        await CheckLargeBlockAsync(start, count, channels, type, ct).ConfigureAwait(false);
        Array samples = type switch
        {
            SampleType.Int16 => new short[count, channels.Length],
            SampleType.Int32 => new int[count, channels.Length],
            SampleType.Float32 => new float[count, channels.Length],
            _ => new double[count, channels.Length],
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
            FramesDecoded = cost.Frames, UnitName = Codec.DecodedUnits, BytesFetched = cost.Bytes,
        };
    }

    /// <summary>Reads into a caller's buffer (interleaved [frame, channel]) with no output allocation: for training loops.</summary>
    public unsafe void ReadInto<T>(long start, long count, Span<T> destination, int[]? channels = null) where T : unmanaged
    {
        channels = CheckRequest(start, count, channels);
        var type = typeof(T) == typeof(short) ? SampleType.Int16 : typeof(T) == typeof(int) ? SampleType.Int32
            : typeof(T) == typeof(float) ? SampleType.Float32 : typeof(T) == typeof(double) ? SampleType.Float64
            : throw new ArgumentException($"Samples can be read as short, int, float or double, not {typeof(T).Name}");
        CheckType(type);
        if (destination.Length < count * channels.Length) throw new ArgumentException("Destination is smaller than count × channels", nameof(destination));
        fixed (T* p = destination)
            ReadIntoAsync(start, count, channels, type, (IntPtr)p, destination.Length, CancellationToken.None).AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Reads into a pinned array (GC.AllocateArray pinned) without blocking a thread.</summary>
    /// <param name="offset">Where in <paramref name="pinned"/> the first sample goes.</param>
    internal ValueTask<ReadCost> ReadIntoAsync<T>(long start, long count, int[] channels, SampleType type, T[] pinned, CancellationToken ct, long offset = 0) where T : unmanaged
    {
        CheckRequest(start, count, channels);
        CheckType(type);
        if (offset < 0 || pinned.LongLength - offset < count * channels.Length) throw new ArgumentException("Buffer is smaller than count × channels", nameof(pinned));
        unsafe
        {
            var at = (T*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned)) + offset;
            return ReadIntoAsync(start, count, channels, type, (IntPtr)at, pinned.LongLength - offset, ct);
        }
    }

    private async ValueTask<ReadCost> ReadIntoAsync(long start, long count, int[] channels, SampleType type, IntPtr buffer, long capacity, CancellationToken ct)
    {
        _place.ThrowIfDismounted();
        try
        {
            var reader = await ReaderAsync(ct).ConfigureAwait(false);
            return await reader.ReadAsync(new ReadRequest(start, count, channels, type, buffer, capacity), ct).ConfigureAwait(false);
        }
        catch (Exception e) when ((e is Zarr.ZarrCodecException or Zarr.ZarrNodeNotFoundException or CorruptRecordingException || Zarr.MalformedData.Is(e)) && !ct.IsCancellationRequested)
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
        try { committed = await _place.IsCommittedAsync(Id, CancellationToken.None).ConfigureAwait(false); }
        catch (Zarr.ZarrException) { committed = true; }
        if (!committed) return new RecordingNotFoundException(Id, _place.Location, " (it was removed while it was read)", failure);
        return failure is CorruptRecordingException ? failure : new CorruptRecordingException($"Recording {Id} is damaged: {failure.Message}", failure);
    }

    /// <summary>Integers are not made up from floats: a float recording reads as float or double.</summary>
    private void CheckType(SampleType type)
    {
        if (StoresFloat && type is SampleType.Int16 or SampleType.Int32)
            throw new SampleRangeException($"Recording {Id} stores float samples; read them as float or double.");
        if (type == SampleType.Int16 && NaturalType == SampleType.Int32)
            throw new SampleRangeException($"Recording {Id} has {Technical.BitsPerSample}-bit samples; read them as int or float.");
    }

    /// <summary>
    /// The samples a requested range covers: at least one, all inside the recording; a time is rounded to the nearest
    /// sample. Every cmdlet and engine path that takes a range from a user resolves it here.
    /// </summary>
    public (long Start, long Count) Resolve(RangeRequest range)
    {
        var start = range.StartTime is { } time ? RangeRequest.ToSample(time.TotalSeconds, SampleRate) : range.Start;
        if (start < 0 || start >= SampleCount)
            throw new SampleRangeException(
                $"Start {(range.StartTime is { } t ? $"{t} (sample {start})" : $"sample {start}")} is {(start < 0 ? "before the start" : "past the end")} of recording {Id}, which has {SampleCount} samples ({Technical.Duration}) at {SampleRate} Hz.");
        var count = range.StartTime is null ? range.Count ?? SampleCount - start
            : range.Duration is { } d ? RangeRequest.ToSample((range.StartTime.Value + d).TotalSeconds, SampleRate) - start : SampleCount - start;
        if (count < 1) throw new SampleRangeException($"The range of recording {Id} from sample {start} is empty: ask for at least one sample.");
        CheckRequest(start, count, null);
        return (start, count);
    }

    /// <summary>Blocks above this many values are allocated only once their last sample has been read (about 32 MB).</summary>
    private const long LargeBlock = 1L << 22;

    /// <summary>
    /// A block is one array, so it must fit in one; and a large one is allocated only after its last sample was read:
    /// a damaged or hostile archive whose metadata claims a huge length cannot make a read allocate gigabytes before
    /// the first missing frame is found.
    /// </summary>
    private async ValueTask CheckLargeBlockAsync(long start, long count, int[] channels, SampleType type, CancellationToken ct)
    {
        var values = count * channels.Length;
        if (count > Array.MaxLength / channels.Length)
            throw new SampleRangeException($"Samples [{start:N0}, {start + count:N0}) of {channels.Length} channel(s) are {values:N0} values, more than one array holds ({Array.MaxLength:N0}): read recording {Id} in ranges.");
        if (values <= LargeBlock) return;
        var last = new double[channels.Length];
        var pin = GCHandle.Alloc(last, GCHandleType.Pinned);
        try { await ReadIntoAsync(start + count - 1, 1, channels, type, pin.AddrOfPinnedObject(), channels.Length, ct).ConfigureAwait(false); }
        finally { pin.Free(); }
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

    /// <summary>Reads and decodes everything stored: every checksum the codec keeps and the signature of the samples.</summary>
    public async Task<IntegrityReport> VerifyAsync(IProgress<double>? progress = null, CancellationToken ct = default)
    {
        _place.ThrowIfDismounted();
        var started = DateTime.UtcNow;
        var problems = new List<string>();
        try
        {
            var reader = await ReaderAsync(ct).ConfigureAwait(false);
            problems.AddRange(await reader.VerifyAsync(progress, ct).ConfigureAwait(false));
        }
        catch (Exception e) when (e is ZarrAudioException or Zarr.ZarrException || Zarr.MalformedData.Is(e)) { problems.Add(e.Message); }
        return new IntegrityReport(Id, problems.Count == 0, problems, DateTime.UtcNow - started) { Warnings = SourceWarnings() };
    }

    /// <summary>
    /// What the archive holds faithfully but the user must know of the source: a truncated file, samples kept although
    /// they did not match the source's own MD5, metadata blocks not kept.
    /// </summary>
    public List<string> SourceWarnings()
    {
        var t = Technical;
        var notes = new List<string>();
        if (t.DeclaredSampleCount is { } declared && declared > t.SampleCount)
            notes.Add($"the source was truncated: its header declares {declared:N0} samples per channel ({(double)declared / t.SampleRate:0.###} s), the file held {t.SampleCount:N0} ({(double)t.SampleCount / t.SampleRate:0.###} s), which were stored");
        if (t.SourceMd5Decoded is { } decoded)
            notes.Add($"the source's samples do not match its own MD5 ({t.SourceMd5}); they were kept as they decoded (MD5 {decoded}) on request");
        if (Metadata.File["flac"] is System.Text.Json.Nodes.JsonObject flac)
        {
            foreach (var picture in (flac["pictures"] as System.Text.Json.Nodes.JsonArray ?? []).OfType<System.Text.Json.Nodes.JsonObject>().Where(p => p["kept"]?.GetValue<bool>() == false))
                notes.Add($"a {picture["mime_type"]} picture of {picture["bytes"]?.GetValue<long>():N0} bytes (SHA-256 {picture["sha256"]}) was not kept, only described in File.flac.pictures");
            foreach (var application in (flac["applications"] as System.Text.Json.Nodes.JsonArray ?? []).OfType<System.Text.Json.Nodes.JsonObject>())
                notes.Add($"the APPLICATION block '{application["id"]}' ({application["bytes"]?.GetValue<long>():N0} bytes) was not kept");
        }
        return notes;
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
            _reader?.Dispose();
        }
    }
}

/// <summary>The result of checking one recording.</summary>
public sealed record IntegrityReport(long Id, bool IsValid, IReadOnlyList<string> Problems, TimeSpan Elapsed)
{
    /// <summary>What is stored faithfully but was wrong with the source (a truncated file): not damage, so IsValid stays true.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
