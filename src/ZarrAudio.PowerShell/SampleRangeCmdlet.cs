using System.Globalization;
using System.Management.Automation;
using ZarrAudio.Archive;
using ZarrAudio.Reading;
using ZarrAudio.Segments;

namespace ZarrAudio.PowerShell;

/// <summary>
/// Base of the cmdlets that work on a range of one recording (Read-Samples, Export-Recording): -Id, the range by
/// samples (-Start/-Count) or by time (-StartTime/-Duration, seconds or a TimeSpan), and -Channel. All of them bind by
/// property name, so recordings, label rows (Import-Csv) and segment rows pipe in; a row's other columns
/// (<see cref="RowColumns"/>) go along to the output. A row from a segment set carries its recording's fingerprint,
/// checked before anything is read. The range is checked in one place, <see cref="Recording.Resolve"/>.
/// </summary>
public abstract class SampleRangeCmdlet : ArchiveCmdlet
{
    public const string SampleSet = "Samples";
    public const string TimeSet = "Time";

    // Not mandatory: a mandatory pipeline parameter makes PowerShell settle on the default parameter set before it
    // looks at the row's StartTime and Duration (a time row would then read the whole recording). Checked in RecordingId.
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [RecordingIdCompleter]
    public long? Id { get; set; }

    [Parameter(ParameterSetName = SampleSet, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, long.MaxValue)]
    public long Start { get; set; }

    /// <summary>Samples per channel; default: to the end of the recording.</summary>
    [Parameter(ParameterSetName = SampleSet, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, long.MaxValue)]
    public long Count { get; set; } = -1;

    /// <summary>Seconds (1.5) or a TimeSpan ('00:01:30'); typed object so that text from Import-Csv binds here, not to the default set.</summary>
    [Parameter(ParameterSetName = TimeSet, ValueFromPipelineByPropertyName = true)]
    public object? StartTime { get; set; }

    /// <summary>Seconds or a TimeSpan; default: to the end of the recording.</summary>
    [Parameter(ParameterSetName = TimeSet, ValueFromPipelineByPropertyName = true)]
    public object? Duration { get; set; }

    /// <summary>0-based channels, in output order; default all.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public int[]? Channel { get; set; }

    /// <summary>The recording's fingerprint a segment row was pinned to; a recording that no longer matches is not read.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
    public string? Fingerprint { get; set; }

    /// <summary>The row itself, for the columns it carries beyond the range.</summary>
    [Parameter(ValueFromPipeline = true, DontShow = true)]
    public PSObject? InputObject { get; set; }

    private static readonly HashSet<string> RangeNames = new(StringComparer.OrdinalIgnoreCase)
        { "Id", "Start", "Count", "StartTime", "Duration", "Channel", "Fingerprint", "Archive" };

    /// <summary>The recording this record is about, or a terminating MissingRecordingId error.</summary>
    protected long RecordingId
    {
        get
        {
            if (Id is { } id) return id;
            ThrowTerminatingError(new ErrorRecord(new PSArgumentException("Give the recording's -Id, or pipe in recordings or rows with an Id property."),
                "MissingRecordingId", ErrorCategory.InvalidArgument, InputObject));
            return 0;
        }
    }

    /// <summary>The range this record asks for (-Count's default, -1, means to the end).</summary>
    protected RangeRequest Range => ParameterSetName == TimeSet && (StartTime ?? Duration) is not null
        ? RangeRequest.Time(Seconds(StartTime, "StartTime") ?? TimeSpan.Zero, Seconds(Duration, "Duration"))
        : RangeRequest.Samples(Start, Count < 0 ? null : Count);

    /// <summary>The recording, checked against the fingerprint a segment row carries.</summary>
    protected async Task<Recording> RecordingAsync(AudioArchive archive, long id, string? fingerprint, CancellationToken ct)
    {
        var recording = await archive.GetRecordingAsync(id, ct, refresh: fingerprint is not null).ConfigureAwait(false);
        if (fingerprint is not null && !RecordingFingerprint.Of(recording.Metadata).Equals(fingerprint, StringComparison.OrdinalIgnoreCase))
            throw new SegmentStaleException($"Recording {id} holds other audio than the row was pinned to (fingerprint {fingerprint}): it was removed and replaced, or the row is from another archive. Nothing was read.", []);
        return recording;
    }

    /// <summary>The input row's columns beyond the range (labels, scores, …), in its order; empty for recordings and ids.</summary>
    protected IReadOnlyList<KeyValuePair<string, object?>> RowColumns()
    {
        if (InputObject is null || InputObject.BaseObject is RecordingInfo or ValueType or string) return [];
        return InputObject.Properties.Where(p => p.MemberType == PSMemberTypes.NoteProperty && !RangeNames.Contains(p.Name))
            .Select(p => KeyValuePair.Create(p.Name, (object?)p.Value)).ToList();
    }

    private TimeSpan? Seconds(object? value, string name)
    {
        var v = value is PSObject pso ? pso.BaseObject : value;
        switch (v)
        {
            case null: return null;
            case TimeSpan t: return t;
            case string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d): return FromSeconds(d, name);
            case string s when TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out var t): return t;
            case IConvertible c when v is not string and not bool and not DateTime: return FromSeconds(c.ToDouble(CultureInfo.InvariantCulture), name);
        }
        ThrowTerminatingError(new ErrorRecord(new PSArgumentException($"-{name} '{value}' is neither seconds (1.5) nor a time span ('00:01:30')."),
            "InvalidTime", ErrorCategory.InvalidArgument, value));
        return null;
    }

    private TimeSpan FromSeconds(double seconds, string name)
    {
        if (double.IsFinite(seconds) && seconds >= 0 && seconds < TimeSpan.MaxValue.TotalSeconds) return TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
        ThrowTerminatingError(new ErrorRecord(new PSArgumentException($"-{name} {seconds.ToString(CultureInfo.InvariantCulture)} s is not a time in a recording: it must be 0 or more."),
            "InvalidTime", ErrorCategory.InvalidArgument, seconds));
        return default;
    }
}
