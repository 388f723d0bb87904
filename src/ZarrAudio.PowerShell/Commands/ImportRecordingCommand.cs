using System.Collections;
using System.Collections.Concurrent;
using System.Management.Automation;
using ZarrAudio.Archive;

namespace ZarrAudio.PowerShell.Commands;

/// <summary>
/// Imports audio files (anything ffmpeg decodes, video included) or sample arrays. Files are collected
/// from the pipeline, then imported in parallel off the pipeline thread; results, errors and progress are
/// written back on it, in the order the imports finish.
/// </summary>
[Cmdlet(VerbsData.Import, "Recording", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
[OutputType(typeof(RecordingInfo))]
public sealed class ImportRecordingCommand : ArchiveCmdlet, IDynamicParameters
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const string SamplesSet = "Samples";
    private readonly List<(string Target, Func<AudioArchive, IProgress<ImportProgress>, CancellationToken, Task<IReadOnlyList<Recording>>> Import)> _work = [];

    // Not Mandatory: a file object from Get-ChildItem binds InputFile instead (see there); ProcessRecord checks.
    [Parameter(Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
    [SupportsWildcards]
    public string[] Path { get; set; } = [];

    /// <summary>
    /// File objects piped in (Get-ChildItem): imported literally, so names with [ ] are not wildcards. PowerShell
    /// binds pipeline input within the default parameter set first, where a FileInfo would otherwise be turned into
    /// a string for the wildcard -Path.
    /// </summary>
    [Parameter(ParameterSetName = PathSet, ValueFromPipeline = true, DontShow = true)]
    public FileSystemInfo? InputFile { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP", "FullName")]
    public string[] LiteralPath { get; set; } = [];

    /// <summary>
    /// Samples: a 1-D array (mono), a 2-D [frame, channel] array, or one array per channel ([float[][]]), of sbyte, byte,
    /// short, int, float or double; a plain [object[]] of numbers too.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = SamplesSet)]
    public Array Samples { get; set; } = null!;

    [Parameter(Mandatory = true, ParameterSetName = SamplesSet)]
    [ValidateRange(1, int.MaxValue)]
    public int SampleRate { get; set; }

    /// <summary>For Int32 samples: the bits in use (e.g. 24).</summary>
    [Parameter(ParameterSetName = SamplesSet)]
    [ValidateRange(4, 32)]
    public int BitsPerSample { get; set; }

    /// <summary>A name recorded as the source of a sample array.</summary>
    [Parameter(ParameterSetName = SamplesSet)]
    public string? Name { get; set; }

    /// <summary>Auto (FLAC where lossless, PCM where FLAC cannot keep the source exactly), Flac, Pcm or Aac.</summary>
    [Parameter]
    [ValidateCodecName]
    [ArgumentCompleter(typeof(CodecNameCompleter))]
    public string Codec { get; set; } = "Auto";

    /// <summary>
    /// The codecs' own settings by name, e.g. @{ CompressionLevel = 8 } or @{ Bitrate = 256000 }. Each is also a
    /// parameter of its own (-CompressionLevel, -Bitrate), which the codecs declare (<see cref="CodecParameters"/>).
    /// </summary>
    [Parameter]
    public Hashtable? CodecOption { get; set; }

    private readonly CodecParameters _codecParameters = new();

    public object GetDynamicParameters() => _codecParameters.Parameters;

    /// <summary>Which audio stream of each file (0 = the first).</summary>
    [Parameter]
    [ValidateRange(0, 1000)]
    public int Stream { get; set; }

    [Parameter]
    public Hashtable? UserMeta { get; set; }

    /// <summary>Import files whose SHA-256 is already in the archive.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Keep a FLAC source whose samples do not match its STREAMINFO MD5 (both MD5s are recorded) instead of refusing it.</summary>
    [Parameter]
    public SwitchParameter IgnoreSourceChecksum { get; set; }

    /// <summary>The IANA time zone the recorders' clocks ran in (e.g. Europe/Berlin): a start a file gives without an offset is placed in it.</summary>
    [Parameter]
    public string? TimeZone { get; set; }

    /// <summary>When the recording started: '2024-05-03T05:10:00+02:00' (with its offset), or '2024-05-03 05:10' (the recorder's clock; with -TimeZone, placed in it).</summary>
    [Parameter]
    public string? RecordedAt { get; set; }

    /// <summary>A FLAC file whose rate, channels or depth change midway becomes one recording per constant part, not an error.</summary>
    [Parameter]
    public SwitchParameter SplitOnFormatChange { get; set; }

    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = Math.Max(1, Environment.ProcessorCount);

    private ImportOptions Options => new()
    {
        Codec = Codec,
        CodecOptions = CheckedCodecOptions(), // checked once, before any file is read
        AudioStream = MyInvocation.BoundParameters.ContainsKey(nameof(Stream)) ? Stream : null,
        UserMetadata = PlainUserMetadata(UserMeta), // checked once, before any file is read
        Force = Force,
        BitsPerSample = BitsPerSample > 0 ? BitsPerSample : null,
        IgnoreSourceChecksum = IgnoreSourceChecksum,
        TimeZone = CheckedTimeZone(), // checked once, before any file is read
        RecordedAt = CheckedRecordedAt(),
    };

    private (DateTime, TimeSpan?)? CheckedRecordedAt()
    {
        if (RecordedAt is null) return null;
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        var styles = System.Globalization.DateTimeStyles.AllowWhiteSpaces;
        // An offset (or Z) in the text: kept; none: the recorder's clock alone, never read as this machine's zone.
        if (System.Text.RegularExpressions.Regex.IsMatch(RecordedAt, @"(Z|[+-]\d{2}:?\d{2})\s*$") && DateTimeOffset.TryParse(RecordedAt, invariant, styles, out var withOffset))
            return (withOffset.DateTime, withOffset.Offset);
        if (DateTime.TryParse(RecordedAt, invariant, styles, out var wallClock)) return (DateTime.SpecifyKind(wallClock, DateTimeKind.Unspecified), null);
        ThrowTerminatingError(new ErrorRecord(new PSArgumentException($"-RecordedAt '{RecordedAt}' is not a date and time (e.g. 2024-05-03T05:10:00+02:00, or 2024-05-03 05:10 with -TimeZone)."),
            "InvalidTime", ErrorCategory.InvalidArgument, RecordedAt));
        return null;
    }

    private string? CheckedTimeZone()
    {
        if (TimeZone is null) return null;
        try { return Metadata.RecordingTime.Zone(TimeZone).Id; }
        catch (Metadata.UnknownTimeZoneException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e, TimeZone));
            return null;
        }
    }

    private Codecs.CodecOptions CheckedCodecOptions()
    {
        try
        {
            var options = _codecParameters.Given(CodecOption);
            Codecs.RecordingCodecs.Check(Codec, options);
            return options;
        }
        catch (ZarrAudioException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e, CodecOption));
            throw; // not reached
        }
    }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == SamplesSet)
        {
            var target = Name ?? "samples";
            var samplesOptions = Options;
            Array samples;
            try { samples = PlainSamples.From(Samples); }
            catch (InvalidSamplesException e)
            {
                WriteError(ErrorRecords.From(e, Samples));
                return;
            }
            if (ShouldProcess(target, "Import recording"))
                _work.Add((target, async (a, p, ct) => [await a.ImportSamplesAsync(samples, SampleRate, samplesOptions, Name, ct).ConfigureAwait(false)]));
            return;
        }
        var literal = ParameterSetName == LiteralPathSet || InputFile is not null;
        var inputs = InputFile is not null ? [InputFile.FullName] : literal ? LiteralPath : Path;
        InputFile = null; // bound per pipeline object
        if (inputs.Length == 0)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("Give files with -Path, -LiteralPath or through the pipeline, or samples with -Samples."),
                "PathMissing", ErrorCategory.InvalidArgument, null));
        }
        var options = Options; // the same for every file of this pipeline input
        foreach (var input in inputs)
        {
            IReadOnlyList<string> paths;
            try { paths = PathResolver.Resolve(this, input, literal); }
            catch (Exception e) when (e is ItemNotFoundException or System.Management.Automation.DriveNotFoundException or ProviderNotFoundException)
            {
                WriteError(new ErrorRecord(e, "PathNotFound", ErrorCategory.ObjectNotFound, input));
                continue;
            }
            foreach (var path in paths)
            {
                if (Directory.Exists(path))
                {
                    WriteError(new ErrorRecord(new ArgumentException($"'{path}' is a folder, not a file. To import the files in it: Import-Recording -Path '{System.IO.Path.Combine(WildcardPattern.Escape(path), "*.wav")}', or Get-ChildItem -LiteralPath '{path}' -Recurse -File | Import-Recording."),
                        "PathIsFolder", ErrorCategory.InvalidArgument, path));
                    continue;
                }
                if (!File.Exists(path))
                {
                    WriteError(new ErrorRecord(new FileNotFoundException($"Cannot find file '{path}' because it does not exist.", path), "PathNotFound", ErrorCategory.ObjectNotFound, path));
                    continue;
                }
                if (ShouldProcess(path, "Import recording"))
                    _work.Add((path, SplitOnFormatChange
                        ? (a, p, ct) => a.ImportFilePartsAsync(path, options, p, ct)
                        : async (a, p, ct) => [await a.ImportFileAsync(path, options, p, ct).ConfigureAwait(false)]));
            }
        }
    }

    /// <summary>
    /// Float samples that could not be stored as they were (NaN, infinities, beyond full scale), and what was wrong with
    /// the source but stored faithfully (truncated, MD5 kept on request, metadata not kept), are never silent.
    /// </summary>
    private void WarnAboutSource(Recording recording, string target)
    {
        var t = recording.Technical;
        if (t.NonFiniteSamples > 0)
            WriteWarning($"{target}: {t.NonFiniteSamples:N0} samples were NaN or infinite, stored as 0 (NaN) and full scale (infinity); the first at frame {t.FirstNonFiniteFrame} ({TimeSpan.FromSeconds((double)t.FirstNonFiniteFrame!.Value / t.SampleRate)}). Recording {recording.Id} keeps these counts in its technical metadata.");
        // What was wrong with the source but is stored faithfully (truncated, MD5 mismatch kept, metadata not kept): Test-Recording repeats it.
        foreach (var note in recording.SourceWarnings()) WriteWarning($"{target}, recording {recording.Id}: {note}.");
        if (t.ClippedSamples > 0)
            WriteWarning($"{target}: {t.ClippedSamples:N0} samples lay outside [-1, 1] and were clipped to full scale; the first at frame {t.FirstClippedFrame} ({TimeSpan.FromSeconds((double)t.FirstClippedFrame!.Value / t.SampleRate)}). Recording {recording.Id} keeps these counts in its technical metadata.");
    }

    protected override void EndProcessing()
    {
        if (_work.Count == 0) return;
        var archive = RequireArchive();
        if (archive.Warning is { } unsafeStore) WriteWarning(unsafeStore);

        var results = new BlockingCollection<Action>();
        var done = 0;
        var overall = new ProgressRecord(1, "Import-Recording", $"0 of {_work.Count} files");
        var worker = StartWork(async cancellation =>
        {
            try
            {
                await Parallel.ForEachAsync(_work.Select((w, i) => (w, i)), new ParallelOptions { MaxDegreeOfParallelism = ThrottleLimit, CancellationToken = cancellation },
                    async (item, ct) =>
                    {
                        var (work, index) = item;
                        var last = DateTime.MinValue;
                        var progress = new SyncProgress<ImportProgress>(p =>
                        {
                            if ((DateTime.UtcNow - last).TotalMilliseconds < 250) return;
                            last = DateTime.UtcNow;
                            var percent = p.SamplesEstimated > 0 ? (int)Math.Min(100, 100 * p.SamplesDone / p.SamplesEstimated) : -1;
                            results.Add(() => WriteProgress(new ProgressRecord(2 + index, "Importing " + System.IO.Path.GetFileName(work.Target), $"{p.SamplesDone:N0} samples")
                                { ParentActivityId = 1, PercentComplete = percent }));
                        });
                        try
                        {
                            // One recording, or one per part of a source split on its format changes.
                            foreach (var recording in await work.Import(archive, progress, ct).ConfigureAwait(false))
                            {
                                results.Add(() =>
                                {
                                    WarnAboutSource(recording, work.Target);
                                    var t = recording.Technical;
                                    WriteVerbose($"Imported {work.Target} as recording {recording.Id}: {t.SampleCount:N0} samples × {t.Channels} ch at {t.SampleRate} Hz, {t.BitsPerSample}-bit, {t.StoredBytes:N0} bytes stored ({recording.Codec.Describe(t)}; {t.CodecReason}).");
                                    WriteChange(archive, new RecordingInfo(recording, archive));
                                });
                            }
                        }
                        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                        {
                            results.Add(() => WriteEngineError(e, work.Target));
                        }
                        var finished = Interlocked.Increment(ref done);
                        results.Add(() =>
                        {
                            WriteProgress(new ProgressRecord(2 + index, "Importing " + System.IO.Path.GetFileName(work.Target), "Done") { ParentActivityId = 1, RecordType = ProgressRecordType.Completed });
                            overall.StatusDescription = $"{finished} of {_work.Count} files";
                            overall.PercentComplete = 100 * finished / _work.Count;
                            WriteProgress(overall);
                        });
                    }).ConfigureAwait(false);
            }
            finally { results.CompleteAdding(); }
        });
        try
        {
            foreach (var write in results.GetConsumingEnumerable()) write();
        }
        catch
        {
            // A write threw: -ErrorAction Stop, a downstream Select-Object -First, Ctrl+C. The queued and running
            // imports stop (an import cancelled before its commit leaves nothing) before this cmdlet returns.
            StopWork();
            throw;
        }
        overall.RecordType = ProgressRecordType.Completed;
        WriteProgress(overall);
        try { worker.GetAwaiter().GetResult(); }
        catch (OperationCanceledException) { }
        FlushChanges();
    }
}
