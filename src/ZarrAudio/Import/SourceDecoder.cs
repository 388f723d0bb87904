using ZarrAudio.Codecs;

namespace ZarrAudio.Import;

/// <summary>Decodes a probed source: plain WAV files natively (<see cref="WavReader"/>), everything else through ffmpeg.</summary>
internal static class SourceDecoder
{
    public static Task DecodeAsync(SourceProbe probe, StoredFormat stored, FloatConversion floats, Func<SampleBuffer, Task> onBlock, CancellationToken ct) =>
        WavReader.TryOpen(probe) is { } wav
            ? wav.ReadAsync(stored, floats, onBlock, ct)
            : FfmpegDecoder.DecodeAsync(probe, stored, floats, onBlock, ct);
}
