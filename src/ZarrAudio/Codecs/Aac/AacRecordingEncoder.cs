using System.Text.Json.Nodes;
using ZarrAudio.Metadata;
using ZarrAudio.Zarr;

namespace ZarrAudio.Codecs.Aac;

/// <summary>
/// Encodes a recording as parallel AAC streams of one or two channels (so no channel is ever an LFE or a surround
/// element coded with fewer bits), each stored through a <see cref="FrameStreamWriter"/>.
/// </summary>
internal sealed class AacRecordingEncoder : IRecordingEncoder
{
    private readonly (AacEncoder Encoder, FrameStreamWriter Writer, int FirstChannel)[] _streams;
    private readonly int _channels;
    private readonly string _recordingPath;
    private readonly long _bitrate;
    private readonly int _carrier;
    private readonly int _bandwidth;
    private readonly int _sampleRate;
    private readonly int _bits;
    private short[] _pcm = [];
    private short[] _scratch = [];

    private AacRecordingEncoder((AacEncoder, FrameStreamWriter, int)[] streams, int channels, string recordingPath, long bitrate, int carrier, int bandwidth,
        int sampleRate, int bits)
    {
        _bits = bits;
        _streams = streams;
        _channels = channels;
        _recordingPath = recordingPath;
        _bitrate = bitrate;
        _carrier = carrier;
        _bandwidth = bandwidth;
        _sampleRate = sampleRate;
    }

    public static async Task<AacRecordingEncoder> CreateAsync(EncodeTarget target, long bitrate, CancellationToken ct)
    {
        var (rate, channels) = (target.Source.SampleRate, target.Source.Channels);
        var carrier = AacCodec.CarrierFor(rate);
        // The whole band where the encoder can code it (up to its 20 kHz limit); a reinterpreted rate maps the source's
        // band onto the carrier's, all of which is coded.
        var bandwidth = Math.Min(carrier / 2, 20_000);
        var count = (channels + AacCodec.MaxStreamChannels - 1) / AacCodec.MaxStreamChannels;
        var streams = new (AacEncoder, FrameStreamWriter, int)[count];
        try
        {
            for (var k = 0; k < count; k++)
            {
                var first = k * AacCodec.MaxStreamChannels;
                var width = Math.Min(AacCodec.MaxStreamChannels, channels - first);
                var attributes = new JsonObject { ["channels"] = new JsonArray(Enumerable.Range(first, width).Select(c => (JsonNode)c).ToArray()) };
                var array = await ZarrArray.CreateAsync(target.Store, target.RecordingPath + "/" + AacCodec.StreamArrayName(k),
                    FrameStreamWriter.StreamArray(attributes, AacCodec.InnerChunkBytes, checksummed: true,
                        target.EstimatedSamples > 0 ? (long)((double)bitrate / 8 * target.EstimatedSamples / rate * width / channels * 1.25) + 8192 : long.MaxValue), ct).ConfigureAwait(false);
                var writer = new FrameStreamWriter(array);
                // Bits per sample held: the stream's share of the bitrate, in the carrier's time.
                var streamBitrate = (int)Math.Round((double)bitrate * width / channels * carrier / rate);
                streams[k] = (new AacEncoder(width, carrier, streamBitrate, bandwidth, writer), writer, first);
            }
        }
        catch
        {
            foreach (var s in streams) s.Item1?.Dispose();
            throw;
        }
        return new AacRecordingEncoder(streams, channels, target.RecordingPath, bitrate, carrier, bandwidth, rate, target.Stored.BitsPerSample);
    }

    public long SamplesWritten => _streams[0].Encoder.SamplesWritten;

