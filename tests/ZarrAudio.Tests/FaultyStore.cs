using System.Reflection;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Tests;

/// <summary>An IStore that passes every call to another store, except writes the test chooses to fail (a full disk).</summary>
public class FaultyStore : DispatchProxy
{
    private IStore _inner = null!;
    private Func<string, bool> _fails = _ => false;

    public static IStore Wrap(IStore inner, Func<string, bool> failWritesTo)
    {
        var store = Create<IStore, FaultyStore>();
        var proxy = (FaultyStore)(object)store;
        proxy._inner = inner;
        proxy._fails = failWritesTo;
        return store;
    }

    protected override object? Invoke(MethodInfo? method, object?[]? args)
    {
        if (method!.Name is nameof(IStore.SetAsync) && args![0] is string key && _fails(key))
            return ValueTask.FromException(new IOException($"No space left on device (writing {key})"));
        try { return method.Invoke(_inner, args); }
        catch (TargetInvocationException e) when (e.InnerException is not null) { throw e.InnerException; }
    }
}
