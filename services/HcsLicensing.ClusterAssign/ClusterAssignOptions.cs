using HcsLicensing.Contracts.Chpa;

namespace HcsLicensing.ClusterAssign;

/// <summary>ClusterAssign's settings, section "ClusterAssign".</summary>
public sealed class ClusterAssignOptions
{
    public const string Section = "ClusterAssign";

    /// <summary>JobTracker's public address, for the Location of a job (e.g. http://jobtracker:8080/); relative /jobs/{id} when unset.</summary>
    public Uri? JobsBaseUrl { get; set; }

    /// <summary>How long a step waits for CHPA or SmartAccountSync before it fails as timed out.</summary>
    public TimeSpan StepTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long Registration waits; longer than CHPA's own registration deadline (10 min), which answers first.</summary>
    public TimeSpan RegistrationTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often overdue waits are looked for.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long an HTTP request waits for Verification's verdict before answering 202 with the running job.</summary>
    public TimeSpan AnswerWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Clusters of one batch request assigned at once; the rest follow as these finish.</summary>
    public int BatchConcurrency { get; set; } = 4;

    /// <summary>Most clusters one batch request may name.</summary>
    public int BatchLimit { get; set; } = 1000;

    /// <summary>The transport UC applications must use to reach CSSM; Transport Mode Change makes it so.</summary>
    public TransportTarget Transport { get; set; } = new();
}

/// <summary>The UC applications' transport to CSSM: Direct, or a proxy (host/IP and port), or a transport gateway URL.</summary>
public sealed class TransportTarget
{
    public string Mode { get; set; } = ChpaTransportModes.Direct;

    public string? Url { get; set; }

    public string? IpAddress { get; set; }

    public int? Port { get; set; }
}
