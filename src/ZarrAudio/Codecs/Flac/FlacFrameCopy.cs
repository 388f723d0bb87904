using System.Text.Json.Nodes;
using Microsoft.Win32.SafeHandles;
using ZarrAudio.Metadata;
using ZarrAudio.Zarr;

namespace ZarrAudio.Codecs.Flac;

/// <summary>
/// Stores a FLAC source's own frames, byte for byte, instead of decoding and encoding them again: the import of a
/// FLAC card costs reading, not encoding, and keeps the source's compression. The frames were found and checked
/// (CRC-8, CRC-16, format, numbering) by the import's scanner; they go through the same <see cref="FrameStreamWriter"/>
/// as encoded ones, with the source's STREAMINFO (its MD5 included) as the stream's header, so reads, verification
/// (Test-Recording checks the samples against that MD5) and exports treat them as any FLAC recording.
/// </summary>
internal sealed class FlacFrameCopy(string path, IReadOnlyList<SourceFrame> frames, StreamInfo info)
    : IResolvedCodec
{
    private string Path { get; } = path;
    private IReadOnlyList<SourceFrame> Frames { get; } = frames;
    private StreamInfo Info { get; } = info;

    public async Task<IRecordingEncoder> CreateEncoderAsync(EncodeTarget target, CancellationToken ct)
    {
        var attributes = new JsonObject { ["channels"] = new JsonArray(Enumerable.Range(0, Info.Channels).Select(c => (JsonNode)c).ToArray()) };
        var bytes = Frames.Count == 0 ? 0 : Frames[^1].Offset + Frames[^1].Length - Frames[0].Offset;
        var array = await ZarrArray.CreateAsync(target.Store, target.RecordingPath + "/" + FlacCodec.StreamArrayName(0),
            FlacCodec.StreamArray(attributes, bytes), ct).ConfigureAwait(false);
        return new Encoder(this, new FrameStreamWriter(array), target.RecordingPath);
    }

    /// <summary>
    /// Copies every frame when completed. The samples it is given are the source's, decoded to verify it (its format,
    /// its frames, its MD5) before the copy: they are not stored again.
    /// </summary>
    private sealed class Encoder(FlacFrameCopy copy, FrameStreamWriter writer, string recordingPath) : IRecordingEncoder
    {
        public long SamplesWritten { get; private set; }

        public ValueTask WriteAsync(SampleBuffer block, CancellationToken ct)
        {
            SamplesWritten += block.Length / Math.Max(1, copy.Info.Channels);
            return ValueTask.CompletedTask;
        }

        public async Task CompleteAsync(TechnicalMetadata technical, CancellationToken ct)
        {
            using (var file = File.OpenHandle(copy.Path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan))
            {
                var buffer = new byte[1 << 20];
                foreach (var (offset, length, first, samples) in copy.Frames)
                {
                    if (buffer.Length < length) buffer = new byte[length];
                    if (RandomAccess.Read(file, buffer.AsSpan(0, length), offset) != length)
                        throw new UnsupportedSourceException($"'{copy.Path}' became shorter while its frames were copied.");
                    writer.OnFrame(buffer.AsSpan(0, length), first, samples);
                    await writer.FlushAsync(ct).ConfigureAwait(false);
                }
            }
            await writer.CompleteAsync(recordingPath + "/" + FlacCodec.FrameIndexArrayName(0), ct).ConfigureAwait(false);
            // Samples kept although they did not match the source's MD5 (on request) are signed by what they are,
            // so Test-Recording verifies the frames as stored rather than failing on the source's fault forever.
            var info = technical.SourceMd5Decoded is { } decoded ? copy.Info with { Md5 = Convert.FromHexString(decoded) } : copy.Info;
            var attributes = (JsonObject)writer.Stream.Attributes.DeepClone();
            attributes["flac_header"] = Convert.ToBase64String(info.ToHeader());
            attributes["md5"] = info.Md5Hex;
            attributes["frames"] = writer.FrameCount;
            await writer.Stream.SetAttributesAsync(attributes, ct).ConfigureAwait(false);
            technical.SampleCount = copy.Info.TotalSamples;
            technical.StreamCount = 1;
            technical.StoredBytes = writer.StoredBytes;
            technical.Md5 = [info.Md5Hex];
            FlacSettings.StoreCopied(technical, copy.Info.MaxBlocksize);
        }

        public async ValueTask DisposeAsync() => await writer.SettleAsync().ConfigureAwait(false);
    }
}

/// <summary>Where one of a source file's FLAC frames lies (<paramref name="Offset"/>, <paramref name="Length"/> bytes) and which samples it holds.</summary>
internal readonly record struct SourceFrame(long Offset, int Length, long FirstSample, int Samples);
