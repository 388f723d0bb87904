using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Threading.Channels;
using ZarrAudio.Codecs;
using ZarrAudio.Codecs.Flac;

namespace ZarrAudio.Import.Flac;

/// <summary>
/// Decodes a FLAC source with libFLAC, the reference decoder the archive already links (every depth 4–32, streams
/// without STREAMINFO, Ogg FLAC), frame by frame on a pump beside the encoder. Every frame must have the format the stream
/// started with: a change of rate, channels or depth stops the import (<see cref="SourceFormatChangedException"/>)
/// instead of being resampled or remixed. The samples' MD5, as FLAC defines it, is computed on the way, for the
/// caller to hold against STREAMINFO's. A damaged frame is an error naming its samples: libFLAC would skip it.
/// </summary>
internal sealed class FlacSourceReader : IDisposable
{
    private const int BlockSamples = 1 << 16; // interleaved samples per block handed on

    private readonly string _path;
    private readonly IntPtr _decoder;
    private GCHandle _self;
    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private byte[] _md5Bytes = [];

    private FlacFormat? _format;
    // Splitting: a scan records the constant parts; a part's decode passes only the frames of its range.
    private readonly List<FlacPart>? _parts;
    private readonly FlacPart? _part;
    private long _sourcePosition; // samples per channel of every frame met, in any format
    // The sample number the next frame must carry: frames missing in the middle (an Ogg page that failed its CRC is
    // dropped by the Ogg layer without a word) would otherwise pass as a shorter stream. Null: any number may come,
    // as at the start of a stream without STREAMINFO or of a new part (spliced streams number each part anew).
    private long? _nextNumber;
    private FlacFormat? _previousFormat;
    private ulong _previousEnd = ulong.MaxValue;
    private readonly bool _numberedFromZero;
    private int[] _pending = [];
    private int _pendingCount;
    private Exception? _stop;
    private string? _error;
    private long? _errorAt;

    private unsafe FlacSourceReader(string path, FlacFileHeader header, FlacFormat? expected, bool scan = false, FlacPart? part = null)
    {
        _path = path;
        _numberedFromZero = header.StreamInfo is not null;
        _format = part?.Format ?? expected;
        _parts = scan ? [] : null;
        _part = part;
        _decoder = LibFlac.DecoderNew();
        if (_decoder == IntPtr.Zero) throw new CodecException("libFLAC could not allocate a decoder");
        _self = GCHandle.Alloc(this);
        // An Ogg FLAC file (the probe checked it holds one stream) is read through libFLAC's Ogg layer, its serial fixed.
        var serial = header.OggSerial;
        if (serial is { } s) LibFlac.DecoderSetOggSerialNumber(_decoder, s);
        if ((serial is null
            ? LibFlac.DecoderInitFile(_decoder, path, &OnWrite, IntPtr.Zero, &OnError, GCHandle.ToIntPtr(_self))
            : LibFlac.DecoderInitOggFile(_decoder, path, &OnWrite, IntPtr.Zero, &OnError, GCHandle.ToIntPtr(_self))) != 0)
        {
            Dispose();
            throw new UnsupportedSourceException($"libFLAC cannot open '{path}'.");
        }
    }

    /// <summary>Samples per channel decoded so far.</summary>
    public long Samples { get; private set; }

    /// <summary>The MD5 of the decoded samples as FLAC computes it (little-endian, whole bytes per sample, interleaved).</summary>
    public byte[] Md5() => _md5.GetCurrentHash();

    /// <summary>The format of the first frame: what a stream without STREAMINFO is.</summary>
    public static FlacFormat FirstFrameFormat(string path, FlacFileHeader header)
    {
        using var reader = new FlacSourceReader(path, header, null);
        while (reader._format is null && reader.Step()) { }
        reader.ThrowIfFailed(endOfStream: reader._format is null);
        return reader._format ?? throw new UnsupportedSourceException($"'{path}' holds no FLAC frames: there is nothing to store.");
    }

    /// <summary>The stream's parts of constant format, in order (one for an ordinary file): a whole decode.</summary>
    public static IReadOnlyList<FlacPart> ScanParts(string path, FlacFileHeader header, CancellationToken ct)
    {
        using var reader = new FlacSourceReader(path, header, null, scan: true);
        while (reader.Step()) ct.ThrowIfCancellationRequested();
        reader.ThrowIfFailed(endOfStream: true);
        return reader._parts!;
    }

