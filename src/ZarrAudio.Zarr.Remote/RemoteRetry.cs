using Polly;
using Polly.Retry;

namespace ZarrAudio.Zarr.Stores.Remote;

/// <summary>
/// The one retry policy of every remote store: exponential backoff with jitter from 100 ms up to 10 s, for
/// <see cref="RemoteStoreOptions.MaxRetries"/> retries of what is transient (throttling 429/503, other 5xx, broken
/// connections, timeouts). S3 and HTTP run it through Polly, each attempt building its request afresh so a body is never
/// sent half-consumed; Azure signs each request inside its SDK pipeline, so there the SDK's retry stage runs the same
/// schedule (<see cref="Apply"/>).
/// </summary>
internal static class RemoteRetry
{
    public static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan LongestDelay = TimeSpan.FromSeconds(10);

    /// <summary>The same schedule for the Azure SDK's retry stage (which also retries 408, 429, 5xx and broken connections, with jitter).</summary>
    public static void Apply(Azure.Core.RetryOptions retry, RemoteStoreOptions options)
    {
        retry.MaxRetries = Math.Max(options.MaxRetries, 1);
        retry.Mode = Azure.Core.RetryMode.Exponential;
        retry.Delay = FirstDelay;
        retry.MaxDelay = LongestDelay;
        retry.NetworkTimeout = options.RequestTimeout;
    }

    /// <summary>True for the answers worth asking again: timeouts (408), throttling (429) and server failures (5xx); never another 4xx.</summary>
    public static bool IsRetried(int status) => status is 408 or 429 or >= 500;

    /// <summary>What a server's final answer means for the user: refused at once (a 4xx), or failing after every retry.</summary>
    public static string Said(int status, string? code) => IsRetried(status)
        ? $"the server failed ({status} {code}) after every retry"
        : $"the server refused the request ({status} {code})";

    public static ResiliencePipeline Pipeline(RemoteStoreOptions options, Func<Exception, bool> isTransient) =>
        new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(options.MaxRetries, 1),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = FirstDelay,
                MaxDelay = LongestDelay,
                ShouldHandle = new PredicateBuilder().Handle(isTransient),
            })
            .Build();
}
