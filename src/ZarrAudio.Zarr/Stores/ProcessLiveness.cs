using System.Diagnostics;

namespace ZarrAudio.Zarr.Stores;

/// <summary>Whether a process of this host still runs: how locks and claims left by a killed process are recognised.</summary>
public static class ProcessLiveness
{
    public static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }
}
