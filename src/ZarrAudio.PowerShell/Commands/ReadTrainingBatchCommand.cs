using System.Management.Automation;
using ZarrAudio.Reading;
using ZarrAudio.Reading.Resampling;
using ZarrAudio.Segments;
using ZarrAudio.Training;
using ZarrAudio.Training.Augmentation;

namespace ZarrAudio.PowerShell.Commands;

/// <summary>
/// Reads batches for training: rows (piped, or a segment set) cropped to -Length, resampled and augmented, shuffled
/// per epoch by -Seed, read on all cores a few batches ahead. Each batch holds float32 samples [example, channel,
/// frame] and what each example is; Export-TrainingBatch writes them as .npy files for Python.
/// </summary>
[Cmdlet(VerbsCommunications.Read, "TrainingBatch", DefaultParameterSetName = "Rows")]
[OutputType(typeof(TrainingBatch))]
public sealed class ReadTrainingBatchCommand : ArchiveCmdlet
{
    /// <summary>Rows: objects with Id and Start/Count or StartTime/Duration, labels as other properties.</summary>
    [Parameter(ValueFromPipeline = true, ParameterSetName = "Rows")]
    public PSObject? InputObject { get; set; }

    /// <summary>Read a segment set's rows (their segment ids key the draws, so a row's examples do not depend on row order).</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Set")]
    public string? SegmentSet { get; set; }

    /// <summary>Only the rows of these splits (Split-SegmentSet's column).</summary>
    [Parameter(ParameterSetName = "Set")]
    public string[]? Split { get; set; }

    /// <summary>Seconds per example: longer rows are cropped (-Crop), shorter ones padded (-Pad).</summary>
    [Parameter(Mandatory = true)]
    [ValidateRange(1e-6, ExampleShape.MaxLength)]
    public double Length { get; set; }

    [Parameter]
    [ValidateRange(1, SampleResampler.MaxRate)]
    public int? SampleRate { get; set; }

    [Parameter]
    public ResampleQuality ResampleQuality { get; set; } = ResampleQuality.High;

    [Parameter]
    public SwitchParameter Mono { get; set; }

    [Parameter]
    public int[]? Channel { get; set; }

    [Parameter]
    public CropMode Crop { get; set; } = CropMode.Random;

    [Parameter]
    public PadMode Pad { get; set; } = PadMode.Zero;

    [Parameter]
    public long Seed { get; set; }

    /// <summary>Steps from New-Augmentation, applied in order.</summary>
    [Parameter]
    public AugmentationStep[]? Augmentation { get; set; }

    [Parameter]
    [ValidateRange(1, 65536)]
    public int BatchSize { get; set; } = 32;

    [Parameter]
    [ValidateRange(1, 1_000_000)]
    public int Epochs { get; set; } = 1;

    /// <summary>The first epoch's number: a run that stopped goes on with the same draws.</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long FirstEpoch { get; set; }

    [Parameter]
    public SwitchParameter NoShuffle { get; set; }

    [Parameter]
    public LastBatch LastBatch { get; set; } = LastBatch.Keep;

    /// <summary>Examples read at once; default: the processor count.</summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = Environment.ProcessorCount;

    /// <summary>Batches read ahead of the pipeline.</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int Prefetch { get; set; } = 2;

    private readonly List<SegmentInput> _rows = [];

    protected override void ProcessRecord()
    {
        if (InputObject is null) return;
        try { _rows.Add(SegmentRows.FromObject(InputObject, $"input row {_rows.Count + 1}", null)); }
        catch (InvalidSegmentException e) { ThrowTerminatingError(ErrorRecords.From(e, InputObject)); }
    }

    protected override void EndProcessing()
    {
        var archive = RequireArchive();
        var shape = new ExampleShape
        {
            Length = Length, SampleRate = SampleRate, Quality = ResampleQuality, Mono = Mono, Channels = Channel, Crop = Crop, Pad = Pad,
            Seed = Seed, Augmentations = Augmentation ?? [],
        };
        var options = new BatchOptions
        {
            BatchSize = BatchSize, Epochs = Epochs, FirstEpoch = FirstEpoch, Shuffle = !NoShuffle, Last = LastBatch, Workers = ThrottleLimit, Prefetch = Prefetch,
        };
        BatchReader? reader = null;
        try
        {
            reader = Run(async ct => await BatchReader.OpenAsync(archive, await RowsAsync(archive, ct).ConfigureAwait(false), shape, options, ct).ConfigureAwait(false));
            WriteVerbose($"{reader.TotalBatches} batch(es) of [{BatchSize}, {reader.Channels}, {reader.Frames}] at {reader.SampleRate} Hz, {reader.BatchesPerEpoch} per epoch.");
            var progress = new ProgressRecord(1, "Read-TrainingBatch", "Reading batches");
            for (long n = 0; ; n++)
            {
                var batch = reader.CreateBatch();
                if (!Run(ct => reader.ReadNextAsync(batch, ct).AsTask())) break;
                progress.PercentComplete = (int)(100 * (n + 1) / reader.TotalBatches);
                progress.StatusDescription = $"Epoch {batch.Epoch}, batch {batch.Index + 1} of {reader.BatchesPerEpoch}";
                WriteProgress(progress);
                WriteObject(batch);
            }
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
        }
        catch (Exception e) when (ErrorRecords.IsExpected(e))
        {
            ThrowTerminatingError(ErrorRecords.From(e, SegmentSet));
        }
        finally
        {
            // However the pipeline ends (done, Select-Object -First, Ctrl+C), the reads ahead stop before the cmdlet returns.
            reader?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private async Task<IReadOnlyList<Segment>> RowsAsync(Archive.AudioArchive archive, CancellationToken ct)
    {
        if (SegmentSet is null) return await archive.PinSegmentsAsync(SegmentRows.NumbersFromText(_rows), ct).ConfigureAwait(false);
        var rows = await archive.GetSegmentsAsync(SegmentSet, checkPins: true, ct).ConfigureAwait(false);
        return Split is null ? rows : SegmentSplit.Only(rows, Split);
    }
}