    /// <summary>
    /// Decodes the whole stream, or only <paramref name="part"/>'s frames, into <paramref name="onBlock"/>; returns the
    /// reader for its sample count and MD5.
    /// </summary>
    public static async Task<FlacSourceReader> DecodeAsync(string path, FlacFileHeader header, FlacFormat format, Func<SampleBuffer, Task> onBlock, CancellationToken ct, FlacPart? part = null)
    {
        var reader = new FlacSourceReader(path, header, format, part: part);
        try
        {
            var blocks = Channel.CreateBounded<(int[] Samples, int Count)>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var pump = Task.Run(async () =>
            {
                try
                {
                    while (reader.Step())
                    {
                        stop.Token.ThrowIfCancellationRequested();
                        if (reader._pendingCount >= BlockSamples) await blocks.Writer.WriteAsync(reader.TakePending(), stop.Token).ConfigureAwait(false);
                    }
                    reader.ThrowIfFailed(endOfStream: true);
                    if (reader._pendingCount > 0) await blocks.Writer.WriteAsync(reader.TakePending(), stop.Token).ConfigureAwait(false);
                    blocks.Writer.TryComplete();
                }
                catch (Exception e)
                {
                    blocks.Writer.TryComplete(e);
                }
            }, CancellationToken.None);
            try
            {
                await foreach (var (samples, count) in blocks.Reader.ReadAllAsync(ct).ConfigureAwait(false))
                {
                    try { await onBlock(SampleBuffer.Of(samples.AsMemory(0, count))).ConfigureAwait(false); }
                    finally { ArrayPool<int>.Shared.Return(samples); }
                }
            }
            finally
            {
                stop.Cancel();
                await TaskFailure.OfAsync(pump).ConfigureAwait(false); // libFLAC is done before the reader is freed
            }
            return reader;
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    private (int[] Samples, int Count) TakePending()
    {
        var taken = (_pending, _pendingCount);
        (_pending, _pendingCount) = ([], 0);
        return taken;
    }

    /// <summary>One frame (or metadata block); false at the end of the stream or when a callback stopped it.</summary>
    private bool Step()
    {
        if (LibFlac.DecoderProcessSingle(_decoder) == 0 || _stop is not null) return false;
        return LibFlac.DecoderGetState(_decoder) != EndOfStreamState;
    }

    private const int EndOfStreamState = 4; // FLAC__STREAM_DECODER_END_OF_STREAM

    private void ThrowIfFailed(bool endOfStream)
    {
        if (_stop is not null) throw _stop;
        var state = LibFlac.DecoderGetState(_decoder);
        if (state != EndOfStreamState && endOfStream && state > EndOfStreamState)
            throw new UnsupportedSourceException($"libFLAC could not decode '{_path}' (decoder state {state}) after {Samples:N0} samples per channel.");
    }

    /// <summary>Damage met: where and what. Damage followed by good frames is an error; at the very end it is a truncation.</summary>
    public (string Error, long At)? Damage => _error is null ? null : (_error, _errorAt ?? Samples);

    private unsafe int Frame(LibFlac.FrameHeader* header, int** buffer)
    {
        var found = new FlacFormat((int)header->SampleRate, (int)header->Channels, (int)header->BitsPerSample);
        var position = _sourcePosition;
        _sourcePosition += header->Blocksize;
        if (found != _previousFormat) _nextNumber = _previousFormat is null && _numberedFromZero ? 0 : null;
        if (_nextNumber is { } next && (long)header->Number != next)
        {
            _stop = new UnsupportedSourceException($"'{_path}' is damaged: its frames jump from sample {next:N0} to sample {header->Number:N0} " +
                $"({TimeSpan.FromSeconds((double)next / found.SampleRate)}), so samples in the middle are missing (a frame or an Ogg page was lost). Nothing was stored.");
            return 1;
        }
        // libFLAC (1.4) fills a gap of up to 50 frames with silent frames it makes from the previous header, without
        // reporting it, while it holds the frame after the gap: those writes and that frame's come from one read
        // position, where real frames each move it on. (Ogg FLAC has no position; its pages are checked instead.)
        if (LibFlac.DecoderGetDecodePosition(_decoder, out var at) != 0)
        {
            if (at == _previousEnd && _nextNumber is { } filled)
            {
                _stop = new UnsupportedSourceException($"'{_path}' is damaged: frames are missing before byte {at:N0}, after sample {filled - header->Blocksize:N0} " +
                    $"({TimeSpan.FromSeconds((double)(filled - header->Blocksize) / found.SampleRate)}), so samples in the middle are missing (libFLAC would fill them with silence). Nothing was stored.");
                return 1;
            }
            _previousEnd = at;
        }
        (_nextNumber, _previousFormat) = ((long)header->Number + header->Blocksize, found);
        if (_parts is not null)
        {
            if (_parts.Count == 0 || _parts[^1].Format != found) _parts.Add(new FlacPart(_parts.Count + 1, position, 0, found));
            _parts[^1] = _parts[^1] with { Samples = _parts[^1].Samples + header->Blocksize };
            return 0;
        }
        if (_part is { } p && (position < p.Start || position >= p.Start + p.Samples)) return 0;
        if (_format is null) _format = found;
        else if (found != _format)
        {
            _stop = new SourceFormatChangedException(_path, Samples, _format.SampleRate, _format.ToString(), found.ToString(), canSplit: true);
            return 1; // FLAC__STREAM_DECODER_WRITE_STATUS_ABORT
        }
        if (_error is not null)
        {
            // A good frame after a damaged one: samples were skipped in the middle, so the source cannot be kept as it is.
            _stop = new UnsupportedSourceException($"'{_path}' is damaged: FLAC frame data is corrupt ({_error}) at sample {_errorAt:N0} ({TimeSpan.FromSeconds((double)_errorAt!.Value / found.SampleRate)}), and libFLAC would skip those samples. Nothing was stored.");
            return 1;
        }
        var (frames, channels) = ((int)header->Blocksize, found.Channels);
        var count = frames * channels;
        if (_pending.Length < _pendingCount + count)
        {
            var grown = ArrayPool<int>.Shared.Rent(Math.Max(BlockSamples + count, _pendingCount + count));
            _pending.AsSpan(0, _pendingCount).CopyTo(grown);
            if (_pending.Length > 0) ArrayPool<int>.Shared.Return(_pending);
            _pending = grown;
        }
        var target = _pending.AsSpan(_pendingCount, count);
        for (var c = 0; c < channels; c++)
        {
            var source = new ReadOnlySpan<int>(buffer[c], frames);
            for (var i = 0; i < frames; i++) target[i * channels + c] = source[i];
        }
        HashSamples(target, (found.BitsPerSample + 7) / 8);
        _pendingCount += count;
        Samples += frames;
        return 0;
    }

    private void HashSamples(ReadOnlySpan<int> samples, int bytesPerSample)
    {
        if (_md5Bytes.Length < samples.Length * bytesPerSample) _md5Bytes = new byte[samples.Length * bytesPerSample];
        _md5.AppendData(FlacMd5Input.Write(samples, bytesPerSample, _md5Bytes));
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static unsafe int OnWrite(IntPtr decoder, LibFlac.FrameHeader* header, int** buffer, IntPtr client)
    {
        var self = (FlacSourceReader)GCHandle.FromIntPtr(client).Target!;
        try { return self.Frame(header, buffer); }
        catch (Exception e) { self._stop = e; return 1; }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static unsafe void OnError(IntPtr decoder, int status, IntPtr client)
    {
        var self = (FlacSourceReader)GCHandle.FromIntPtr(client).Target!;
        if (self._error is not null) return;
        self._error = status >= 0 && status < LibFlac.DecoderErrors.Length ? LibFlac.DecoderErrors[status] : $"error {status}";
        self._errorAt = self.Samples;
    }

    public void Dispose()
    {
        if (_decoder != IntPtr.Zero)
        {
            LibFlac.DecoderFinish(_decoder);
            LibFlac.DecoderDelete(_decoder);
        }
        if (_self.IsAllocated) _self.Free();
        if (_pending.Length > 0) ArrayPool<int>.Shared.Return(_pending);
        _pending = [];
        _md5.Dispose();
    }
}

/// <summary>A run of frames of one format: the <paramref name="Number"/>th part, from sample <paramref name="Start"/> of the stream (counting every frame).</summary>
internal sealed record FlacPart(int Number, long Start, long Samples, FlacFormat Format);

/// <summary>What a FLAC frame holds: rate, channels, bits per sample.</summary>
public sealed record FlacFormat(int SampleRate, int Channels, int BitsPerSample)
{
    public override string ToString() => $"{SampleRate:N0} Hz, {Channels} channel{(Channels == 1 ? "" : "s")}, {BitsPerSample}-bit";
}
