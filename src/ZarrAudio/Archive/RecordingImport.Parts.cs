using System.Text.Json.Nodes;
using ZarrAudio.Codecs;
using ZarrAudio.Import;
using ZarrAudio.Import.Flac;

namespace ZarrAudio.Archive;

/// <summary>
/// Sources whose format changes midway, imported as one recording per constant part (<c>-SplitOnFormatChange</c>):
/// each part bit-exact as libFLAC decodes it, in its own format, linked to the others by the source's SHA-256 and
/// its part number in the file metadata (<c>File.part</c>). Each part claims <c>sha256.partN</c>, so importing the
/// file again finds the parts already there as duplicates.
/// </summary>
internal sealed partial class RecordingImport
{
    public async Task<IReadOnlyList<Recording>> ImportFilePartsAsync(string path, ImportOptions options, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        try { return [await ImportFileAsync(path, options, progress, ct).ConfigureAwait(false)]; }
        catch (SourceFormatChangedException changed) when (changed.CanSplit)
        {
            var file = new FileInfo(path);
            var probe = await SourceProbe.ProbeAsync(file.FullName, options.AudioStream, ct).ConfigureAwait(false);
            var sha256 = await HashFileAsync(file.FullName, ct).ConfigureAwait(false);
            var header = probe.Flac ?? throw new InvalidOperationException("only a FLAC source can be split");
            var parts = await Task.Run(() => FlacSourceReader.ScanParts(file.FullName, header, ct), ct).ConfigureAwait(false);
            var recordings = new List<Recording>();
            var elapsed = TimeSpan.Zero; // each part starts when the parts before it end
            foreach (var part in parts)
            {
                var (technical, link, fileMetadata) = Describe(file, probe);
                SetStart(technical, options);
                Metadata.RecordingTime.Shift(technical, elapsed);
                elapsed += TimeSpan.FromSeconds((double)part.Samples / part.Format.SampleRate);
                var format = part.Format;
                (technical.SampleRate, technical.Channels, technical.SourceSampleFormat) = (format.SampleRate, format.Channels, format.BitsPerSample <= 16 ? "s16" : "s32");
                fileMetadata["part"] = new JsonObject
                {
                    ["number"] = part.Number, ["of"] = parts.Count, ["source_sha256"] = sha256,
                    ["source_start_sample"] = part.Start, ["samples"] = part.Samples, ["format"] = format.ToString(),
                };
                Feed feed = async (encoder, stored, report, token) =>
                    await FlacSourceImport.DecodePartAsync(file.FullName, header, part, async block =>
                    {
                        await encoder.WriteAsync(block, token).ConfigureAwait(false);
                        report(encoder.SamplesWritten);
                    }, token).ConfigureAwait(false);
                var source = new Source(technical, link, fileMetadata, new SourceFormat(format.SampleRate, format.Channels, SampleEncoding.Integer, format.BitsPerSample),
                    part.Samples, $"{file.FullName} (part {part.Number} of {parts.Count})", feed, new FloatConversion(format.Channels), Task.FromResult(sha256))
                    { ClaimKey = $"{sha256}.part{part.Number}" };
                recordings.Add(await StoreAsync(source, options, progress, ct).ConfigureAwait(false));
            }
            return recordings;
        }
    }
}
