using ZarrAudio.Codecs;
using ZarrAudio.Metadata;

namespace ZarrAudio.Import;

/// <summary>
/// Decodes a probed source: plain WAV files natively (<see cref="WavReader"/>), native FLAC files with libFLAC
/// (<see cref="Flac.FlacSourceImport"/>, which checks them against their STREAMINFO into <paramref name="technical"/>),
/// everything else through ffmpeg.
/// </summary>
internal static class SourceDecoder
{
    public static Task DecodeAsync(SourceProbe probe, StoredFormat stored, FloatConversion floats, bool ignoreChecksum, TechnicalMetadata technical,
        Func<SampleBuffer, Task> onBlock, CancellationToken ct) =>
        probe.Flac is not null ? Flac.FlacSourceImport.DecodeAsync(probe, ignoreChecksum, technical, onBlock, ct)
        : WavReader.TryOpen(probe) is { } wav ? wav.ReadAsync(stored, floats, onBlock, ct)
        : FfmpegDecoder.DecodeAsync(probe, stored, floats, onBlock, ct);
}
