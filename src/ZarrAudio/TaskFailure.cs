namespace ZarrAudio;

internal static class TaskFailure
{
    /// <summary>Waits for a task and returns what it threw (null when it succeeded), for callers that must let
    /// it finish before deciding which of several errors explains a failure.</summary>
    public static async Task<Exception?> OfAsync(Task task)
    {
        try { await task.ConfigureAwait(false); return null; }
        catch (Exception e) { return e; }
    }
}
