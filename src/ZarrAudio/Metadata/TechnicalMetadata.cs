using System.Text.Json.Serialization;

namespace ZarrAudio.Metadata;

/// <summary>The fixed technical description of a recording, stored under attributes.technical.</summary>
public sealed class TechnicalMetadata
{
    public long Id { get; set; }
    public int SampleRate { get; set; }
    public int Channels { get; set; }
    public int BitsPerSample { get; set; }
    /// <summary>"int" or "float": the sample format of the source.</summary>
    public string SampleFormat { get; set; } = "int";
    public long SampleCount { get; set; }
    public double DurationSeconds { get; set; }
    /// <summary>The codec's name; a recording of layout 1 has none and is FLAC, the only codec then.</summary>
    public string Codec { get; set; } = "flac";
    /// <summary>Why this codec was chosen (Auto's reason, or "requested").</summary>
    public string? CodecReason { get; set; }
    /// <summary>
    /// Coded streams: FLAC keeps up to 8 channels a stream, AAC up to 2; 1 for PCM. A codec's own settings live under
    /// technical.{codec} (<see cref="Extension"/>); this count stays here because every version's readers need it.
    /// </summary>
    public int StreamCount { get; set; } = 1;
    public string? SourceCodec { get; set; }
    public string? SourceContainer { get; set; }
    public string? SourceSampleFormat { get; set; }
    public int? SourceStreamIndex { get; set; }
    /// <summary>True when float samples were rounded to integers because the codec stores integers (FLAC: 24 bits).</summary>
    public bool QuantisedFromFloat { get; set; }
    /// <summary>Float sources: NaN or infinite samples (stored as 0 and full scale), and the first frame holding one.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public long? NonFiniteSamples { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public long? FirstNonFiniteFrame { get; set; }
    /// <summary>Float sources: finite samples outside [-1, 1] (stored at full scale), and the first frame holding one.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public long? ClippedSamples { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public long? FirstClippedFrame { get; set; }
    /// <summary>
    /// Set when the source's header declared more samples per channel than the file held (a truncated file): what it
    /// declared. SampleCount is what was there and was stored.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public long? DeclaredSampleCount { get; set; }
    /// <summary>The MD5 of the samples the source's own header holds (FLAC STREAMINFO), checked against the decode.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? SourceMd5 { get; set; }
    /// <summary>Set only when the decoded samples' MD5 differed from <see cref="SourceMd5"/> and the import was told to keep them.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? SourceMd5Decoded { get; set; }
    public DateTimeOffset ImportedAt { get; set; }
    public string Importer { get; set; } = "";
    public long StoredBytes { get; set; }
    /// <summary>When the recording started, from GUANO, AudioMoth, BWF or container tags.</summary>
    public DateTime? RecordedAt { get; set; }
    /// <summary>The recorder's wall-clock start as the source gave it (no offset); see <see cref="RecordingTime"/>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? RecordedAtLocal { get; set; }
    /// <summary>The offset from UTC of that wall clock: stated by the source, or from <see cref="TimeZone"/>; null when unknown.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? UtcOffsetMinutes { get; set; }
    /// <summary>The IANA time zone the user said the recorder's clock ran in.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? TimeZone { get; set; }
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
    public string? Device { get; set; }
    /// <summary>MD5 of the stored samples: FLAC's signature of each stream; PCM's of its little-endian array bytes.</summary>
    public string[] Md5 { get; set; } = [];

    /// <summary>Fields this class does not name: each codec's own parameters (e.g. pcm = {data_type, ...}), kept as stored.</summary>
    [JsonExtensionData] public Dictionary<string, System.Text.Json.JsonElement>? Extensions { get; set; }

    /// <summary>Sets a codec's own field (e.g. "pcm").</summary>
    public void SetExtension(string name, System.Text.Json.Nodes.JsonNode value) =>
        (Extensions ??= [])[name] = System.Text.Json.JsonSerializer.SerializeToElement(value);

    /// <summary>A codec's own field, or null.</summary>
    public System.Text.Json.Nodes.JsonNode? Extension(string name) =>
        Extensions?.TryGetValue(name, out var value) == true ? System.Text.Json.Nodes.JsonNode.Parse(value.GetRawText()) : null;

    [JsonIgnore] public TimeSpan Duration => TimeSpan.FromSeconds(DurationSeconds);
}

/// <summary>The file a recording came from.</summary>
public sealed class SourceLink
{
    public string? FileName { get; set; }
    public string? FullPath { get; set; }
    public long? Size { get; set; }
    public DateTimeOffset? ModifiedAt { get; set; }
    public string? Sha256 { get; set; }
}
