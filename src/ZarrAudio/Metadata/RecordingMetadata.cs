using System.Text.Json.Nodes;

namespace ZarrAudio.Metadata;

/// <summary>Everything known about one recording: technical data, source link, file metadata and user metadata.</summary>
public sealed class RecordingMetadata
{
    public required TechnicalMetadata Technical { get; init; }
    public required SourceLink Source { get; init; }
    /// <summary>ffprobe's report (format, streams, chapters) plus GUANO, bext, RIFF INFO and AudioMoth fields.</summary>
    public required JsonObject File { get; init; }
    /// <summary>Free-form user metadata: any JSON-compatible values.</summary>
    public required JsonObject User { get; init; }

    /// <summary><see cref="File"/> as plain values: a case-insensitive Hashtable of Hashtables, arrays and scalars.</summary>
    public System.Collections.Hashtable FileValues() => MetadataValues.ToHashtable(File);

    /// <summary><see cref="User"/> as plain values.</summary>
    public System.Collections.Hashtable UserValues() => MetadataValues.ToHashtable(User);

    internal JsonObject ToAttributes() => new()
    {
        [Archive.ArchiveLayout.MarkerKey] = new JsonObject { ["kind"] = "recording", ["layout"] = Archive.ArchiveLayout.Version },
        ["technical"] = MetadataJson.ToObject(Technical),
        ["source"] = MetadataJson.ToObject(Source),
        ["file"] = File.DeepClone(),
        ["user"] = User.DeepClone(),
    };

    internal static RecordingMetadata FromAttributes(JsonObject attributes) => new()
    {
        Technical = MetadataJson.FromObject<TechnicalMetadata>(attributes["technical"]),
        Source = MetadataJson.FromObject<SourceLink>(attributes["source"]),
        File = attributes["file"] as JsonObject ?? new JsonObject(),
        User = attributes["user"] as JsonObject ?? new JsonObject(),
    };
}
