using System.Security.Cryptography;

namespace ZarrAudio.Codecs.Flac;

/// <summary>
/// One FLAC stream encoded on every core: the samples are cut into runs of whole frames, each run is encoded by its own
/// libFLAC encoder on the thread pool (FLAC frames are independent: the same samples give the same frame bytes), and the
/// runs' frames are renumbered into one stream (frame number, CRC-8, CRC-16) and handed to the sink in order. The MD5 of
/// all samples, the frame size bounds and the total make the STREAMINFO that a single encoder would have written.
/// Memory: the runs in flight, about (cores + 1) × 64 frames of samples and their frames.
/// </summary>
internal sealed class ParallelFlacEncoder : IDisposable
{
    /// <summary>Frames per run: long enough that an encoder's start-up is noise, short enough to keep memory small.</summary>
    private const int FramesPerRun = 64;
    /// <summary>Samples per channel converted for the MD5 at a time (a small buffer: below the large object heap's size).</summary>
    private const int BlockFramesToHash = 4096;

    private readonly int _bits, _sampleRate, _level;
    private readonly IFrameSink _sink;
    private readonly int _runSamples;
    private readonly int _parallelism = Math.Max(1, Environment.ProcessorCount);
    private readonly Queue<Task<List<(byte[] Frame, int Samples)>>> _inFlight = new();
    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private readonly byte[] _md5Bytes;
    // The MD5 runs over the runs in order on the hashing thread, beside the encoders.
    private Task _hashing = Task.CompletedTask;
    private int[] _run;
    private int _fill;
    private long _runs;
    private long _emitted; // samples handed to the sink
    private int _minFrame = int.MaxValue, _maxFrame;
    private bool _finished;

    public ParallelFlacEncoder(int channels, int bitsPerSample, int sampleRate, int compressionLevel, IFrameSink sink)
    {
        Channels = channels;
        (_bits, _sampleRate, _level, _sink) = (bitsPerSample, sampleRate, compressionLevel, sink);
        // An encoder made only to learn the block size the level chooses (and to check the settings up front).
        using (var probe = new FlacEncoder(channels, bitsPerSample, sampleRate, compressionLevel, 0, new Discard(), computeMd5: false))
            Blocksize = probe.Blocksize;
        _runSamples = Blocksize * FramesPerRun;
        _run = FlacWorkers.RentRun(_runSamples * channels);
        _md5Bytes = new byte[BlockFramesToHash * channels * ((bitsPerSample + 7) / 8)];
    }

    public int Channels { get; }
    public int Blocksize { get; }
    public long SamplesWritten { get; private set; }

    /// <summary>
    /// Takes interleaved samples; full runs start encoding, and finished runs' frames go to the sink in order. Waits
    /// (without holding a thread) when every core already has a run.
    /// </summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<int> interleaved)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (interleaved.Length % Channels != 0) throw new ArgumentException("Interleaved data must hold whole frames", nameof(interleaved));
        while (!interleaved.IsEmpty)
        {
            var n = Math.Min(interleaved.Length, _run.Length - _fill);
            interleaved[..n].Span.CopyTo(_run.AsSpan(_fill));
            _fill += n;
            SamplesWritten += n / Channels;
            interleaved = interleaved[n..];
            if (_fill == _run.Length) await SubmitAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Encodes what is left, hands every frame to the sink, and returns the stream's STREAMINFO.</summary>
    public async Task<StreamInfo> FinishAsync()
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (_fill > 0) await SubmitAsync().ConfigureAwait(false);
        while (_inFlight.Count > 0) Emit(await _inFlight.Dequeue().ConfigureAwait(false));
        await _hashing.ConfigureAwait(false);
        _finished = true;
        return new StreamInfo(Blocksize, Blocksize, _minFrame == int.MaxValue ? 0 : _minFrame, _maxFrame, _sampleRate, Channels, _bits,
            SamplesWritten, _md5.GetHashAndReset());
    }

    private async ValueTask SubmitAsync()
    {
        var samples = _run;
        var count = _fill;
        // Encoders and the hash run on the process's FLAC threads (FlacWorkers): as thread-pool work items they waited
        // for the pool to grow (0.7 s where threads of their own took 0.48 s), and a thread per run cost as much as libFLAC.
        var hashed = FlacWorkers.HashAsync(() => HashSamples(samples.AsSpan(0, count)));
        _hashing = hashed;
        var firstFrame = _runs++ * FramesPerRun;
        var encoded = FlacWorkers.EncodeAsync(() => EncodeRun(samples, count, firstFrame));
        _inFlight.Enqueue(Task.WhenAll(encoded, hashed).ContinueWith(_ =>
        {
            FlacWorkers.ReturnRun(samples); // the buffer goes back only when both are done with it
            return encoded.GetAwaiter().GetResult();
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default));
        _run = FlacWorkers.RentRun(_run.Length);
        _fill = 0;
        // Keep every core busy, and no more runs in memory than that.
        while (_inFlight.Count > _parallelism) Emit(await _inFlight.Dequeue().ConfigureAwait(false));
    }

    private List<(byte[] Frame, int Samples)> EncodeRun(int[] samples, int count, long firstFrame)
    {
        var frames = new RunFrames(firstFrame);
        using (var encoder = new FlacEncoder(Channels, _bits, _sampleRate, _level, count / Channels, frames, computeMd5: false))
        {
            encoder.Write(samples.AsSpan(0, count));
            encoder.Finish();
        }
        return frames.Frames;
    }

    private void Emit(List<(byte[] Frame, int Samples)> run)
    {
        foreach (var (frame, samples) in run)
        {
            _minFrame = Math.Min(_minFrame, frame.Length);
            _maxFrame = Math.Max(_maxFrame, frame.Length);
            _sink.OnFrame(frame, _emitted, samples);
            _emitted += samples;
        }
    }

    /// <summary>FLAC's MD5: every sample little-endian in (bits + 7) / 8 bytes, interleaved.</summary>
    private void HashSamples(ReadOnlySpan<int> samples)
    {
        var step = BlockFramesToHash * Channels;
        for (var i = 0; i < samples.Length; i += step) HashBlock(samples.Slice(i, Math.Min(step, samples.Length - i)));
    }

    private void HashBlock(ReadOnlySpan<int> samples) => _md5.AppendData(FlacMd5Input.Write(samples, (_bits + 7) / 8, _md5Bytes));

    /// <summary>
    /// Waits for the runs still encoding before anything is freed: their encoders and buffers are theirs until they
    /// return, and a disposed import must not leave native work running.
    /// </summary>
    public void Dispose()
    {
        _finished = true;
        while (_inFlight.TryDequeue(out var run))
            try { run.Wait(); }
            catch (AggregateException) { }
        try { _hashing.Wait(); }
        catch (AggregateException) { }
        _md5.Dispose();
    }

    /// <summary>A run's frames, renumbered to their place in the whole stream as they arrive.</summary>
    private sealed class RunFrames(long firstFrame) : IFrameSink
    {
        public List<(byte[] Frame, int Samples)> Frames { get; } = new(FramesPerRun + 1);

        public void OnFrame(ReadOnlySpan<byte> frame, long firstSample, int sampleCount) =>
            Frames.Add((FlacFrameNumbering.Renumber(frame, firstFrame + Frames.Count), sampleCount));
    }

    private sealed class Discard : IFrameSink
    {
        public void OnFrame(ReadOnlySpan<byte> frame, long firstSample, int sampleCount) { }
    }
}
