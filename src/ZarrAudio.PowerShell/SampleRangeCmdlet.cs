using System.Management.Automation;
using ZarrAudio.Reading;

namespace ZarrAudio.PowerShell;

/// <summary>
/// Base of the cmdlets that work on a range of one recording (Read-Samples, Export-Recording): -Id, the range by
/// samples (-Start/-Count) or by time (-StartTime/-Duration), and -Channel. Id, Start and Count bind by property name,
/// so recordings and label rows pipe in. The range is checked in one place, <see cref="Archive.Recording.Resolve"/>.
/// </summary>
public abstract class SampleRangeCmdlet : ArchiveCmdlet
{
    public const string SampleSet = "Samples";
    public const string TimeSet = "Time";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [RecordingIdCompleter]
    public long Id { get; set; }

    [Parameter(ParameterSetName = SampleSet, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, long.MaxValue)]
    public long Start { get; set; }

    /// <summary>Samples per channel; default: to the end of the recording.</summary>
    [Parameter(ParameterSetName = SampleSet, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, long.MaxValue)]
    public long Count { get; set; } = -1;

    // Time parameters do not bind from the pipeline: a recording's own Duration would pull it into this set.
    [Parameter(Mandatory = true, ParameterSetName = TimeSet)]
    public TimeSpan StartTime { get; set; }

    [Parameter(ParameterSetName = TimeSet)]
    public TimeSpan? Duration { get; set; }

    /// <summary>0-based channels, in output order; default all.</summary>
    [Parameter]
    public int[]? Channel { get; set; }

    /// <summary>The range this record asks for (-Count's default, -1, means to the end).</summary>
    protected RangeRequest Range => ParameterSetName == TimeSet
        ? RangeRequest.Time(StartTime, Duration)
        : RangeRequest.Samples(Start, Count < 0 ? null : Count);
}
