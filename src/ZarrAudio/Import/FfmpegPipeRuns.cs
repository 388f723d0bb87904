namespace ZarrAudio.Import;

/// <summary>
/// Runs ffmpeg into a pipe again when a run's pipe was never read. When a source's whole decoded output fits in the
/// pipe's buffer, ffmpeg can exit before the pipe is accepted (a loaded machine accepts late); FFMpegCore then skips
/// the sink and drops the output unread (1 CI-loaded run in 6 once). Nothing reached the encoder then, so running
/// ffmpeg again is safe; a run whose pipe was read is never repeated, so no block is delivered twice.
/// </summary>
internal static class FfmpegPipeRuns
{
    /// <param name="run">One ffmpeg run, given the reader its pipe sink must call.</param>
    /// <param name="read">Reads a pipe; called at most once over all runs.</param>
    /// <returns>The run whose pipe was read (1 for the first), or 0 when none was in <paramref name="maxRuns"/>.</returns>
    public static async Task<int> RunUntilReadAsync(Func<Func<Stream, Task>, Task> run, Func<Stream, Task> read, int maxRuns)
    {
        for (var attempt = 1; attempt <= maxRuns; attempt++)
        {
            var wasRead = false;
            await run(async stream =>
            {
                wasRead = true;
                await read(stream).ConfigureAwait(false);
            }).ConfigureAwait(false);
            if (wasRead) return attempt;
        }
        return 0;
    }
}
