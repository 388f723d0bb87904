using ZarrAudio.Codecs.Aac;
using ZarrAudio.Codecs.Flac;
using ZarrAudio.Codecs.Pcm;

namespace ZarrAudio.Codecs;

/// <summary>The codecs an archive knows (one registration per codec), and the Auto choice between them.</summary>
public static class RecordingCodecs
{
    public const string Auto = "auto";

    private static readonly IRecordingCodec[] Known = [new FlacCodec(), new PcmCodec(), new AacCodec()];

    /// <summary>Every codec's options, for Import-Recording's parameters.</summary>
    public static IReadOnlyList<CodecOption> Options { get; } = Known.SelectMany(c => c.Options).DistinctBy(o => o.Name, StringComparer.OrdinalIgnoreCase).ToArray();

    /// <summary>"auto" and every codec's name, for -Codec.</summary>
    public static IReadOnlyList<string> Names { get; } = [Auto, .. Known.Select(c => c.Name)];

    public static IRecordingCodec Find(string name) =>
        Known.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new UnsupportedSourceException($"There is no codec '{name}': choose one of {string.Join(", ", Names)}.");

    /// <summary>
    /// The codec for a source, with the reason. Auto: FLAC wherever it stores the source losslessly; a lossy source
    /// (decoded to float) as 24-bit FLAC, whose rounding error (−144 dBFS) lies far below the lossy codec's own noise;
    /// PCM for everything else FLAC cannot store exactly (float sources, rates above 1,048,575 Hz).
    /// A named codec is used as asked; when it cannot store the source at all the error names the limit. The chosen
    /// codec then resolves the options against the source (<see cref="IRecordingCodec.Resolve"/>).
    /// </summary>
    public static (IRecordingCodec Codec, StoredFormat Stored, string Reason, IResolvedCodec Resolved) Choose(
        string requested, CodecOptions options, SourceFormat source, string sourceName)
    {
        Check(requested, options);
        var (codec, stored, reason) = IsAuto(requested) ? ChooseAuto(source, sourceName) : ChooseNamed(requested, source, sourceName);
        return (codec, stored, reason, codec.Resolve(options, source, sourceName));
    }

    /// <summary>
    /// Refuses a codec that does not exist, an option the codec asked for (or, for Auto, every codec) does not take, and
    /// values of the wrong type or range: once, before any source is read. Limits that depend on the source come later.
    /// </summary>
    public static void Check(string requested, CodecOptions options)
    {
        if (IsAuto(requested)) options.Check(Options, null);
        else if (Find(requested) is var codec) options.Check(codec.Options, codec.Name);
    }

    private static bool IsAuto(string requested) => string.Equals(requested, Auto, StringComparison.OrdinalIgnoreCase);

    private static (IRecordingCodec, StoredFormat, string) ChooseNamed(string requested, SourceFormat source, string sourceName)
    {
        var named = Find(requested);
        var fit = named.Fit(source);
        if (fit.Stored is null) throw new UnsupportedSourceException($"'{sourceName}' cannot be stored as {named.Name}: {fit.Limit}");
        return (named, fit.Stored, fit.Lossless ? "requested" : $"requested ({fit.Limit})");
    }

    private static (IRecordingCodec, StoredFormat, string) ChooseAuto(SourceFormat source, string sourceName)
    {
        var flac = Find("flac");
        var flacFit = flac.Fit(source);
        if (flacFit is { Stored: not null, Lossless: true }) return (flac, flacFit.Stored, "auto: FLAC stores the source losslessly");
        if (source.IsLossy && flacFit.Stored is not null)
            return (flac, flacFit.Stored, "auto: lossy source; 24-bit FLAC's rounding lies far below the lossy codec's noise");
        var pcm = Find("pcm");
        var pcmFit = pcm.Fit(source);
        if (pcmFit.Stored is null) throw new UnsupportedSourceException($"'{sourceName}' cannot be stored: {flacFit.Limit}; {pcmFit.Limit}");
        // Said of what was kept, not of what FLAC would have done: these samples were not rounded.
        return (pcm, pcmFit.Stored, source.IsFloat
            ? "auto: PCM keeps the float samples exactly (FLAC stores integers and would round them to 24 bits)"
            : $"auto: PCM keeps the source exactly ({flacFit.Limit})");
    }
}
