using System.Text;
using FFMpegCore;
using ZarrAudio.Archive;

namespace ZarrAudio.Export;

/// <summary>
/// Exports a recording (or a range of it) to any format ffmpeg encodes, streaming decoded PCM into ffmpeg
/// through a pipe. ffmpeg writes to a hidden file beside the target, renamed into place only when it
/// succeeds, so a failed or cancelled export leaves nothing behind. No metadata is copied into the file.
/// </summary>
public static class RecordingExporter
{
    public static async Task<ExportResult> ExportAsync(Recording recording, string path, ExportRequest request, IProgress<long>? progress = null, CancellationToken ct = default)
    {
        var count = request.Count ?? recording.SampleCount - request.Start;
        var channels = recording.CheckRequest(request.Start, count, request.Channels);
        if (count == 0) throw new SampleRangeException($"Nothing to export: the range of recording {recording.Id} is empty.");
        path = Path.GetFullPath(path);
        if (!request.Overwrite && File.Exists(path)) throw new ExportTargetExistsException(path);
        var directory = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"The folder '{directory}' does not exist.");

        var bits = recording.Technical.BitsPerSample;
        var isFlac = string.Equals(request.Format ?? Path.GetExtension(path).TrimStart('.'), "flac", StringComparison.OrdinalIgnoreCase);
        if (isFlac && recording.StoresFloat)
            throw new UnsupportedExportFormatException($"Recording {recording.Id} stores float samples, and FLAC holds integers only. Export it to .wav, .w64 or .caf (float kept exactly) instead.");
        if (isFlac && bits > 24)
            throw new UnsupportedExportFormatException($"Recording {recording.Id} has {bits}-bit samples; ffmpeg's FLAC encoder stores at most 24 bits. Export it to .wav, .w64 or .caf instead.");

