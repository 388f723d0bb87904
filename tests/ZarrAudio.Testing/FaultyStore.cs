using System.Reflection;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Testing;

/// <summary>An IStore that passes every call to another store, except writes the test chooses to fail (a full disk).</summary>
public class FaultyStore : DispatchProxy
{
    private IStore _inner = null!;
    private Func<string, bool> _fails = _ => false;
    private Func<string, bool> _deleteFails = _ => false;
    private Func<string, bool> _slow = _ => false;

    /// <summary>A store whose writes of the chosen keys take a while (a slow disk or network): races show reliably.</summary>
    public static IStore Slow(IStore inner, Func<string, bool> slowWritesTo)
    {
        var store = Wrap(inner, _ => false);
        ((FaultyStore)(object)store)._slow = slowWritesTo;
        return store;
    }

    public static IStore Wrap(IStore inner, Func<string, bool> failWritesTo, Func<string, bool>? failDeletesOf = null)
    {
        var store = Create<IStore, FaultyStore>();
        var proxy = (FaultyStore)(object)store;
        proxy._inner = inner;
        proxy._fails = failWritesTo;
        proxy._deleteFails = failDeletesOf ?? (_ => false);
        return store;
    }

    protected override object? Invoke(MethodInfo? method, object?[]? args)
    {
        if (method!.Name is nameof(IStore.SetAsync) && args![0] is string key && _fails(key))
            return ValueTask.FromException(new IOException($"No space left on device (writing {key})"));
        if (method.Name is nameof(IStore.SetAsync) && args![0] is string slowKey && _slow(slowKey))
            return DelayedAsync(() => (ValueTask)method.Invoke(_inner, args)!);
        if (method.Name is nameof(IStore.DeleteAsync) && args![0] is string deleted && _deleteFails(deleted))
            return ValueTask.FromException(new IOException($"Killed while deleting {deleted}"));
        try { return method.Invoke(_inner, args); }
        catch (TargetInvocationException e) when (e.InnerException is not null) { throw e.InnerException; }
    }

    private static async ValueTask DelayedAsync(Func<ValueTask> write)
    {
        await Task.Delay(15).ConfigureAwait(false);
        await write().ConfigureAwait(false);
    }
}
