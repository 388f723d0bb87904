using FFMpegCore.Pipes;
using ZarrAudio.Codecs;

namespace ZarrAudio.Export;

/// <summary>Feeds ffmpeg a recording's stored frames as they are (ADTS for AAC), for an export that copies them.</summary>
internal sealed class CodedPipeSource(ICodedStreamSource coded, IProgress<long>? progress) : IPipeSource
{
    public string GetStreamArguments() => $"-f {coded.CodedFormat}";

    public Task WriteAsync(Stream outputStream, CancellationToken cancellationToken) => coded.WriteCodedAsync(outputStream, progress, cancellationToken);
}
