using ZarrAudio.Metadata;
using ZarrAudio.Reading;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Codecs;

/// <summary>
/// One way of storing a recording's samples under its group: what it can store, an encoder the import pipeline feeds,
/// and a reader that serves any range of any channels. Everything above this seam (archive, import, export, reads,
/// verification) is the same for every codec; a codec is added with its own folder and one line in <see cref="RecordingCodecs"/>.
/// </summary>
public interface IRecordingCodec
{
    /// <summary>The name stored as technical.codec, and accepted by Import-Recording -Codec.</summary>
    string Name { get; }

    /// <summary>What one unit of <see cref="ReadCost.Frames"/> is for this codec, for messages ("FLAC frames", "PCM chunks").</summary>
    string DecodedUnits { get; }

    /// <summary>The codec and its settings as stored for one recording, for messages ("flac level 5").</summary>
    string Describe(TechnicalMetadata technical) => Name;

    /// <summary>The import settings this codec takes (Import-Recording offers each as a parameter).</summary>
    IReadOnlyList<CodecOption> Options => [];

    /// <summary>Whether this codec can store the source, fed with which samples, and whether without loss.</summary>
    CodecFit Fit(SourceFormat source);

    /// <summary>The sample type reads return when the caller does not ask for float.</summary>
    SampleType NaturalType(TechnicalMetadata technical);

    /// <summary>
    /// Checks the caller's options against the source and fixes every setting the encoder will use (as tensorstore
    /// resolves a codec spec into a prepared codec); a value the source does not allow is refused here, before anything is stored.
    /// </summary>
    IResolvedCodec Resolve(CodecOptions options, SourceFormat source, string sourceName);

    Task<IRecordingReader> OpenAsync(IReadableStore store, string recordingPath, TechnicalMetadata technical, CancellationToken ct);
}

/// <summary>A codec with every setting fixed for one source: it makes the encoder, which stores the settings under technical.{codec}.</summary>
public interface IResolvedCodec
{
    Task<IRecordingEncoder> CreateEncoderAsync(EncodeTarget target, CancellationToken ct);
}

/// <summary>Where and what an encoder writes.</summary>
public sealed record EncodeTarget(IWritableStore Store, string RecordingPath, SourceFormat Source, StoredFormat Stored, long EstimatedSamples);

/// <summary>Stores the interleaved blocks it is given, in order, under the recording's group.</summary>
public interface IRecordingEncoder : IAsyncDisposable
{
    long SamplesWritten { get; }

    ValueTask WriteAsync(SampleBuffer block, CancellationToken ct);

    /// <summary>
    /// Stores what is still buffered and records, in <paramref name="technical"/>, the sample count, stored bytes, the
    /// signature of the samples (<see cref="TechnicalMetadata.Md5"/>) and the codec's own parameters. It does not commit:
    /// the archive does that by writing the recording group afterwards.
    /// </summary>
    Task CompleteAsync(TechnicalMetadata technical, CancellationToken ct);
}

/// <summary>Random access to a stored recording's samples, and a full check of what is stored.</summary>
public interface IRecordingReader : IDisposable
{
    /// <summary>Writes [start, start+count) of the requested channels, interleaved, into the request's buffer.</summary>
    ValueTask<ReadCost> ReadAsync(ReadRequest request, CancellationToken ct);

    /// <summary>Reads and decodes everything stored, checking every checksum and the signature; returns the problems found.</summary>
    Task<IReadOnlyList<string>> VerifyAsync(IProgress<double>? progress, CancellationToken ct);
}

/// <summary>A read into a caller's interleaved [frame, channel] buffer of <see cref="Type"/> holding <see cref="Capacity"/> elements.</summary>
public readonly record struct ReadRequest(long Start, long Count, int[] Channels, SampleType Type, IntPtr Buffer, long Capacity);

/// <summary>What a read fetched and decoded: codec frames (FLAC frames, PCM chunks) and stored bytes.</summary>
public readonly record struct ReadCost(int Frames, long Bytes)
{
    public static ReadCost operator +(ReadCost a, ReadCost b) => new(a.Frames + b.Frames, a.Bytes + b.Bytes);
}
