using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ZarrAudio.Codecs;
using ZarrAudio.Import;
using ZarrAudio.Import.Flac;
using ZarrAudio.Metadata;
using ZarrAudio.Zarr;

namespace ZarrAudio.Archive;

/// <summary>
/// The import pipeline: a source (a file ffmpeg or the WAV reader decodes, or sample arrays) → its probe and metadata →
/// the codec's choice → an id claimed (and the source's hash, unless forced) → samples pumped from the decoder into the
/// codec's encoder → the recording committed by writing its group's zarr.json last. Whatever fails before the commit
/// is discarded, and the id keeps a marked claim so it is never handed out again.
/// </summary>
internal sealed partial class RecordingImport(ArchiveStore place, RecordingClaims claims, CatalogUpdates catalog, RecordingCache recordings)
{
    public static string Importer { get; } = "ZarrAudio " + typeof(AudioArchive).Assembly.GetName().Version?.ToString(3);

    /// <summary>Feeds a source's samples, in the stored format, to an encoder; reports samples written so far.</summary>
    private delegate Task Feed(IRecordingEncoder encoder, StoredFormat stored, Action<long> report, CancellationToken ct);

    /// <summary>What one import stores: the source's description and how to read its samples.</summary>
    private sealed record Source(TechnicalMetadata Technical, SourceLink Link, JsonObject FileMetadata, SourceFormat Format,
        long EstimatedSamples, string Name, Feed Feed, FloatConversion Floats, Task<string>? Hash = null)
    {
        /// <summary>What the source's header declared, when the file holds less (<see cref="Import.SourceProbe.DeclaredSamples"/>).</summary>
        public long? DeclaredSamples { get; init; }
        /// <summary>
        /// The source's own coded frames, ready to be stored as they are, when the chosen codec is theirs and no
        /// setting of it was asked for (a FLAC file: <see cref="Codecs.Flac.FlacFrameCopy"/>); the feed then only verifies.
        /// </summary>
        public (string Codec, IResolvedCodec Resolved)? Copy { get; init; }
        /// <summary>What the duplicate check claims: the source's SHA-256, or one part of it (<c>sha.part2</c>).</summary>
        public string? ClaimKey { get; init; }
    }

    public async Task<Recording> ImportFileAsync(string path, ImportOptions options, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        place.ThrowIfDismounted();
        var file = new FileInfo(path);
        if (!file.Exists) throw new FileNotFoundException($"'{path}' does not exist.", path);
        if (options.TimeZone is { } named) RecordingTime.Zone(named); // a bad name fails before any work starts
        // Hashing (for the duplicate check) reads the file beside ffprobe and the encoder; the hash is claimed the moment
        // it is known, and a duplicate stops the encoding then (issue 13: waiting for it cost 0.1 s of a 1 s import).
        using var hashing = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var hash = Task.Run(() => HashFileAsync(file.FullName, hashing.Token), hashing.Token);
        SourceProbe probe;
        try { probe = await SourceProbe.ProbeAsync(file.FullName, options.AudioStream, ct).ConfigureAwait(false); }
        catch
        {
            hashing.Cancel();
            await TaskFailure.OfAsync(hash).ConfigureAwait(false); // the hash lets go of the file before this returns
            throw;
        }
        var (technical, link, fileMetadata) = Describe(file, probe);
        SetStart(technical, options);
        var floats = new FloatConversion(probe.Channels);
        Feed feed = async (encoder, stored, report, token) =>
            await SourceDecoder.DecodeAsync(probe, stored, floats, options.IgnoreSourceChecksum, technical, async block =>
            {
                await encoder.WriteAsync(block, token).ConfigureAwait(false);
                report(encoder.SamplesWritten);
            }, token).ConfigureAwait(false);
        return await StoreAsync(new Source(technical, link, fileMetadata, probe.Format, probe.EstimatedSamples, file.FullName, feed, floats, hash)
            { DeclaredSamples = probe.DeclaredSamples, Copy = FrameCopy(probe, options) },
            options, progress, ct).ConfigureAwait(false);
    }

    /// <summary>A FLAC file whose frames the archive can keep as they are (see <see cref="FlacFrameScanner"/>), else null.</summary>
    private static (string, IResolvedCodec)? FrameCopy(SourceProbe probe, ImportOptions options)
    {
        // Not scanned when another codec or a setting was asked for: the frames could not be kept anyway.
        var flacWanted = options.Codec.Equals(RecordingCodecs.Auto, StringComparison.OrdinalIgnoreCase)
            || options.Codec.Equals(Codecs.Flac.FlacCodec.CodecName, StringComparison.OrdinalIgnoreCase);
        if (probe.Flac is not { } flac || !flacWanted || options.CodecOptions.Names.Count > 0) return null;
        if (FlacFrameScanner.TryScan(probe.Path, flac, out _) is not { } scan) return null;
        return (Codecs.Flac.FlacCodec.CodecName, new Codecs.Flac.FlacFrameCopy(probe.Path, scan.Frames, scan.Info));
    }

