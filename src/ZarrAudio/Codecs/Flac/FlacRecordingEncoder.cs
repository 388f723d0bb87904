using System.Text.Json.Nodes;
using ZarrAudio.Metadata;
using ZarrAudio.Zarr;

namespace ZarrAudio.Codecs.Flac;

/// <summary>
/// Encodes interleaved samples of any channel count into one FLAC stream per group of up to 8 channels,
/// each stored through a <see cref="FrameStreamWriter"/>.
/// </summary>
internal sealed class FlacRecordingEncoder : IRecordingEncoder
{
    private readonly (ParallelFlacEncoder Encoder, FrameStreamWriter Writer, int FirstChannel)[] _streams;
    private readonly int _channels;
    private readonly string _recordingPath;
    private readonly int _level;
    private int[] _scratch = [];

    private FlacRecordingEncoder((ParallelFlacEncoder, FrameStreamWriter, int)[] streams, int channels, string recordingPath, int level)
    {
        _streams = streams;
        _channels = channels;
        _recordingPath = recordingPath;
        _level = level;
    }

    public static async Task<FlacRecordingEncoder> CreateAsync(EncodeTarget target, int level, CancellationToken cancellationToken)
    {
        var (store, recordingPath, channels, bits) = (target.Store, target.RecordingPath, target.Source.Channels, target.Stored.BitsPerSample);
        var sampleRate = target.Source.SampleRate;
        var count = (channels + FlacEncoder.MaxChannels - 1) / FlacEncoder.MaxChannels;
        var streams = new (ParallelFlacEncoder, FrameStreamWriter, int)[count];
        try
        {
            for (var k = 0; k < count; k++)
            {
                var first = k * FlacEncoder.MaxChannels;
                var width = Math.Min(FlacEncoder.MaxChannels, channels - first);
                var attributes = new JsonObject { ["channels"] = new JsonArray(Enumerable.Range(first, width).Select(c => (JsonNode)c).ToArray()) };
                var array = await ZarrArray.CreateAsync(store, recordingPath + "/" + FlacCodec.StreamArrayName(k),
                    FlacCodec.StreamArray(attributes, RawBytes(target.EstimatedSamples, width, bits)), cancellationToken).ConfigureAwait(false);
                var writer = new FrameStreamWriter(array);
                streams[k] = (new ParallelFlacEncoder(width, bits, sampleRate, level, writer), writer, first);
            }
        }
        catch
        {
            foreach (var s in streams) s.Item1?.Dispose();
            throw;
        }
        return new FlacRecordingEncoder(streams, channels, recordingPath, level);
    }

    public int Blocksize => _streams[0].Encoder.Blocksize;
    public long SamplesWritten => _streams[0].Encoder.SamplesWritten;
    public long StoredBytes => _streams.Sum(s => s.Writer.StoredBytes);

    /// <summary>The raw samples' size, a bound for their FLAC frames (plus headers); unknown when the length is.</summary>
    private static long RawBytes(long samples, int channels, int bits) =>
        samples > 0 ? samples * channels * ((bits + 7) / 8) + 4096 : long.MaxValue;

    public async ValueTask WriteAsync(SampleBuffer block, CancellationToken cancellationToken)
    {
        if (block.Encoding != SampleEncoding.Integer) throw new ArgumentException("FLAC is fed integer samples", nameof(block));
        var interleaved = block.Integers;
        if (_streams.Length == 1) await _streams[0].Encoder.WriteAsync(interleaved).ConfigureAwait(false);
        else
        {
            var frames = interleaved.Length / _channels;
            foreach (var (encoder, _, first) in _streams)
            {
                var width = encoder.Channels;
                if (_scratch.Length < frames * width) _scratch = new int[frames * width];
                ChannelGroups.Gather(interleaved.Span, _channels, first, width, _scratch);
                await encoder.WriteAsync(_scratch.AsMemory(0, frames * width)).ConfigureAwait(false);
            }
        }
        foreach (var s in _streams) await s.Writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Finishes every stream and stores its header in the stream array's attributes; records the FLAC fields.</summary>
    public async Task CompleteAsync(TechnicalMetadata technical, CancellationToken cancellationToken)
    {
        var recordingPath = _recordingPath;
        var infos = new StreamInfo[_streams.Length];
        for (var k = 0; k < _streams.Length; k++)
        {
            var (encoder, writer, _) = _streams[k];
            infos[k] = await encoder.FinishAsync().ConfigureAwait(false);
            await writer.CompleteAsync(recordingPath + "/" + FlacCodec.FrameIndexArrayName(k), cancellationToken).ConfigureAwait(false);
            var attributes = (JsonObject)writer.Stream.Attributes.DeepClone();
            attributes["flac_header"] = Convert.ToBase64String(infos[k].ToHeader());
            attributes["md5"] = infos[k].Md5Hex;
            attributes["frames"] = writer.FrameCount;
            await writer.Stream.SetAttributesAsync(attributes, cancellationToken).ConfigureAwait(false);
        }
        technical.SampleCount = infos[0].TotalSamples;
        FlacSettings.Store(technical, _level, Blocksize);
        technical.StreamCount = infos.Length;
        technical.StoredBytes = StoredBytes;
        technical.Md5 = infos.Select(i => i.Md5Hex).ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var s in _streams)
        {
            s.Encoder.Dispose();
            await s.Writer.SettleAsync().ConfigureAwait(false);
        }
    }
}