        RemoveAbandonedPartials(directory);
        var partial = Path.Combine(directory, $".{Path.GetFileNameWithoutExtension(path)}.{Environment.ProcessId}-{Guid.NewGuid():N}.partial{Path.GetExtension(path)}");
        // A whole recording going to a container of its own coding is copied frame for frame (no second lossy generation).
        var whole = request.Start == 0 && count == recording.SampleCount && channels.SequenceEqual(Enumerable.Range(0, recording.Channels));
        var coded = whole && await recording.CodedSourceAsync(ct).ConfigureAwait(false) is { } frames
            && frames.CopyContainers.Contains(request.Format ?? Path.GetExtension(path).TrimStart('.')) ? frames : null;
        FFMpegCore.Pipes.IPipeSource source = coded is null
            ? new RecordingPipeSource(recording, request.Start, count, channels, progress)
            : new CodedPipeSource(coded, progress);
        using var stop = new Import.FfmpegCancellation(ct);
        var errors = new Queue<string>();
        try
        {
            // Copied AAC frames begin with the encoder's priming: in an MP4 (its edit list) the timeline starts that many
            // samples before zero, so a click at sample s plays at s, not 2,048 samples late. ADTS and Matroska files
            // cannot say so here; their decoders output the priming. The end is trimmed the same way (Mp4EditList).
            var priming = coded is { PrimingSamples: > 0 } && EditListContainers.Contains(request.Format ?? Path.GetExtension(path).TrimStart('.'))
                ? $"-itsoffset -{(coded.PrimingSamples / (double)recording.SampleRate).ToString("R", System.Globalization.CultureInfo.InvariantCulture)}"
                : null;
            var arguments = FFMpegArguments.FromPipeInput(source, i => { if (priming is not null) i.WithCustomArgument(priming); }).OutputToFile(partial, overwrite: true, o =>
            {
                o.WithCustomArgument(OutputArguments(request, coded is null ? PcmContainers.Codec(request.Format, path, bits, recording.StoresFloat) : "copy",
                    coded is null ? recording.SampleRate : null));
                // Durations in samples, so the edit list can end on the last one (set below).
                if (priming is not null) o.WithCustomArgument($"-movie_timescale {recording.SampleRate}");
                if (request.Format is { } format) o.ForceFormat(format);
            });
            await arguments.NotifyOnStandardError(line => { lock (errors) { errors.Enqueue(line); if (errors.Count > 20) errors.Dequeue(); } }).CancellableThrough(stop.Token)
                .ProcessAsynchronously(throwOnError: true).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            // ffmpeg 5.1 leaves the last frame's padding in the stated length: 145,408 samples for 144,000.
            if (priming is not null && !Mp4EditList.SetLength(partial, count, recording.SampleRate))
                throw new CodecException($"ffmpeg wrote '{path}' without the one-track edit list its length is kept in; nothing was exported.");
            File.Move(partial, path, request.Overwrite);
        }
        catch (Exception e) when (e is not OperationCanceledException && e is not ZarrAudioException && !ct.IsCancellationRequested)
        {
            if (e.InnerException is ZarrAudioException inner) throw inner;
            string[] lines;
            lock (errors) lines = errors.ToArray();
            if (e is IOException && File.Exists(path) && !request.Overwrite) throw new ExportTargetExistsException(path);
            throw FfmpegFailure.For(lines, recording, request.Format ?? Path.GetExtension(path).TrimStart('.'), partial, path, e);
        }
        finally
        {
            if (File.Exists(partial)) File.Delete(partial);
        }
        return new ExportResult(recording.Id, path, request.Start, count, request.Format ?? Path.GetExtension(path).TrimStart('.'));
    }

    private static readonly HashSet<string> EditListContainers = new(StringComparer.OrdinalIgnoreCase) { "m4a", "mp4", "ipod", "mov" };

    // ".name.<pid>-<guid>.partial.ext": the hidden file an export writes before renaming it into place.
    private static readonly System.Text.RegularExpressions.Regex PartialName = new(@"^\..*\.(\d+)-[0-9a-f]{32}\.partial(\.[^.]*)?$");

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> CleanedFolders = new(StringComparer.Ordinal);

    /// <summary>
    /// Removes the hidden partial files that exports killed in this folder left (their process is gone and they are
    /// over a minute old), so they do not pile up: one killed run left 58.5 MiB of them. Once per folder and process:
    /// a label list exporting thousands of clips into one folder must not list it for every clip.
    /// </summary>
    internal static void RemoveAbandonedPartials(string directory)
    {
        if (!CleanedFolders.TryAdd(directory, true)) return;
        foreach (var file in Directory.EnumerateFiles(directory, ".*.partial*"))
        {
            var match = PartialName.Match(Path.GetFileName(file));
            if (!match.Success || !int.TryParse(match.Groups[1].Value, out var pid)) continue;
            var writer = new Zarr.Stores.ProcessStamp(pid, Zarr.Stores.ProcessStamp.ThisHost, null);
            if (!writer.IsGone(maxAge: null) || File.GetLastWriteTimeUtc(file) > DateTime.UtcNow.AddMinutes(-1)) continue;
            try { File.Delete(file); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    private static string OutputArguments(ExportRequest request, string? pcmCodec, int? sampleRate)
    {
        // Strip everything ffmpeg would add by itself (encoder tag, creation time) so only the user's tags go in.
        var args = new StringBuilder("-map_metadata -1 -map_chapters -1 -fflags +bitexact -flags:a +bitexact");
        if (pcmCodec is not null) args.Append(" -c:a ").Append(pcmCodec);
        // The recording's own rate, said: an encoder that cannot take it then fails (FfmpegFailure says which formats can)
        // instead of ffmpeg choosing a rate it takes and cutting the band silently (a 256 kHz bat call in an MP3).
        // An -ar among the user's options comes later and wins: a lower rate is then asked for.
        if (sampleRate is { } rate) args.Append(" -ar ").Append(rate.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (key, value) in request.Tags ?? new Dictionary<string, string>())
            args.Append(" -metadata ").Append(Quote($"{key}={value}"));
        if (!string.IsNullOrWhiteSpace(request.ExtraOutputArguments)) args.Append(' ').Append(request.ExtraOutputArguments);
        return args.ToString();
    }

    /// <summary>Quotes one argument by the rules .NET uses to split a command line (as CommandLineToArgvW).</summary>
    internal static string Quote(string value)
    {
        var quoted = new StringBuilder("\"");
        var backslashes = 0;
        foreach (var c in value)
        {
            if (c == '\\') { backslashes++; continue; }
            quoted.Append('\\', c == '"' ? backslashes * 2 + 1 : backslashes).Append(c);
            backslashes = 0;
        }
        return quoted.Append('\\', backslashes * 2).Append('"').ToString();
    }
}