    /// <summary>The start the user gave (it wins over the file's), then the zone the user named.</summary>
    private static void SetStart(TechnicalMetadata technical, ImportOptions options)
    {
        if (options.RecordedAt is { } at)
        {
            technical.RecordedAt = null;
            RecordingTime.FromSource(technical, at.WallClock, at.Offset);
        }
        if (options.TimeZone is { } zone) RecordingTime.SetZone(technical, zone);
    }

    /// <summary>What a probed file is: its technical metadata, its link, and its file metadata (ffprobe's report, RIFF chunks, FLAC blocks).</summary>
    private static (TechnicalMetadata Technical, SourceLink Link, JsonObject FileMetadata) Describe(FileInfo file, SourceProbe probe)
    {
        var link = new SourceLink { FileName = file.Name, FullPath = file.FullName, Size = file.Length, ModifiedAt = file.LastWriteTimeUtc };
        var fileMetadata = new JsonObject { ["ffprobe"] = probe.Report.DeepClone() };
        foreach (var (key, value) in RiffChunks.Read(file.FullName)) fileMetadata[key] = value?.DeepClone();
        if (probe.Flac is { } flac) fileMetadata["flac"] = Import.Flac.FlacProbe.FileMetadata(flac);
        var technical = new TechnicalMetadata
        {
            SampleRate = probe.SampleRate,
            Channels = probe.Channels,
            SampleFormat = probe.IsFloat ? "float" : "int",
            SourceCodec = probe.Codec,
            SourceContainer = probe.Container,
            SourceSampleFormat = probe.SampleFormat,
            SourceStreamIndex = probe.StreamIndex,
        };
        StructuredFields.Fill(technical, fileMetadata);
        return (technical, link, fileMetadata);
    }

    public async Task<Recording> ImportSamplesAsync(Array samples, int sampleRate, ImportOptions options, string? name, CancellationToken ct)
    {
        place.ThrowIfDismounted();
        var arrays = SampleArrays.From(samples, options.BitsPerSample);
        if (sampleRate < 1) throw new UnsupportedSourceException($"Sample rate {sampleRate} Hz is not valid: it must be at least 1 Hz.");
        var technical = new TechnicalMetadata
        {
            SampleRate = sampleRate,
            Channels = arrays.Channels,
            SampleFormat = arrays.Encoding == SampleEncoding.Integer ? "int" : "float",
            SourceCodec = "array",
            SourceSampleFormat = arrays.SampleFormatName,
        };
        SetStart(technical, options);
        var floats = new FloatConversion(arrays.Channels);
        Feed feed = async (encoder, stored, report, token) =>
        {
            var all = arrays.ToBuffer(stored, floats);
            var step = 65_536 * arrays.Channels;
            for (var i = 0; i < all.Length; i += step)
            {
                await encoder.WriteAsync(all.Slice(i, Math.Min(step, all.Length - i)), token).ConfigureAwait(false);
                report(encoder.SamplesWritten);
            }
        };
        return await StoreAsync(new Source(technical, new SourceLink { FileName = name }, new JsonObject(), arrays.Format(sampleRate), arrays.Frames,
            name ?? "samples", feed, floats), options with { Force = true }, null, ct).ConfigureAwait(false);
    }

