using System.Text.Json.Nodes;
using ZarrAudio.Archive;
using ZarrAudio.Testing;
using ZarrAudio.Zarr;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Tests;

public class ArchiveTests
{
    private static short[,] Tone(int frames, int seed)
    {
        var data = new short[frames, 2];
        var r = new Random(seed);
        for (var i = 0; i < frames; i++) { data[i, 0] = (short)r.Next(-30000, 30000); data[i, 1] = (short)(i % 1000); }
        return data;
    }

    /// <summary>The commit hands back the recording it wrote: no read of that zarr.json (one more round trip on S3 and Azure).</summary>
    [Fact]
    public async Task ALocationThatNamesNoStoreIsAnArchiveFormatError()
    {
        var memory = await Assert.ThrowsAsync<ArchiveFormatException>(() => AudioArchive.MountAsync("memory://never-created-here", "", create: false));
        Assert.Contains("no in-memory store named 'never-created-here'", memory.Message);
        // A malformed address is the caller's error, named with the rule it breaks, before any request.
        Assert.True((await Assert.ThrowsAsync<StoreAddressException>(() => AudioArchive.MountAsync("s3://", "", create: false))).IsMalformed);
        var container = await Assert.ThrowsAsync<StoreAddressException>(() => AudioArchive.MountAsync("az://devstoreaccount1/ab/x", "", create: false));
        Assert.Contains("3 to 63 characters", container.Message);
        var bucket = await Assert.ThrowsAsync<StoreAddressException>(() => AudioArchive.MountAsync("s3://My_Bucket/x", "", create: false));
        Assert.Contains("no underscores", bucket.Message);
    }

    [Fact]
    public async Task AnImportDoesNotReadBackTheRecordingItCommitted()
    {
        var store = new CountingStore(new MemoryStore());
        using var archive = await AudioArchive.MountAsync(store, "a", create: true, ownsStore: true);
        var tone = Tone(4000, 7);
        var recording = await archive.ImportSamplesAsync(tone, 8000, new ImportOptions { UserMetadata = new Dictionary<string, object> { ["site"] = "cave" } });
        Assert.DoesNotContain(store.Reads, read => read.Key == $"a/{recording.Id}/zarr.json");
        // What it hands back is what a fresh read of the store gives.
        var fresh = await archive.GetRecordingAsync(recording.Id, refresh: true);
        Assert.Same(recording, fresh);
        Assert.Equal("cave", recording.Metadata.User["site"]!.GetValue<string>());
        Assert.Equal((short[,])(await recording.ReadAsync(0, 4000)).Samples, tone);
    }

