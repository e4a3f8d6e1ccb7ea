namespace HcsLicensing.Chpa.UcApplications.Http;

/// <summary>How CHPA reaches publishers ("UcApplications" section).</summary>
public sealed class UcClientOptions
{
    public const string Section = "UcApplications";

    /// <summary>
    /// The licensing API's base address, with {publisher} standing for the publisher address from the inventory:
    /// "https://{publisher}:8443/" for real clusters, "http://127.0.0.1:5081/publishers/{publisher}/" for the simulator.
    /// </summary>
    public string BaseAddressTemplate { get; set; } = "http://127.0.0.1:5081/publishers/{publisher}/";

    /// <summary>One attempt's limit; a publisher slower than this counts as timed out.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>All attempts of one call together, retries included.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries of a transient failure (connection, 5xx, 408, 429, timeout); never for POST (register).</summary>
    public int RetryAttempts { get; set; } = 2;

    /// <summary>The first retry's delay, growing exponentially with jitter.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// How long a licensing request whose publisher is unreachable or restarting (503) is tried again, 2 s to 30 s
    /// apart, before it is answered chpaClusterUnreachable. Keep it below ClusterAssign's StepTimeout (2 min), which
    /// would fail the step first. Zero answers at once.
    /// </summary>
    public TimeSpan UnreachableWaitFor { get; set; } = TimeSpan.FromSeconds(90);

    public Uri BaseAddressFor(string publisherAddress) =>
        new(BaseAddressTemplate.Replace("{publisher}", Uri.EscapeDataString(publisherAddress), StringComparison.Ordinal));
}
