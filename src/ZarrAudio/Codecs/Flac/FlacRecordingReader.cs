using ZarrAudio.Metadata;
using ZarrAudio.Reading;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Codecs.Flac;

/// <summary>Reads a FLAC recording: its streams (one per group of up to 8 channels), each decoded only where asked.</summary>
internal sealed class FlacRecordingReader : IRecordingReader
{
    private readonly FlacStreamReader[] _streams;
    private readonly TechnicalMetadata _technical;

    private FlacRecordingReader(FlacStreamReader[] streams, TechnicalMetadata technical) => (_streams, _technical) = (streams, technical);

    internal IReadOnlyList<FlacStreamReader> Streams => _streams;

    public static async Task<FlacRecordingReader> OpenAsync(IReadableStore store, string recordingPath, TechnicalMetadata technical, CancellationToken ct)
    {
        var streams = new FlacStreamReader[technical.StreamCount];
        try
        {
            for (var k = 0; k < streams.Length; k++)
                streams[k] = await FlacStreamReader.OpenAsync(store, recordingPath, k, ct).ConfigureAwait(false);
            CheckLayout(streams, technical, recordingPath);
        }
        catch
        {
            foreach (var s in streams) s?.Dispose();
            throw;
        }
        return new FlacRecordingReader(streams, technical);
    }

    /// <summary>
    /// The streams must hold what the technical metadata says, each channel once: otherwise a channel left out would
    /// read as silence (a damaged or hostile archive), which is never returned as samples.
    /// </summary>
    private static void CheckLayout(FlacStreamReader[] streams, TechnicalMetadata technical, string recordingPath)
    {
        ChannelGroups.CheckCovered(streams.Select(s => s.Channels), technical.Channels, recordingPath, "FLAC");
        foreach (var s in streams)
            if (s.Info.Channels != s.Channels.Length || s.Info.TotalSamples != technical.SampleCount || s.Info.BitsPerSample != technical.BitsPerSample)
                throw new CorruptRecordingException($"{recordingPath}: a FLAC stream's header ({s.Info.Channels} ch, {s.Info.BitsPerSample}-bit, {s.Info.TotalSamples:N0} samples) " +
                    $"does not match its technical metadata ({s.Channels.Length} ch, {technical.BitsPerSample}-bit, {technical.SampleCount:N0} samples).");
    }

    public async ValueTask<ReadCost> ReadAsync(ReadRequest request, CancellationToken ct)
    {
        var cost = new ReadCost();
        var scale = SampleTarget.IntegerScale(_technical.BitsPerSample);
        foreach (var stream in _streams)
            foreach (var (sources, output) in Runs(stream.Channels, request.Channels))
            {
                SampleTarget target;
                unsafe { target = SampleTarget.Create(request.Type, (void*)request.Buffer, request.Capacity, request.Channels.Length, scale, sources, output); }
                cost += await stream.ReadAsync(request.Start, request.Count, target, ct).ConfigureAwait(false);
            }
        return cost;
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

    /// <summary>Decodes every stream: every frame's CRC, each stream's MD5 against the technical metadata, the sample count.</summary>
    public async Task<IReadOnlyList<string>> VerifyAsync(IProgress<double>? progress, CancellationToken ct)
    {
        var problems = new List<string>();
        var total = _streams.Sum(s => s.ByteLength);
        var done = 0L;
        for (var k = 0; k < _streams.Length; k++)
        {
            var stream = _streams[k];
            try
            {
                var before = done;
                var samples = await stream.VerifyAsync(new SyncProgress<long>(b => progress?.Report(total == 0 ? 1 : (double)(before + b) / total)), ct).ConfigureAwait(false);
                if (samples != _technical.SampleCount) problems.Add($"Stream of channels {string.Join(",", stream.Channels)} decodes to {samples} samples, not {_technical.SampleCount}.");
                if (!string.Equals(stream.Info.Md5Hex, _technical.Md5.ElementAtOrDefault(k), StringComparison.Ordinal))
                    problems.Add("Stored MD5 differs from the technical metadata.");
            }
            catch (Exception e) when (e is ZarrAudioException or Zarr.ZarrException) { problems.Add(e.Message); }
            done += stream.ByteLength;
        }
        return problems;
    }

    public void Dispose()
    {
        foreach (var s in _streams) s.Dispose();
    }
}
