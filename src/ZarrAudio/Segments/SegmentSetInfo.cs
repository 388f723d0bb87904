namespace ZarrAudio.Segments;

/// <summary>What a segment set is, without its rows: counts, label histograms and its own metadata.</summary>
public sealed record SegmentSetInfo
{
    public required string Name { get; init; }
    public long Rows { get; init; }
    /// <summary>Distinct recordings the rows refer to.</summary>
    public int Recordings { get; init; }
    /// <summary>The rows' total length in seconds.</summary>
    public double Seconds { get; init; }
    public string? Description { get; init; }
    public DateTimeOffset Created { get; init; }
    public DateTimeOffset Updated { get; init; }
    /// <summary>Who or what made the set (user and host, or the tool the user names).</summary>
    public string? CreatedBy { get; init; }
    /// <summary>The files the rows came from (label tables), as the user gave them.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];
    public IReadOnlyList<string> Labels { get; init; } = [];
    /// <summary>Per text label column: how many rows hold each value.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> Histograms { get; init; } = new Dictionary<string, IReadOnlyDictionary<string, long>>();
}

/// <summary>What a new set says about itself.</summary>
public sealed record SegmentSetDescription(string? Description = null, string? CreatedBy = null, IReadOnlyList<string>? Sources = null);