    public async ValueTask WriteAsync(SampleBuffer block, CancellationToken ct)
    {
        var n = block.Length;
        if (_pcm.Length < n) _pcm = new short[n];
        ToInt16(block, _bits, _pcm.AsSpan(0, n));
        var frames = n / _channels;
        foreach (var (encoder, writer, first) in _streams)
        {
            var width = encoder.Channels;
            if (_streams.Length == 1) encoder.Write(_pcm.AsSpan(0, n));
            else
            {
                if (_scratch.Length < frames * width) _scratch = new short[frames * width];
                ChannelGroups.Gather<short>(_pcm.AsSpan(0, n), _channels, first, width, _scratch);
                encoder.Write(_scratch.AsSpan(0, frames * width));
            }
            await writer.FlushAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>fdk-aac takes 16-bit samples: deeper integers are rounded (far below AAC's own noise), floats scaled and clipped.</summary>
    private static void ToInt16(SampleBuffer block, int bits, Span<short> target)
    {
        switch (block.Encoding)
        {
            case SampleEncoding.Integer:
                // Integers arrive right-justified at the source's depth.
                var ints = block.Integers.Span;
                if (bits <= 16)
                    for (var i = 0; i < ints.Length; i++) target[i] = (short)(ints[i] << (16 - bits));
                else
                {
                    var shift = bits - 16;
                    var half = 1L << (shift - 1);
                    for (var i = 0; i < ints.Length; i++) target[i] = (short)Math.Clamp((ints[i] + half) >> shift, short.MinValue, short.MaxValue);
                }
                break;
            case SampleEncoding.Float32:
                var floats = block.Floats.Span;
                for (var i = 0; i < floats.Length; i++) target[i] = Quantise(floats[i]);
                break;
            default:
                var doubles = block.Doubles.Span;
                for (var i = 0; i < doubles.Length; i++) target[i] = Quantise(doubles[i]);
                break;
        }
    }

    private static short Quantise(double v) => double.IsNaN(v) ? (short)0 : (short)Math.Clamp(Math.Round(v * 32768.0), short.MinValue, short.MaxValue);

    public async Task CompleteAsync(TechnicalMetadata technical, CancellationToken ct)
    {
        var units = 0L;
        var delay = 0;
        for (var k = 0; k < _streams.Length; k++)
        {
            var (encoder, writer, _) = _streams[k];
            encoder.Finish();
            await writer.CompleteAsync(_recordingPath + "/" + AacCodec.FrameIndexArrayName(k), ct).ConfigureAwait(false);
            // Measured with fdk-aac 2.0 (docs/ARCHITECTURE.md): a sample fed at position s decodes at s + nDelay + one frame.
            delay = encoder.EncoderDelay + encoder.FrameLength;
            if ((long)writer.FrameCount * encoder.FrameLength < encoder.SamplesWritten + delay)
                throw new CodecException($"fdk-aac flushed {writer.FrameCount} access units, too few for {encoder.SamplesWritten} samples after a delay of {delay}");
            var attributes = (JsonObject)writer.Stream.Attributes.DeepClone();
            attributes["audio_specific_config"] = Convert.ToBase64String(encoder.AudioSpecificConfig);
            attributes["delay"] = delay;
            attributes["frame_length"] = encoder.FrameLength;
            attributes["carrier_rate"] = _carrier;
            attributes["frames"] = writer.FrameCount;
            await writer.Stream.SetAttributesAsync(attributes, ct).ConfigureAwait(false);
            units += writer.FrameCount;
        }
        technical.SampleCount = SamplesWritten;
        technical.BitsPerSample = 16;
        technical.StreamCount = _streams.Length;
        technical.StoredBytes = _streams.Sum(s => s.Writer.StoredBytes);
        technical.SetExtension("aac", new JsonObject
        {
            ["bitrate"] = _bitrate,
            ["bits_per_sample_per_channel"] = Math.Round((double)_bitrate / ((double)_sampleRate * _channels), 3),
            ["carrier_rate"] = _carrier,
            ["bandwidth"] = _bandwidth,
            ["delay"] = delay,
            ["encoder_delay"] = _streams[0].Encoder.EncoderDelay,
            ["frame_length"] = _streams[0].Encoder.FrameLength,
            ["access_units"] = units,
        });
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
