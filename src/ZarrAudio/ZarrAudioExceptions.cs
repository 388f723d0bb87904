namespace ZarrAudio;

/// <summary>Base of every error the engine raises on purpose.</summary>
public class ZarrAudioException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>No recording with that id in the archive (or it is not committed yet).</summary>
public sealed class RecordingNotFoundException(long id, string archive, string? detail = null, Exception? inner = null)
    : ZarrAudioException($"Recording {id} does not exist in archive {archive}{detail}.", inner)
{
    public long Id { get; } = id;
}

/// <summary>The source file is already in the archive (same SHA-256).</summary>
public sealed class DuplicateRecordingException(string path, string sha256, long existingId)
    : ZarrAudioException($"'{path}' is already in the archive as recording {existingId} (SHA-256 {sha256}). Use -Force to import it again.")
{
    public string Sha256 { get; } = sha256;
    public long ExistingId { get; } = existingId;
}

/// <summary>
/// The source's hash is claimed by an import still under way (its importer alive, its lease not run out): the source is
/// not in the archive yet, and may never be if that import fails. Nothing was stored; import it again once that one ends.
/// </summary>
public sealed class SourceBeingImportedException(string path, string sha256, long holderId, string holder, DateTimeOffset? leaseUntil)
    : ZarrAudioException($"'{path}' is being imported as recording {holderId} by {holder} (SHA-256 {sha256}); it is not in the archive yet. " +
        "Nothing was stored. Import it again when that import has ended: it is then a duplicate, or, if that import died, " +
        $"its claim is taken over{(leaseUntil is { } until ? $" (its lease runs out at {until:u} unless renewed)" : "")}.")
{
    public string Sha256 { get; } = sha256;
    public long HolderId { get; } = holderId;
}

/// <summary>A requested sample range or channel lies outside the recording.</summary>
public sealed class SampleRangeException(string message) : ZarrAudioException(message);

/// <summary>A source ffmpeg cannot decode, without audio, or outside what the codec can store.</summary>
public sealed class UnsupportedSourceException(string message, Exception? inner = null) : ZarrAudioException(message, inner);

/// <summary>
/// A source whose format (rate, channels, bit depth) changes inside one stream: stored as one recording it would
/// have to be resampled or remixed, which the archive never does to a source. Nothing was stored.
/// </summary>
public sealed class SourceFormatChangedException(string path, long atSample, int sampleRate, string before, string after, bool canSplit)
    : ZarrAudioException($"'{path}' changes format at sample {atSample:N0} ({TimeSpan.FromSeconds((double)atSample / Math.Max(1, sampleRate))}): from {before} to {after}. " +
        "Nothing was stored: the archive never resamples or remixes a source to make it one recording. " +
        (canSplit ? "Import each part as its own recording with -SplitOnFormatChange."
            : "This source is decoded by ffmpeg, which cannot hand its parts over unconverted: cut it into constant parts with a tool that copies its packets, and import those."))
{
    public string Path { get; } = path;
    public long AtSample { get; } = atSample;
    public string Before { get; } = before;
    public string After { get; } = after;
    /// <summary>True for FLAC sources, whose parts -SplitOnFormatChange imports as recordings of their own.</summary>
    public bool CanSplit { get; } = canSplit;
}

/// <summary>A source whose samples do not match the MD5 its own header holds (FLAC STREAMINFO): decoded wrong, or damaged.</summary>
public sealed class SourceChecksumException(string path, string declared, string decoded)
    : ZarrAudioException($"'{path}' decodes to samples whose MD5 ({decoded}) is not the one its STREAMINFO holds ({declared}): the file is damaged, or was written wrong. " +
        "Nothing was stored. To keep the samples as they decode, with both MD5s recorded, import it with -IgnoreSourceChecksum.")
{
    public string Declared { get; } = declared;
    public string Decoded { get; } = decoded;
}

/// <summary>A sample array given to import that cannot be taken as it is: its shape, element type, or values.</summary>
public sealed class InvalidSamplesException(string message) : ZarrAudioException(message);

/// <summary>Stored audio that fails to decode or verify (frame CRC, MD5, missing data).</summary>
public sealed class CorruptRecordingException(string message, Exception? inner = null) : ZarrAudioException(message, inner)
{
    /// <summary>The damaged recording, when known.</summary>
    public long? RecordingId { get; init; }
}

/// <summary>The mount point is not a ZarrAudio archive, or has a layout this version cannot read.</summary>
public sealed class ArchiveFormatException(string message, Exception? inner = null) : ZarrAudioException(message, inner);

/// <summary>An encoder or decoder reported a failure.</summary>
public sealed class CodecException(string message, Exception? inner = null) : ZarrAudioException(message, inner);

/// <summary>ffmpeg has no muxer for the requested export format or file extension.</summary>
public sealed class UnsupportedExportFormatException(string message, Exception? inner = null) : ZarrAudioException(message, inner);

/// <summary>The export target exists and overwriting was not asked for.</summary>
public sealed class ExportTargetExistsException(string path)
    : ZarrAudioException($"'{path}' already exists and is kept; export to another name, or allow replacing it.")
{
    public string Path { get; } = path;
}

/// <summary>ffmpeg failed while encoding an export.</summary>
public sealed class ExportFailedException(string message, Exception? inner = null) : ZarrAudioException(message, inner);

/// <summary>The archive was dismounted; mount it again to use it.</summary>
public sealed class ArchiveDismountedException(string location)
    : ZarrAudioException($"Archive {location} was dismounted; mount it again with Mount-ZarrAudio.")
{
    public string Location { get; } = location;
}

/// <summary>Another writer holds what this change needs for longer than it should (a lock, a zip file).</summary>
public sealed class ArchiveBusyException(string message) : ZarrAudioException(message);

/// <summary>User metadata that cannot be stored: a cycle, too deep, or a value that is not data. Names the key.</summary>
public sealed class InvalidMetadataException(string message, string key) : ZarrAudioException(message)
{
    public string Key { get; } = key;
}

/// <summary>A page of the archive's catalog that cannot be read; the recordings themselves are intact.</summary>
public sealed class CatalogDamagedException(string message) : ZarrAudioException(message);

/// <summary>
/// An archive mounted for writing on a server that does not refuse a second exclusive create of a key: concurrent
/// writers could silently overwrite each other's ids and claims.
/// </summary>
public sealed class UnsafeStoreException(string message) : ZarrAudioException(message);
