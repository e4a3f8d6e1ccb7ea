using HcsLicensing.Contracts.Chpa;

namespace HcsLicensing.Chpa.LicensingRequests;

/// <summary>One log line per answer, with the cluster and the verdict; never a credential or a token.</summary>
public static class ChpaLog
{
    public static void Answered(ILogger logger, string operation, string clusterName, ChpaResponseCode code, ChpaResponseReason reason, string? description)
    {
        var level = code == ChpaResponseCode.PASS ? LogLevel.Information : LogLevel.Warning;
        logger.Log(level, "{Operation} {ClusterName}: {ResponseCode} {ResponseReason} {ResponseDescription}", operation, clusterName, code, reason, description);
    }
}
