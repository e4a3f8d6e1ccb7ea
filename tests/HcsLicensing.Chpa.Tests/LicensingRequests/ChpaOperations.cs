using HcsLicensing.Chpa.Tests.Support;
using HcsLicensing.Contracts.Chpa;

namespace HcsLicensing.Chpa.Tests.LicensingRequests;

/// <summary>Each request CHPA answers, as a test case: send it for a cluster, get the verdict back.</summary>
public sealed record ChpaOperation(string Name, Func<Requester, string, Task<(ChpaResponseCode Code, ChpaResponseReason Reason)>> Ask)
{
    public static readonly ChpaOperation Verify = new("VerifyCluster", async (requester, cluster) =>
    {
        var r = await requester.AskAsync<VerifyClusterRequest, VerifyClusterResponse>(new() { ClusterName = cluster });
        return (r.ResponseCode, r.ResponseReason);
    });

    public static readonly ChpaOperation GetTransport = new("GetTransportSettings", async (requester, cluster) =>
    {
        var r = await requester.AskAsync<GetTransportSettingsRequest, GetTransportSettingsResponse>(new() { ClusterName = cluster });
        return (r.ResponseCode, r.ResponseReason);
    });

    public static readonly ChpaOperation ChangeLicenseMode = new("ChangeLicenseMode", async (requester, cluster) =>
    {
        var r = await requester.AskAsync<ChangeLicenseModeRequest, ChangeLicenseModeResponse>(new() { ClusterName = cluster, LicenseMode = UcLicenseMode.HCS });
        return (r.ResponseCode, r.ResponseReason);
    });

    public static readonly ChpaOperation SetTransport = new("SetTransportSettings", async (requester, cluster) =>
    {
        var r = await requester.AskAsync<SetTransportSettingsRequest, SetTransportSettingsResponse>(new() { ClusterName = cluster, Mode = ChpaTransportModes.Proxy, IpAddress = "proxy.esl.cisco.com", Port = 8080 });
        return (r.ResponseCode, r.ResponseReason);
    });

    public static readonly ChpaOperation Register = new("RegisterCluster", async (requester, cluster) =>
    {
        var r = await requester.AskAsync<RegisterClusterRequest, RegisterClusterResponse>(new() { ClusterName = cluster, IdToken = "token-never-used" });
        return (r.ResponseCode, r.ResponseReason);
    });

    public static readonly ChpaOperation Deregister = new("DeregisterCluster", async (requester, cluster) =>
    {
        var r = await requester.AskAsync<DeregisterClusterRequest, DeregisterClusterResponse>(new() { ClusterName = cluster });
        return (r.ResponseCode, r.ResponseReason);
    });

    public static readonly ChpaOperation[] All = [Verify, GetTransport, ChangeLicenseMode, SetTransport, Register, Deregister];

    public override string ToString() => Name;
}
