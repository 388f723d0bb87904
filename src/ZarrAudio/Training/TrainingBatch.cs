namespace ZarrAudio.Training;

/// <summary>What happens to an epoch's last batch when the rows do not fill it.</summary>
public enum LastBatch
{
    /// <summary>A shorter batch (PyTorch's default).</summary>
    Keep,
    /// <summary>A full-size batch, the missing examples zeros; <see cref="TrainingBatch.Count"/> says how many are real.</summary>
    Pad,
    /// <summary>Left out (drop_last).</summary>
    Drop,
}

/// <summary>How batches are formed: their size, the epochs, shuffling by seed, the last batch, and the work on all cores.</summary>
public sealed record BatchOptions
{
    public int BatchSize { get; init; } = 32;
    public int Epochs { get; init; } = 1;
    /// <summary>The first epoch's number (to go on where a run stopped: its draws are those of that epoch).</summary>
    public long FirstEpoch { get; init; }
    /// <summary>Rows in a new order each epoch, drawn from (seed, epoch).</summary>
    public bool Shuffle { get; init; } = true;
    public LastBatch Last { get; init; } = LastBatch.Keep;
    /// <summary>Examples read at once.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;
    /// <summary>Batches read ahead of the consumer: memory is (Prefetch + 1) batches, whatever the number of rows.</summary>
    public int Prefetch { get; init; } = 2;

    public void Validate()
    {
        if (BatchSize is < 1 or > 65536) throw new InvalidTrainingOptionException("BatchSize", $"{BatchSize} examples per batch: give 1 to 65536.");
        if (Epochs is < 1 or > 1_000_000) throw new InvalidTrainingOptionException("Epochs", $"{Epochs} epochs: give 1 to 1,000,000.");
        if (FirstEpoch < 0) throw new InvalidTrainingOptionException("FirstEpoch", "epochs are numbered from 0.");
        if (Workers is < 1 or > 256) throw new InvalidTrainingOptionException("Workers", $"{Workers} workers: give 1 to 256.");
        if (Prefetch is < 1 or > 64) throw new InvalidTrainingOptionException("Prefetch", $"{Prefetch} batches ahead: give 1 to 64.");
    }
}

/// <summary>
/// A batch: float32 samples [example, channel, frame] in one flat array (numpy's C order), and what each example is.
/// A caller may keep one batch and have the reader fill it again and again (<see cref="BatchReader.ReadNextAsync"/>):
/// its arrays are exchanged with the reader's, so its contents hold until the next call.
/// </summary>
public sealed class TrainingBatch
{
    public TrainingBatch(int capacity, int channels, int frames, int sampleRate, BatchLabels? labels = null)
    {
        (Capacity, Channels, Frames, SampleRate, Labels) = (capacity, channels, frames, sampleRate, labels ?? BatchLabels.From([]));
        Samples = new float[checked(capacity * channels * frames)];
        Examples = new TrainingExample[capacity];
    }

    /// <summary>The samples; a reader may give a reused batch other arrays of the same size (see <see cref="BatchReader.ReadNextAsync"/>).</summary>
    public float[] Samples { get; private set; }
    /// <summary>How the rows' labels are encoded (the same for every batch of a reader).</summary>
    public BatchLabels Labels { get; }
    public int Capacity { get; }
    public int Channels { get; }
    public int Frames { get; }
    public int SampleRate { get; }
    /// <summary>Examples that hold rows (the rest of a padded batch is zeros).</summary>
    public int Count { get; internal set; }
    /// <summary>The first dimension: Count for a kept short batch, Capacity for a padded one.</summary>
    public int Rows { get; internal set; }
    public long Epoch { get; internal set; }
    /// <summary>The batch's place in its epoch, from 0.</summary>
    public long Index { get; internal set; }
    /// <summary>The first <see cref="Count"/> entries describe the examples.</summary>
    public TrainingExample[] Examples { get; private set; }

    public int[] Shape => [Rows, Channels, Frames];
    public float this[int example, int channel, int frame] => Samples[((long)example * Channels + channel) * Frames + frame];
    public ReadOnlySpan<float> Example(int example) => Samples.AsSpan(example * Channels * Frames, Channels * Frames);

    /// <summary>
    /// Hands this batch's contents to <paramref name="into"/> by exchanging their arrays (no copy, no allocation): the
    /// slot goes on with the arrays <paramref name="into"/> held, which are refilled for a later batch.
    /// </summary>
    internal void MoveTo(TrainingBatch into)
    {
        if (into.Capacity != Capacity || into.Channels != Channels || into.Frames != Frames)
            throw new ArgumentException($"The batch buffer holds [{into.Capacity}, {into.Channels}, {into.Frames}]; this reader's batches are [{Capacity}, {Channels}, {Frames}]: make it with CreateBatch.", nameof(into));
        (into.Samples, Samples) = (Samples, into.Samples);
        (into.Examples, Examples) = (Examples, into.Examples);
        (into.Count, into.Rows, into.Epoch, into.Index) = (Count, Rows, Epoch, Index);
    }

    public override string ToString() => $"Batch {Index} of epoch {Epoch}: [{Rows}, {Channels}, {Frames}] at {SampleRate} Hz, {Count} examples";
}