    private async Task<Recording> StoreAsync(Source source, ImportOptions options, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        place.ThrowIfNotWritable();
        var (technical, format) = (source.Technical, source.Format);
        // Checked before anything is stored: metadata that cannot be kept, or a source no codec takes, must not cost an import.
        var userMetadata = options.UserMetadata is { } given ? MetadataValues.FromDictionary(given) : new JsonObject();
        if (format.SampleRate < 1) throw new UnsupportedSourceException($"'{source.Name}' has no valid sample rate ({format.SampleRate} Hz).");
        var (codec, stored, reason, resolved) = RecordingCodecs.Choose(options.Codec, options.CodecOptions, format, source.Name);
        var copy = source.Copy is { } c && c.Codec == codec.Name && options.CodecOptions.Names.Count == 0 ? c.Resolved : null;
        technical.Codec = codec.Name;
        technical.CodecReason = copy is null ? reason : reason + "; the source's frames are kept as they are";
        technical.BitsPerSample = stored.BitsPerSample;
        // What reads return, not what the source held (that is SourceSampleFormat): FLAC and AAC store floats as integers.
        technical.SampleFormat = stored.Encoding == SampleEncoding.Integer ? "int" : "float";
        technical.QuantisedFromFloat = format.IsFloat && stored.Encoding == SampleEncoding.Integer;
        var id = await claims.AllocateIdAsync(ct).ConfigureAwait(false);
        var path = place.RecordingPath(id);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var hashClaim = source.Hash is null ? Task.FromResult(false) : ClaimWhenHashedAsync(source, id, options.Force, stop);
        var lease = new ClaimLeaseRenewal(claims, place.Location, id);
        var changing = false;
        try
        {
            try
            {
                await using var encoder = await (copy ?? resolved).CreateEncoderAsync(new EncodeTarget(place.Writable, path, format, stored, source.EstimatedSamples), stop.Token).ConfigureAwait(false);
                // With frames copied, the feed still decodes the source: its samples go nowhere, but they are checked
                // (format, damage, the source's own MD5) before anything is committed.
                await source.Feed(encoder, stored, done => progress?.Report(new ImportProgress(source.Name, done, source.EstimatedSamples)), stop.Token).ConfigureAwait(false);
                await encoder.CompleteAsync(technical, stop.Token).ConfigureAwait(false);
                await hashClaim.ConfigureAwait(false);
            }
            // A duplicate (or an unreadable file) found by the hash stopped the encoding: that is the error to report.
            catch (OperationCanceledException) when (source.Hash is not null && !ct.IsCancellationRequested)
            {
                await hashClaim.ConfigureAwait(false);
                throw;
            }
            if (technical.SampleCount == 0) throw new UnsupportedSourceException($"'{source.Name}' holds no audio samples: there is nothing to store.");
            technical.Id = id;
            if (source.DeclaredSamples is { } declared && declared > technical.SampleCount) technical.DeclaredSampleCount = declared;
            technical.DurationSeconds = (double)technical.SampleCount / technical.SampleRate;
            technical.ImportedAt = DateTimeOffset.UtcNow;
            technical.Importer = Importer;
            if (technical.QuantisedFromFloat && source.Floats.Changed)
            {
                technical.NonFiniteSamples = source.Floats.NonFinite;
                technical.FirstNonFiniteFrame = source.Floats.FirstNonFiniteFrame;
                technical.ClippedSamples = source.Floats.Clipped;
                technical.FirstClippedFrame = source.Floats.FirstClippedFrame;
            }
            var metadata = new RecordingMetadata { Technical = technical, Source = source.Link, File = source.FileMetadata, User = userMetadata };
            ct.ThrowIfCancellationRequested();
            // The lease must still be ours: a claim that ran out may have been repaired away (with its data) by another host.
            await lease.StopAsync(verify: true).ConfigureAwait(false);
            var attributes = metadata.ToAttributes();
            await catalog.BeginAsync(id).ConfigureAwait(false);
            changing = true;
            // The commit: until this zarr.json exists, listing and reading do not see the recording.
            await ZarrGroup.CreateAsync(place.Writable, path, attributes, CancellationToken.None).ConfigureAwait(false);
            changing = false;
            await catalog.EndAsync(id, attributes).ConfigureAwait(false);
            // The recording just written, from the attributes in hand as its zarr.json holds them (no read back from the store).
            return recordings.Remember(id, (JsonObject)JsonNode.Parse(attributes.ToJsonString())!);
        }
        catch
        {
            // Best effort: on a full or read-only disk the cleanup may fail too; the import's own error is what the
            // caller must see, and Repair-ZarrAudio removes what is left (nothing of it is committed).
            try
            {
                await lease.StopAsync(verify: false).ConfigureAwait(false);
                await TaskFailure.OfAsync(hashClaim).ConfigureAwait(false);
                await claims.DiscardAsync(id, "failed").ConfigureAwait(false);
                if (changing) await catalog.EndAsync(id, null).ConfigureAwait(false);
                if (hashClaim.IsCompletedSuccessfully && hashClaim.Result) await claims.ReleaseHashAsync(source.ClaimKey ?? source.Link.Sha256!, id).ConfigureAwait(false);
            }
            catch (Exception cleanup) when (cleanup is ZarrException or IOException or UnauthorizedAccessException) { }
            throw;
        }
        finally
        {
            await lease.StopAsync(verify: false).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits for the source's hash, records it, and claims it (unless forced); a duplicate or a failed hash cancels
    /// <paramref name="stop"/>, so the encoding beside it ends at once. True when this import holds the claim.
    /// </summary>
    private async Task<bool> ClaimWhenHashedAsync(Source source, long id, bool force, CancellationTokenSource stop)
    {
        try
        {
            source.Link.Sha256 = await source.Hash!.ConfigureAwait(false);
            return await claims.ClaimHashAsync(source.ClaimKey ?? source.Link.Sha256, id, source.Name, force, stop.Token).ConfigureAwait(false);
        }
        catch
        {
            stop.Cancel();
            throw;
        }
    }

    private static async Task<string> HashFileAsync(string path, CancellationToken ct)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return Convert.ToHexString(await SHA256.HashDataAsync(stream, ct).ConfigureAwait(false)).ToLowerInvariant();
    }
}
