using System.Collections;
using ZarrAudio.Archive;

namespace ZarrAudio.PowerShell;

/// <summary>
/// What Get-RecordingMeta emits: technical fields as flat typed properties, file and user metadata as
/// hashtables (so Where-Object filters on them). A recording piped into Read-Samples or Export-Recording binds
/// Id (and Start = 0), so all of it is read. It has no Count property: that would shadow PowerShell's
/// (...).Count, which must say 1 when one recording matches.
/// </summary>
public sealed class RecordingInfo
{
    internal RecordingInfo(Recording recording, AudioArchive archive)
    {
        var t = recording.Technical;
        var s = recording.Metadata.Source;
        Archive = archive;
        Id = recording.Id;
        SampleRate = t.SampleRate;
        Channels = t.Channels;
        BitsPerSample = t.BitsPerSample;
        SampleFormat = t.SampleFormat;
        SampleCount = t.SampleCount;
        Duration = t.Duration;
        Codec = t.Codec;
        CodecReason = t.CodecReason;
        CodecSettings = recording.Codec.Describe(t);
        QuantisedFromFloat = t.QuantisedFromFloat;
        NonFiniteSamples = t.NonFiniteSamples ?? 0;
        DeclaredSampleCount = t.DeclaredSampleCount;
        ClippedSamples = t.ClippedSamples ?? 0;
        SourceCodec = t.SourceCodec;
        SourceContainer = t.SourceContainer;
        SourceSampleFormat = t.SourceSampleFormat;
        RecordedAt = t.RecordedAt;
        RecordedAtLocal = Metadata.RecordingTime.Local(t);
        TimeZone = t.TimeZone;
        Latitude = t.Latitude;
        Longitude = t.Longitude;
        Device = t.Device;
        ImportedAt = t.ImportedAt.UtcDateTime;
        StoredBytes = t.StoredBytes;
        SourceName = s.FileName;
        SourcePath = s.FullPath;
        SourceSize = s.Size;
        SourceModifiedAt = s.ModifiedAt?.UtcDateTime;
        SourceSha256 = s.Sha256;
        _metadata = recording.Metadata;
    }

    public long Id { get; }
    public int SampleRate { get; }
    public int Channels { get; }
    public int BitsPerSample { get; }
    public string SampleFormat { get; }
    public long SampleCount { get; }
    public TimeSpan Duration { get; }
    /// <summary>The duration in seconds: a number that Measure-Object -Sum, Sort-Object and Export-Csv handle directly.</summary>
    public double DurationSeconds => Duration.TotalSeconds;
    /// <summary>flac or pcm (see Import-Recording -Codec).</summary>
    public string Codec { get; }
    /// <summary>Why that codec: Auto's reason (e.g. float samples kept exactly), or "requested".</summary>
    public string? CodecReason { get; }
    /// <summary>The codec's settings for this recording, as its codec states them ("flac level 5, blocksize 4096", "aac 256,000 bit/s").</summary>
    public string CodecSettings { get; }
    public bool QuantisedFromFloat { get; }
    /// <summary>A truncated source: the samples per channel its header declared (SampleCount is what it held). Null otherwise.</summary>
    public long? DeclaredSampleCount { get; }
    /// <summary>Float sources: samples that were NaN or infinite (stored as 0 / full scale).</summary>
    public long NonFiniteSamples { get; }
    /// <summary>Float sources: samples outside [-1, 1], clipped to full scale.</summary>
    public long ClippedSamples { get; }
    public string? SourceCodec { get; }
    public string? SourceContainer { get; }
    /// <summary>The source's own samples (e.g. float32, int24) where they differ from what is stored.</summary>
    public string? SourceSampleFormat { get; }
    public DateTime? RecordedAt { get; }
    /// <summary>
    /// The start as the recorder's clock showed it, with its offset from UTC (stated by the file, or from -TimeZone); null
    /// when the offset is unknown (then RecordedAt is that clock's time, of kind Unspecified, not UTC). "Night
    /// recordings" are RecordedAtLocal.Hour -ge 20.
    /// </summary>
    public DateTimeOffset? RecordedAtLocal { get; }
    /// <summary>The IANA time zone named for the recorder's clock, if any.</summary>
    public string? TimeZone { get; }
    public double? Latitude { get; }
    public double? Longitude { get; }
    public string? Device { get; }
    public DateTime ImportedAt { get; }
    public long StoredBytes { get; }
    public string? SourceName { get; }
    public string? SourcePath { get; }
    public long? SourceSize { get; }
    public DateTime? SourceModifiedAt { get; }
    public string? SourceSha256 { get; }
    // Converted on first use: a filter over thousands of recordings usually reads .User, rarely the large .File.
    private readonly ZarrAudio.Metadata.RecordingMetadata _metadata;
    private Hashtable? _file, _user;
    public Hashtable File => _file ??= _metadata.FileValues();
    public Hashtable User => _user ??= _metadata.UserValues();
    /// <summary>First sample for Read-Samples and Export-Recording: 0, the whole recording.</summary>
    public long Start => 0;
    public AudioArchive Archive { get; }

    public override string ToString() => $"Recording {Id}: {SourceName} {Duration} {SampleRate} Hz {Channels} ch";
}
