using System.Collections;
using System.Management.Automation;
using ZarrAudio.Archive;
using ZarrAudio.Export;

namespace ZarrAudio.PowerShell.Commands;

/// <summary>
/// Exports recordings, whole or a range, to any format ffmpeg encodes: chosen by -Format or by the file
/// extension of -Destination. A folder destination names each file after its source, plus "_start-end"
/// (sample indexes, end exclusive) when a range is exported. Only tags given with -Tag go into the file.
/// </summary>
[Cmdlet(VerbsData.Export, "Recording", DefaultParameterSetName = SampleSet, SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportRecordingCommand : SampleRangeCmdlet
{
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);

    /// <summary>A folder (existing, or ending in a path separator) or a file name. Default: the current folder.</summary>
    [Parameter(Position = 1)]
    [Alias("Path")]
    public string Destination { get; set; } = ".";

    /// <summary>An ffmpeg muxer name (wav, flac, ogg, mp3, ...). Default: from the destination's extension, else wav.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ExportFormatCompleter))]
    public string? Format { get; set; }

    /// <summary>Tags to write into the exported file; nothing else from the archive is written.</summary>
    [Parameter]
    public Hashtable? Tag { get; set; }

    /// <summary>
    /// How files exported into a folder are named: {Id}, {SourceBaseName}, {Start}, {End}, {Count}, {SampleRate},
    /// {User.key}, and any column of a piped row ({label}, {Common Name}); the extension is added. Default '{Id}_{SourceBaseName}' (whole) and '{Id}_{SourceBaseName}_{Start}-{End}'.
    /// </summary>
    [Parameter]
    public string? FileName { get; set; }

    /// <summary>Further ffmpeg output options, e.g. '-b:a 96k' or '-ar 48000'.</summary>
    [Parameter]
    public string? FFmpegOption { get; set; }

    /// <summary>Replace read-only files and create a missing destination folder.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Never replace an existing file.</summary>
    [Parameter]
    [Alias("NoOverwrite")]
    public SwitchParameter NoClobber { get; set; }

    protected override void ProcessRecord()
    {
        var archive = RequireArchive();
        try
        {
            var id = RecordingId;
            var recording = Run(ct => RecordingAsync(archive, id, Fingerprint, ct));
            var (start, count) = recording.Resolve(Range);
            var path = TargetPath(recording, start, count);
            if (NoClobber && File.Exists(path)) throw new ExportTargetExistsException(path);
            if (!_written.Add(path)) throw new ExportTargetExistsException(path);
            if (!ShouldProcess(path, $"Export recording {Id} samples [{start}, {start + count})")) return;
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!); // exists already unless -Force allowed creating it
            if (Force && File.Exists(path)) File.SetAttributes(path, File.GetAttributes(path) & ~FileAttributes.ReadOnly);

            var request = new ExportRequest
            {
                Start = start, Count = count, Channels = Channel, Format = Format ?? FormatFor(path),
                Tags = Tag?.Cast<DictionaryEntry>().ToDictionary(e => e.Key.ToString()!, e => LanguagePrimitives.ConvertTo<string>(e.Value)),
                ExtraOutputArguments = FFmpegOption, Overwrite = !NoClobber,
            };
            var result = RunWithProgress((progress, ct) => RecordingExporter.ExportAsync(recording, path, request,
                new SyncProgress<long>(done => progress.Report((double)done / count)), ct),
                new ProgressRecord(1, $"Export-Recording {Id}", $"{System.IO.Path.GetFileName(path)}: {count:N0} samples"));
            WriteVerbose($"Exported recording {Id} [{start}, {start + count}) to {result.Path} ({result.Format}).");
            // Through the FileSystem provider, as Get-Item gives it: with PSPath and the Unix mode, owner and size the
            // default file view shows (a bare FileInfo shows those columns empty).
            WriteObject(InvokeProvider.Item.Get([result.Path], force: true, literalPath: true), enumerateCollection: true);
        }
        catch (Exception e) when (ErrorRecords.IsExpected(e))
        {
            WriteEngineError(e, Id);
        }
        catch (ArgumentException e)
        {
            WriteError(new ErrorRecord(e, "InvalidFileName", ErrorCategory.InvalidArgument, FileName));
        }
    }

    /// <summary>The file to write: Destination itself, or a file named after the source inside the Destination folder.</summary>
    private string TargetPath(Recording recording, long start, long count)
    {
        var destination = GetUnresolvedProviderPathFromPSPath(Destination);
        // A folder: one that exists, a path ending in a separator, or a missing path without an extension (never a
        // file named like the folder the user meant). A file: anything else.
        var isFolder = Directory.Exists(destination) || Destination.EndsWith('/') || Destination.EndsWith('\\')
            || (!File.Exists(destination) && !System.IO.Path.HasExtension(destination));
        var folder = isFolder ? destination : System.IO.Path.GetDirectoryName(destination)!;
        // Created after ShouldProcess, so -WhatIf leaves the file system as it is.
        if (!Force && !Directory.Exists(folder))
            throw new DirectoryNotFoundException($"The destination folder '{folder}' does not exist. Use -Force to create it{(isFolder ? "" : ", or give an existing folder")}.");
        if (!isFolder && FileName is not null) throw new ArgumentException("-FileName names files exported into a folder; -Destination names a file here.");
        return isFolder ? System.IO.Path.Combine(folder, ExportFileName.For(recording, start, count, Format ?? "wav", FileName, RowColumns().ToDictionary(c => c.Key, c => c.Value, StringComparer.OrdinalIgnoreCase))) : destination;
    }

    // An explicit -Format wins; otherwise ffmpeg picks the muxer from the extension (wav when there is none).
    private static string? FormatFor(string path) => System.IO.Path.HasExtension(path) ? null : "wav";
}
