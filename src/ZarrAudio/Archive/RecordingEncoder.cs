using System.Text.Json.Nodes;
using ZarrAudio.Flac;
using ZarrAudio.Zarr;

namespace ZarrAudio.Archive;

/// <summary>
/// Encodes interleaved samples of any channel count into one FLAC stream per group of up to 8 channels,
/// each stored through a <see cref="FlacStreamWriter"/>.
/// </summary>
internal sealed class RecordingEncoder : IAsyncDisposable
{
    private readonly (FlacEncoder Encoder, FlacStreamWriter Writer, int FirstChannel)[] _streams;
    private readonly int _channels;
    private int[] _scratch = [];

    private RecordingEncoder((FlacEncoder, FlacStreamWriter, int)[] streams, int channels)
    {
        _streams = streams;
        _channels = channels;
    }

    public static async Task<RecordingEncoder> CreateAsync(ZarrAudio.Zarr.Stores.IStore store, string recordingPath, int channels, int bits, int sampleRate,
        int level, long estimate, CancellationToken cancellationToken)
    {
        var count = (channels + FlacEncoder.MaxChannels - 1) / FlacEncoder.MaxChannels;
        var streams = new (FlacEncoder, FlacStreamWriter, int)[count];
        try
        {
            for (var k = 0; k < count; k++)
            {
                var first = k * FlacEncoder.MaxChannels;
                var width = Math.Min(FlacEncoder.MaxChannels, channels - first);
                var attributes = new JsonObject { ["channels"] = new JsonArray(Enumerable.Range(first, width).Select(c => (JsonNode)c).ToArray()) };
                var array = await ZarrArray.CreateAsync(store, recordingPath + "/" + ArchiveLayout.FlacArrayName(k),
                    ArchiveLayout.FlacStreamArray(attributes), cancellationToken).ConfigureAwait(false);
                var writer = new FlacStreamWriter(array);
                streams[k] = (new FlacEncoder(width, bits, sampleRate, level, estimate, writer), writer, first);
            }
        }
        catch
        {
            foreach (var s in streams) s.Item1?.Dispose();
            throw;
        }
        return new RecordingEncoder(streams, channels);
    }

    public int Blocksize => _streams[0].Encoder.Blocksize;
    public long SamplesWritten => _streams[0].Encoder.SamplesWritten;
    public long StoredBytes => _streams.Sum(s => s.Writer.TotalBytes);

    public async Task WriteAsync(ReadOnlyMemory<int> interleaved, CancellationToken cancellationToken)
    {
        if (_streams.Length == 1) _streams[0].Encoder.Write(interleaved.Span);
        else
        {
            var frames = interleaved.Length / _channels;
            foreach (var (encoder, _, first) in _streams)
            {
                var width = encoder.Channels;
                if (_scratch.Length < frames * width) _scratch = new int[frames * width];
                var source = interleaved.Span;
                for (var f = 0; f < frames; f++)
                    source.Slice(f * _channels + first, width).CopyTo(_scratch.AsSpan(f * width));
                encoder.Write(_scratch.AsSpan(0, frames * width));
            }
        }
        foreach (var s in _streams) await s.Writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Finishes every stream, stores its header in the stream array's attributes, returns the STREAMINFOs.</summary>
    public async Task<StreamInfo[]> CompleteAsync(string recordingPath, CancellationToken cancellationToken)
    {
        var infos = new StreamInfo[_streams.Length];
        for (var k = 0; k < _streams.Length; k++)
        {
            var (encoder, writer, _) = _streams[k];
            infos[k] = encoder.Finish();
            await writer.CompleteAsync(recordingPath, k, cancellationToken).ConfigureAwait(false);
            var attributes = (JsonObject)writer.Stream.Attributes.DeepClone();
            attributes["flac_header"] = Convert.ToBase64String(infos[k].ToHeader());
            attributes["md5"] = infos[k].Md5Hex;
            attributes["frames"] = writer.FrameCount;
            await writer.Stream.SetAttributesAsync(attributes, cancellationToken).ConfigureAwait(false);
        }
        return infos;
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
