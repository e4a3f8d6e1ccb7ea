namespace HcsLicensing.SmartAccountSync.Cssm;

/// <summary>
/// Where CSSM is and how patiently it is called ("Cssm" section). The URLs are only the route until an operator saves
/// transport settings (PUT /transport-settings); from then on the saved ones are.
/// </summary>
public sealed class CssmOptions
{
    public const string Section = "Cssm";

    /// <summary>The OAuth2 token endpoint: https://id.cisco.com/oauth2/default/v1/token (cloudsso.cisco.com/as/token.oauth2 before 2023).</summary>
    public Uri TokenUrl { get; set; } = new("https://id.cisco.com/oauth2/default/v1/token");

    /// <summary>swapi's base: https://swapi.cisco.com/services/api/smart-accounts-and-licensing/.</summary>
    public Uri SwapiBaseUrl { get; set; } = new("https://swapi.cisco.com/services/api/smart-accounts-and-licensing/");

    /// <summary>
    /// A private CA (PEM file) that CSSM's certificate must chain to instead of the OS trust store: the CA of a proxy that
    /// inspects TLS, or of a test CSSM. Unset (the default): the OS trust store decides. The name is checked either way.
    /// </summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>
    /// How long a replica keeps the saved transport settings before it reads them again: a save on another replica
    /// takes effect within this time (on the replica that saved, at once).
    /// </summary>
    public TimeSpan TransportRefresh { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A bearer token is renewed this long before it expires (public clients use a few minutes), at most at half its life.</summary>
    public TimeSpan TokenRefreshMargin { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>One HTTP attempt's time limit. Fetching 10,000 VAs is one answer of about 1.5 MB.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A call's time limit, retries and their waits included.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Retries of a call answered 408, 429 or 5xx (or not answered); waits grow exponentially with jitter, or follow Retry-After.</summary>
    public int MaxRetries { get; set; } = 6;

    /// <summary>The first retry's wait when CSSM gives no Retry-After.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The circuit opens when this share of calls failed within the sampling window (with at least the minimum throughput).</summary>
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>
    /// How long a registration token request that found CSSM away (5xx, throttled, unreachable or the circuit open,
    /// after the call's own retries) is tried again, 2 s to 30 s apart, before it is refused CssmUnavailable. Counted
    /// from the first such failure; keep it within ClusterAssign's StepTimeout (2 min). Zero refuses at once.
    /// </summary>
    public TimeSpan UnavailableWaitFor { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>How long the circuit stays open before a trial call.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);
}
