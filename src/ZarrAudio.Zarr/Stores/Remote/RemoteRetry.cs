using Polly;
using Polly.Retry;

namespace ZarrAudio.Zarr.Stores.Remote;

/// <summary>
/// The one retry policy of every remote store (Polly): exponential backoff with jitter from 100 ms up to 10 s, for
/// <see cref="RemoteStoreOptions.MaxRetries"/> retries of what the store calls transient (throttling, 5xx, broken
/// connections, timeouts). Each attempt builds its request afresh, so a body is never sent half-consumed.
/// </summary>
internal static class RemoteRetry
{
    public static ResiliencePipeline Pipeline(RemoteStoreOptions options, Func<Exception, bool> isTransient) =>
        new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(options.MaxRetries, 1),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(100),
                MaxDelay = TimeSpan.FromSeconds(10),
                ShouldHandle = new PredicateBuilder().Handle(isTransient),
            })
            .Build();
}
