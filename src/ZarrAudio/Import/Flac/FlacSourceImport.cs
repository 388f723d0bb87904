using ZarrAudio.Codecs;
using ZarrAudio.Metadata;

namespace ZarrAudio.Import.Flac;

/// <summary>
/// Decodes a probed FLAC source into the import and holds the result against the source's own header: its MD5
/// (refused on a mismatch unless told to keep the samples, then both recorded) and its length (fewer samples than
/// STREAMINFO says is a truncation, flagged by the import as for WAV).
/// </summary>
internal static class FlacSourceImport
{
    public static async Task DecodeAsync(SourceProbe probe, bool ignoreChecksum, TechnicalMetadata technical, Func<SampleBuffer, Task> onBlock, CancellationToken ct)
    {
        var info = probe.Flac!.StreamInfo;
        var format = new FlacFormat(probe.SampleRate, probe.Channels, probe.BitsPerSample);
        using var reader = await FlacSourceReader.DecodeAsync(probe.Path, probe.Flac!, format, onBlock, ct).ConfigureAwait(false);
        var complete = info is null || info.TotalSamples == 0 || reader.Samples == info.TotalSamples;
        // Damage with no good frame after it (the reader refuses damage in the middle) lost nothing when the declared
        // length was decoded (trailing junk), and is a truncation otherwise: the import flags it from DeclaredSamples.
        if (info is not { HasMd5: true }) return;
        technical.SourceMd5 = Convert.ToHexString(info.Md5).ToLowerInvariant();
        if (!complete) return; // a truncated file's MD5 covers samples it does not hold
        var decoded = Convert.ToHexString(reader.Md5()).ToLowerInvariant();
        if (decoded == technical.SourceMd5) return;
        if (!ignoreChecksum) throw new SourceChecksumException(probe.Path, technical.SourceMd5, decoded);
        technical.SourceMd5Decoded = decoded;
    }

    /// <summary>One part of a stream that changes format: its frames only, bit-exact as libFLAC decodes them.</summary>
    public static async Task DecodePartAsync(string path, FlacFileHeader header, FlacPart part, Func<SampleBuffer, Task> onBlock, CancellationToken ct)
    {
        using var reader = await FlacSourceReader.DecodeAsync(path, header, part.Format, onBlock, ct, part).ConfigureAwait(false);
        if (reader.Samples != part.Samples)
            throw new UnsupportedSourceException($"'{path}' gave {reader.Samples:N0} samples for part {part.Number} where its scan found {part.Samples:N0}: the file changed while it was read.");
    }
}
