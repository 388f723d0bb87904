using System.Diagnostics;
using System.Text.Json;

namespace ZarrAudio.Testing;

/// <summary>
/// A real server on 127.0.0.1 for the store tests (s3rver, Azurite or nginx), started through tests/servers/serve.mjs
/// and stopped (with everything it started) when disposed. <see cref="Stop"/> and <see cref="Start"/> take it down and
/// bring it back on the same port with the same data, for fault tests.
/// </summary>
public sealed class TestServer : IDisposable
{
    /// <summary>Azurite's development account and its well-known key, as Microsoft's Azurite documentation publishes them.</summary>
    public const string AzuriteAccount = "devstoreaccount1";
    public const string AzuriteKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly string _kind;
    private readonly string[] _extra;
    private Process? _process;

    private TestServer(string kind, string data, string[] extra)
    {
        _kind = kind;
        Data = data;
        _extra = extra;
        Start();
    }

    public string Data { get; }
    public int Port { get; private set; }
    public Uri Endpoint => new($"http://127.0.0.1:{Port}");

    /// <summary>s3rver with one bucket (it does not enforce If-None-Match on PUT).</summary>
    public static TestServer S3(string data, string bucket = "archive") => new("s3", data, ["--bucket", bucket]);
    /// <summary>Azurite's blob service.</summary>
    public static TestServer Azure(string data) => new("azure", data, []);
    /// <summary>nginx serving <paramref name="data"/> with byte ranges; <paramref name="throttle"/> requests per second, above which it answers 503.</summary>
    public static TestServer Nginx(string data, int? throttle = null, Uri? proxy = null) =>
        new("nginx", data, [.. throttle is { } t ? new[] { "--throttle", t.ToString() } : [], .. proxy is { } p ? new[] { "--proxy", p.ToString() } : []]);

    /// <summary>The connection string of an Azurite server.</summary>
    public string AzureConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AzuriteAccount};AccountKey={AzuriteKey};BlobEndpoint={Endpoint}{AzuriteAccount};";

    /// <summary>How many requests an nginx server answered with <paramref name="status"/> (its access log holds one status a line).</summary>
    public int CountAnswers(int status)
    {
        var log = Path.Combine(Data, ".nginx", "access.log");
        return File.Exists(log) ? File.ReadLines(log).Count(line => line.Trim() == status.ToString()) : 0;
    }

    public void Start()
    {
        if (_process is not null) return;
        var start = new ProcessStartInfo("node") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in (string[])[Path.Combine(RepoPaths.Root, "tests", "servers", "serve.mjs"), _kind, "--data", Data, .. Port > 0 ? ["--port", Port.ToString()] : Array.Empty<string>(), .. _extra])
            start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        var line = process.StandardOutput.ReadLine();
        if (line is null)
        {
            process.WaitForExit();
            throw new InvalidOperationException($"The {_kind} test server did not start (exit code {process.ExitCode}); see the test output.");
        }
        Port = JsonDocument.Parse(line).RootElement.GetProperty("port").GetInt32();
        _process = process;
    }

    public void Stop()
    {
        if (_process is not { } process) return;
        _process = null;
        // Closing its input stops the server gracefully (serve.mjs); a server that does not stop is killed.
        process.StandardInput.Close();
        if (!process.WaitForExit(40_000))
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        process.WaitForExit();
        process.Dispose();
    }

    public void Dispose() => Stop();
}
