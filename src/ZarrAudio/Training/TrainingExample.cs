using ZarrAudio.Segments;
using ZarrAudio.Training.Augmentation;

namespace ZarrAudio.Training;

/// <summary>
/// What one example of a batch is: the row it was read from, the source samples its crop took, the padding added
/// (in output samples) when the row was shorter, and every augmentation applied with its parameters and the rows it
/// mixed in, so a batch can be reproduced and audited.
/// </summary>
public sealed record TrainingExample
{
    public required Segment Row { get; init; }
    /// <summary>The row's key in draws: its segment id in a set, else its place in the input.</summary>
    public long Key { get; init; }
    public long Epoch { get; init; }
    /// <summary>The source samples read: [CropStart, CropStart + CropCount) of recording Row.Id.</summary>
    public long CropStart { get; init; }
    public long CropCount { get; init; }
    public long PadBefore { get; init; }
    public long PadAfter { get; init; }
    public IReadOnlyList<AppliedAugmentation> Applied { get; init; } = [];
    /// <summary>Labelled rows mixed in; their labels count as this example's too.</summary>
    public IReadOnlyList<Segment> Mixed { get; init; } = [];

    /// <summary>The row's labels, then those of the rows mixed in.</summary>
    public IEnumerable<IReadOnlyDictionary<string, object?>> AllLabels => Mixed.Select(m => m.Labels).Prepend(Row.Labels);
}
