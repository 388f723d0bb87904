using System.Text.Json.Nodes;
using ZarrAudio.Metadata;

namespace ZarrAudio.Codecs.Flac;

/// <summary>
/// FLAC's import setting, resolved: the compression level. Stored with the block size libFLAC chose as
/// technical.flac = {compression_level, blocksize}; recordings written before (layout 1 and 2 until issue 18) hold
/// both as top-level technical fields, which <see cref="Stored"/> reads too.
/// </summary>
internal sealed record FlacSettings(int CompressionLevel) : IResolvedCodec
{
    public const int DefaultLevel = 5;

    public static readonly CodecOption Level = new("CompressionLevel", typeof(int),
        "FLAC compression level, 0 (fastest) to 8 (smallest); default 5, as the flac tool.", 0, 8);

    public static FlacSettings Resolve(CodecOptions options) =>
        new(options.TryGet<int>(Level, out var level) ? level : DefaultLevel);

    public async Task<IRecordingEncoder> CreateEncoderAsync(EncodeTarget target, CancellationToken ct) =>
        await FlacRecordingEncoder.CreateAsync(target, CompressionLevel, ct).ConfigureAwait(false);

    public static void Store(TechnicalMetadata technical, int level, int blocksize) =>
        technical.SetExtension("flac", new JsonObject { ["compression_level"] = level, ["blocksize"] = blocksize });

    /// <summary>A recording whose frames are the source's own: no level of ours; the source's block size.</summary>
    public static void StoreCopied(TechnicalMetadata technical, int blocksize) =>
        technical.SetExtension("flac", new JsonObject { ["frames"] = "copied from the source", ["blocksize"] = blocksize });

    public static bool IsCopied(TechnicalMetadata technical) => technical.Extension("flac")?["frames"] is JsonValue;

    /// <summary>The level and block size a recording was stored with, from technical.flac or the earlier top-level fields.</summary>
    public static (int? Level, int? Blocksize) Stored(TechnicalMetadata technical)
    {
        var own = technical.Extension("flac") as JsonObject;
        return (Number(own?["compression_level"]) ?? Number(technical.Extension("compression_level")),
            Number(own?["blocksize"]) ?? Number(technical.Extension("blocksize")));
    }

    private static int? Number(JsonNode? node) => node is JsonValue value && value.TryGetValue<int>(out var n) ? n : null;
}