    [Fact]
    public async Task ParallelImportsGetDistinctIncreasingIds()
    {
        using var dir = new TempDirectory();
        using var archive = await AudioArchive.MountAsync(dir.Path, "a", create: true);
        var recordings = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() => archive.ImportSamplesAsync(Tone(3000 + i, i), 8000))));
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), recordings.Select(r => r.Id).Order());
        // Each import kept its own samples: the lengths are 3000..3011, one each.
        Assert.Equal(Enumerable.Range(3000, 12).Select(n => (long)n), recordings.Select(r => r.SampleCount).Order());
        Assert.Equal(12, (await archive.ListIdsAsync()).Count);
    }

    [Fact]
    public async Task TwoProcessesImportingIntoOneArchiveNeverCollide()
    {
        using var dir = new TempDirectory();
        using (var _ = await AudioArchive.MountAsync(dir.Path, "", create: true)) { }
        var files = Enumerable.Range(0, 6).Select(i => AudioFixtures.MakeWav(dir, $"f{i}.wav", 8000, 16, 1, 1 + i * 0.1)).ToArray();
        // Each process (tests/ImportWorker) imports every file, forced, at the same time as the other.
        var runs = Enumerable.Range(0, 2).Select(p => Task.Run(() =>
            ProcessRunner.Run("dotnet", ["exec", Path.Combine(AppContext.BaseDirectory, "ImportWorker.dll"), dir.Path, p.ToString(), .. files]))).ToArray();
        await Task.WhenAll(runs);
        using var archive = await AudioArchive.MountAsync(dir.Path, "", create: false);
        var all = await archive.GetRecordingsAsync();
        Assert.Equal(12, all.Count);
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), all.Select(r => r.Id));
        foreach (var r in all)
        {
            var expected = AudioFixtures.FfmpegDecode(r.Metadata.Source.FullPath!, 16);
            Assert.Equal(expected, AudioFixtures.Flatten((await r.ReadAsync(0, r.SampleCount)).Samples));
        }
        // Both processes imported every file with Force; a plain import of one of them is still a duplicate.
        var again = await Assert.ThrowsAsync<DuplicateRecordingException>(() => archive.ImportFileAsync(files[0]));
        Assert.Contains(again.ExistingId, all.Select(r => r.Id));
        Assert.Equal(12, (await archive.ListIdsAsync()).Count);
    }

    [Fact]
    public async Task DuplicateSourcesAreRefusedUnlessForcedEvenWhenImportedAtOnce()
    {
        using var dir = new TempDirectory();
        var wav = AudioFixtures.MakeWav(dir, "x.wav", 8000, 16, 1, 1);
        using var archive = await AudioArchive.MountAsync(new MemoryStore(), "", create: true, ownsStore: true);
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            try { return (await archive.ImportFileAsync(wav)).Id; }
            catch (DuplicateRecordingException) { return -1L; }
            catch (SourceBeingImportedException) { return -1L; }
        })));
        Assert.Single(results, r => r > 0);
        var again = await Assert.ThrowsAsync<DuplicateRecordingException>(() => archive.ImportFileAsync(wav));
        Assert.Equal(results.Single(r => r > 0), again.ExistingId);
        var forced = await archive.ImportFileAsync(wav, new ImportOptions { Force = true });
        Assert.NotEqual(again.ExistingId, forced.Id);
        // Removing the original frees the hash.
        await archive.RemoveAsync(again.ExistingId);
        await archive.ImportFileAsync(wav);
    }

    [Fact]
    public async Task ADuplicateStopsItsEncodingWhenItsHashIsKnownAndLeavesNothing()
    {
        // The hash runs beside the encoder and is claimed the moment it is known: a duplicate costs a hash and the
        // little encoding done meanwhile, not an import, and leaves nothing.
        using var dir = new TempDirectory();
        var wav = AudioFixtures.MakeWav(dir, "long.wav", 48000, 16, 2, 60);
        using var archive = await AudioArchive.MountAsync(dir.Path, "archive", create: true);
        var original = await archive.ImportFileAsync(wav);
        var furthest = 0L;
        var progress = new SyncProgress<ImportProgress>(p => furthest = Math.Max(furthest, p.SamplesDone));
        var refused = await Assert.ThrowsAsync<DuplicateRecordingException>(() => archive.ImportFileAsync(wav, null, progress));
        Assert.Equal(original.Id, refused.ExistingId);
        Assert.True(furthest < original.SampleCount / 2, $"the duplicate was encoded up to sample {furthest} of {original.SampleCount}");
        Assert.Equal([original.Id], await archive.ListIdsAsync());
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "archive", "2", "flac0")));
    }

    [Fact]
    public async Task AFailedImportLeavesNothingVisibleAndEarlierDataIntact()
    {
        using var dir = new TempDirectory();
        using var archive = await AudioArchive.MountAsync(dir.Path, "", create: true);
        var first = await archive.ImportSamplesAsync(Tone(5000, 1), 8000);
        var wav = AudioFixtures.MakeWav(dir, "long.wav", 48000, 16, 2, 30);
        using var cts = new CancellationTokenSource();
        // Reported on the import's own thread: a Progress<T> would post to the pool, where a late report could
        // call Cancel() on the disposed source after the test ended and crash the test host.
        var progress = new SyncProgress<ImportProgress>(p => { if (p.SamplesDone > 100_000) cts.Cancel(); });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => archive.ImportFileAsync(wav, null, progress, cts.Token));
        Assert.Equal([first.Id], await archive.ListIdsAsync());
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "2", "flac0")));
        Assert.Equal(Tone(5000, 1), (short[,])(await first.ReadAsync(0, 5000)).Samples);
        // The next import gets a fresh id; the failed one is never reused.
        Assert.Equal(3, (await archive.ImportSamplesAsync(Tone(100, 2), 8000)).Id);
    }

    [Fact]
    public async Task ASlowEncoderLosesNoSamplesAfterFfmpegExits()
    {
        // The encoder side is held up (a slow progress handler), so ffmpeg finishes and exits while blocks
        // are still queued and unread in the pipe: every sample must still arrive.
        using var dir = new TempDirectory();
        using var archive = await AudioArchive.MountAsync(new MemoryStore(), "", create: true, ownsStore: true);
        var wav = AudioFixtures.MakeWav(dir, "slow.wav", 48000, 16, 2, 20);
        var recording = await archive.ImportFileAsync(wav, null, new SlowProgress());
        var expected = AudioFixtures.FfmpegDecode(wav, 16);
        Assert.Equal(expected.Length / 2, recording.SampleCount);
        Assert.Equal(expected, AudioFixtures.Flatten((await recording.ReadAsync(0, recording.SampleCount)).Samples));
    }

    private sealed class SlowProgress(Action<ImportProgress>? then = null) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value)
        {
            Thread.Sleep(40);
            then?.Invoke(value);
        }
    }

    [Fact]
    public async Task CancellingAfterFfmpegHasExitedIsSafe()
    {
        // ffmpeg is done long before the held-up encoder: cancelling then must neither throw to the caller of
        // Cancel() (FFMpegCore's own cancel handler does, once its process is gone) nor store anything.
        using var dir = new TempDirectory();
        using var archive = await AudioArchive.MountAsync(new MemoryStore(), "", create: true, ownsStore: true);
        var wav = AudioFixtures.MakeWav(dir, "slow.wav", 48000, 16, 2, 20);
        using var cts = new CancellationTokenSource();
        Exception? thrownByCancel = null;
        var progress = new SlowProgress(p =>
        {
            if (p.SamplesDone < 300_000 || cts.IsCancellationRequested) return;
            try { cts.Cancel(); } catch (Exception e) { thrownByCancel = e; }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => archive.ImportFileAsync(wav, null, progress, cts.Token));
        Assert.Null(thrownByCancel);
        Assert.Empty(await archive.ListIdsAsync());
    }

    [Fact]
    public async Task PlainWavFilesAreReadWithoutFfmpegAndOthersThroughIt()
    {
        using var dir = new TempDirectory();
        using var archive = await AudioArchive.MountAsync(new MemoryStore(), "", create: true, ownsStore: true);
        var wav = AudioFixtures.MakeWav(dir, "native.wav", 8000, 24, 2, 0.25);
        var flac = AudioFixtures.MakeWav(dir, "through-ffmpeg.flac", 8000, 24, 2, 0.25);
        // The decoder is chosen from the probe: the WAV reader takes the WAV and leaves the FLAC to ffmpeg.
        Assert.NotNull(Import.WavReader.TryOpen(await Import.SourceProbe.ProbeAsync(wav, null, default)));
        Assert.Null(Import.WavReader.TryOpen(await Import.SourceProbe.ProbeAsync(flac, null, default)));
        var fromWav = await archive.ImportFileAsync(wav);
        var fromFlac = await archive.ImportFileAsync(flac);
        Assert.Equal(AudioFixtures.FfmpegDecode(wav, 24), AudioFixtures.Flatten((await fromWav.ReadAsync(0, fromWav.SampleCount)).Samples));
        Assert.Equal(AudioFixtures.FfmpegDecode(flac, 24), AudioFixtures.Flatten((await fromFlac.ReadAsync(0, fromFlac.SampleCount)).Samples));
    }

    [Fact]
    public async Task AnOutputPipeDroppedUnreadIsDecodedAgainAndNeverReadTwice()
    {
        // As FFMpegCore does when ffmpeg exits before the pipe is accepted: the first two runs never call the
        // sink. The third must be read, once; a run that was read is never repeated.
        var runs = 0;
        var reads = new List<int>();
        var read = await Import.FfmpegPipeRuns.RunUntilReadAsync(async reader =>
        {
            runs++;
            if (runs >= 3) await reader(new MemoryStream([1, 2, 3]));
        }, async stream => reads.Add(await Task.FromResult(stream.ReadByte())), maxRuns: 3);
        Assert.Equal((3, 3), (read, runs));
        Assert.Equal([1], reads);

        runs = 0;
        Assert.Equal(1, await Import.FfmpegPipeRuns.RunUntilReadAsync(async reader => { runs++; await reader(Stream.Null); }, _ => Task.CompletedTask, 3));
        Assert.Equal(1, runs);
        // Never read within the runs allowed: 0, and the decoder then refuses the import (nothing was stored).
        Assert.Equal(0, await Import.FfmpegPipeRuns.RunUntilReadAsync(_ => Task.CompletedTask, _ => Task.CompletedTask, 3));
    }

    [Fact]
    public async Task ACancelledImportReturnsOnlyAfterTheEncoderHasStopped()
    {
        // Cancelled from outside while the encoder side is busy: the import must not return (and dispose the
        // libFLAC encoder, and discard the recording's files) while the encoder thread is still working. It
        // did, and the next block then went into a freed encoder: the test host crashed, 1 CI run in 6.
        using var dir = new TempDirectory();
        using var archive = await AudioArchive.MountAsync(dir.Path, "", create: true);
        var wav = AudioFixtures.MakeWav(dir, "busy.wav", 48000, 16, 2, 20);
        using var busy = new ManualResetEventSlim();
        var returned = 0;
        var reportsAfterReturn = 0;
        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress<ImportProgress>(_ =>
        {
            if (busy.IsSet) return;
            busy.Set();
            cts.Cancel();
            Thread.Sleep(1000); // the encoder thread is busy while the import is cancelled
            if (Volatile.Read(ref returned) == 1) Interlocked.Increment(ref reportsAfterReturn);
        });
        // Enough pool threads that the import's own continuations are not held up by the sleeping encoder
        // thread (on 2 cores they were, which hid the early return).
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 16), io);
        var import = Task.Run(() => archive.ImportFileAsync(wav, null, progress, cts.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => import);
        Volatile.Write(ref returned, 1);
        await Task.Delay(1200); // long enough for a straggling encoder thread to report
        Assert.Equal(0, Volatile.Read(ref reportsAfterReturn));
        Assert.Empty(await archive.ListIdsAsync());
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "1", "flac0")), "a straggling encoder wrote into the discarded recording");
    }

    [Fact]
    public async Task AStoreFailureMidImportStopsFfmpegAndLeavesNothingVisible()
    {
        using var dir = new TempDirectory();
        using var memory = new MemoryStore();
        // Shard 1 of the stream (the second 4 MiB) cannot be written: the encoder fails while ffmpeg is still decoding.
        var store = FaultyStore.Wrap(memory, key => key.EndsWith("/flac0/c/1", StringComparison.Ordinal));
        using var archive = await AudioArchive.MountAsync(store, "", create: true);
        var first = await archive.ImportSamplesAsync(Tone(5000, 1), 8000);
        var wav = AudioFixtures.MakeWav(dir, "long.wav", 48000, 16, 2, 120);
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => archive.ImportFileAsync(wav));
        Assert.Contains("No space left on device", failure.ToString());
        Assert.IsNotType<UnsupportedSourceException>(failure); // the source is fine; the store is not
        Assert.Equal([first.Id], await archive.ListIdsAsync());
        Assert.Empty(await memory.ListPrefixAsync("2/flac0").ToListAsync());
        Assert.Equal(Tone(5000, 1), (short[,])(await first.ReadAsync(0, 5000)).Samples);
    }

    [Fact]
    public async Task RepairRemovesWhatAKilledImportLeft()
    {
        using var dir = new TempDirectory();
        using var archive = await AudioArchive.MountAsync(dir.Path, "", create: true);
        await archive.ImportSamplesAsync(Tone(100, 1), 8000);
        // A killed import: a claim by a process that no longer exists, and stream data without a commit.
        Directory.CreateDirectory(Path.Combine(dir.Path, "2", "flac0"));
        File.WriteAllText(Path.Combine(dir.Path, "2", "claim.json"), new JsonObject { ["pid"] = int.MaxValue - 1, ["host"] = Environment.MachineName, ["started"] = DateTimeOffset.UtcNow.ToString("o"), ["state"] = "importing" }.ToJsonString());
        File.WriteAllText(Path.Combine(dir.Path, "2", "flac0", "zarr.json"), "{}");
        Assert.Equal([1L], await archive.ListIdsAsync());
        Assert.Equal([2L], await archive.RepairAsync());
        Assert.False(File.Exists(Path.Combine(dir.Path, "2", "flac0", "zarr.json")));
        Assert.Empty(await archive.RepairAsync());
    }

    [Fact]
    public async Task BadRequestsGetSpecificErrors()
    {
        using var dir = new TempDirectory();
        using var archive = await AudioArchive.MountAsync(new MemoryStore(), "", create: true, ownsStore: true);
        var r = await archive.ImportSamplesAsync(Tone(1000, 1), 8000);
        await Assert.ThrowsAsync<SampleRangeException>(() => r.ReadAsync(990, 11));
        await Assert.ThrowsAsync<SampleRangeException>(() => r.ReadAsync(-1, 1));
        await Assert.ThrowsAsync<SampleRangeException>(() => r.ReadAsync(0, 1, [2]));
        await Assert.ThrowsAsync<RecordingNotFoundException>(() => archive.GetRecordingAsync(99));
        await Assert.ThrowsAsync<FileNotFoundException>(() => archive.ImportFileAsync(dir.Combine("missing.wav")));
        File.WriteAllText(dir.Combine("notes.txt"), "not audio at all");
        await Assert.ThrowsAsync<UnsupportedSourceException>(() => archive.ImportFileAsync(dir.Combine("notes.txt")));
        await Assert.ThrowsAsync<UnsupportedSourceException>(() => archive.ImportFileAsync(RepoPaths.TestData("fire2.mp4"), new ImportOptions { AudioStream = 3 }));
        var tooFast = await Assert.ThrowsAsync<UnsupportedSourceException>(() => archive.ImportSamplesAsync(new int[10], 2_000_000, new ImportOptions { Codec = "flac" }));
        Assert.Contains("1,048,575 Hz", tooFast.Message);
        await Assert.ThrowsAsync<InvalidSamplesException>(() => archive.ImportSamplesAsync(new long[10], 8000));
        await Assert.ThrowsAsync<ArchiveFormatException>(() => AudioArchive.MountAsync(dir.Path, "nothing", create: false));
        Assert.Equal([r.Id], await archive.ListIdsAsync());
    }

    [Fact]
    public async Task CorruptFramesAreReportedByReadsAndVerify()
    {
        using var dir = new TempDirectory();
        using var archive = await AudioArchive.MountAsync(dir.Path, "", create: true);
        var r = await archive.ImportSamplesAsync(Tone(40000, 3), 8000);
        Assert.True((await r.VerifyAsync()).IsValid);
        // Flip a byte in the middle of the stored FLAC frames.
        var store = new DirectoryStore(dir.Path);
        var array = await ZarrArray.OpenAsync(store, "1/flac0");
        var middle = array.Shape[0] / 2;
        var bytes = await array.ReadRegionAsync([middle], [1]);
        bytes[0] ^= 0x5A;
        await array.WriteRegionAsync([middle], [1], bytes);
        using var reopened = await AudioArchive.MountAsync(dir.Path, "", create: false);
        var again = await reopened.GetRecordingAsync(1);
        var report = await again.VerifyAsync();
        Assert.False(report.IsValid);
        await Assert.ThrowsAsync<CorruptRecordingException>(() => again.ReadAsync(0, again.SampleCount));
    }

    [Fact]
    public async Task StoredArraysArePlainZarrThatZarritaReads()
    {
        using var dir = new TempDirectory();
        using var archive = await AudioArchive.MountAsync(dir.Path, "field/site1", create: true);
        var r = await archive.ImportSamplesAsync(Tone(50000, 4), 16000);
        var read = System.Text.Json.Nodes.JsonNode.Parse(ProcessRunner.Node("zarrita-read.mjs", dir.Path, "a:field/site1/1/flac0", "a:field/site1/1/frames0", "g:field/site1/1", "g:field/site1"))!;
        var store = new DirectoryStore(dir.Path, readOnly: true);
        var flac = await ZarrArray.OpenAsync(store, "field/site1/1/flac0");
        var ours = await flac.ReadRegionAsync([0], flac.Shape);
        Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(ours)).ToLowerInvariant(), read["arrays"]!["field/site1/1/flac0"]!["sha256"]!.GetValue<string>());
        Assert.Equal(16000, read["groups"]!["field/site1/1"]!["technical"]!["sample_rate"]!.GetValue<int>());
        Assert.Equal("archive", read["groups"]!["field/site1"]!["zarraudio"]!["kind"]!.GetValue<string>());
        // The stored header plus the frames is a complete .flac file that the flac tool decodes to the same samples.
        var header = Convert.FromBase64String(flac.Attributes["flac_header"]!.GetValue<string>());
        File.WriteAllBytes(dir.Combine("x.flac"), [.. header, .. ours]);
        Assert.Equal(AudioFixtures.Flatten((await r.ReadAsync(0, r.SampleCount)).Samples), AudioFixtures.FfmpegDecode(dir.Combine("x.flac"), 16));
        ProcessRunner.Run("flac", ["-t", "-s", dir.Combine("x.flac")]);
    }
}
