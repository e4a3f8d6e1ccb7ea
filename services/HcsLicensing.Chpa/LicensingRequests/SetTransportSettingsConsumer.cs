using HcsLicensing.Chpa.Inventory;
using HcsLicensing.Chpa.UcApplications;
using HcsLicensing.Contracts.Chpa;
using MassTransit;

namespace HcsLicensing.Chpa.LicensingRequests;

/// <summary>
/// HLM's Transport Mode Change. The request is checked before anything is sent (a proxy needs host and port, a
/// gateway a URL); the settings are read first and left alone when they already hold (Changed false).
/// </summary>
public sealed class SetTransportSettingsConsumer(ClusterDirectory clusters, IUcApplicationClient uc, UnreachablePublisherWait unreachable, ILogger<SetTransportSettingsConsumer> logger) : IConsumer<SetTransportSettingsRequest>
{
    public async Task Consume(ConsumeContext<SetTransportSettingsRequest> context)
    {
        var response = await SetAsync(context.Message, context.CancellationToken);
        if (response.ResponseReason == ChpaResponseReason.chpaClusterUnreachable
            && await unreachable.TryAgainLaterAsync(context, "SetTransportSettings", response.ClusterName, response.ResponseDescription))
        {
            return;
        }

        ChpaLog.Answered(logger, "SetTransportSettings", response.ClusterName, response.ResponseCode, response.ResponseReason, response.ResponseDescription);
        await context.RespondAsync(response);
    }

    private async Task<SetTransportSettingsResponse> SetAsync(SetTransportSettingsRequest request, CancellationToken cancellationToken)
    {
        var answer = new SetTransportSettingsResponse
        {
            ClusterName = request.ClusterName,
            SessionId = request.SessionId,
            ResponseCode = ChpaResponseCode.FAIL,
            ResponseReason = ChpaResponseReason.chpaUnknownCluster,
            ResponseDescription = ChpaReasons.UnknownCluster(request.ClusterName),
        };
        if (Wanted(request, out var problem) is not { } wanted)
        {
            return answer with { ResponseReason = ChpaResponseReason.chpaInvalidRequest, ResponseDescription = problem };
        }

        if (await clusters.FindAsync(request.ClusterName, cancellationToken) is not { } target)
        {
            return answer;
        }

        var current = await uc.GetTransportAsync(target, cancellationToken);
        if (!current.IsOk)
        {
            return answer with { ResponseReason = ChpaReasons.For(current.Failure), ResponseDescription = current.Detail };
        }

        if (current.Value == wanted)
        {
            return Passed(answer, current.Value, changed: false);
        }

        var set = await uc.SetTransportAsync(target, wanted, cancellationToken);
        return set.IsOk ? Passed(answer, set.Value!, changed: true) : answer with { ResponseReason = ChpaReasons.For(set.Failure), ResponseDescription = set.Detail };
    }

    /// <summary>The settings asked for with only the fields their mode uses, or null with the reason they cannot be applied.</summary>
    private static UcTransport? Wanted(SetTransportSettingsRequest request, out string? problem)
    {
        problem = request.Mode switch
        {
            ChpaTransportModes.Direct => null,
            ChpaTransportModes.Proxy when string.IsNullOrWhiteSpace(request.IpAddress) => "HTTP/HTTPS Proxy needs ipAddress (the proxy's host name or IP)",
            ChpaTransportModes.Proxy when request.Port is not (> 0 and <= 65535) => "HTTP/HTTPS Proxy needs a port from 1 to 65535",
            ChpaTransportModes.Proxy => null,
            ChpaTransportModes.TransportGateway when !Uri.TryCreate(request.Url, UriKind.Absolute, out _) => "Transport Gateway needs url, an absolute URL",
            ChpaTransportModes.TransportGateway => null,
            _ => $"mode must be '{ChpaTransportModes.Direct}', '{ChpaTransportModes.Proxy}' or '{ChpaTransportModes.TransportGateway}'",
        };
        return problem is not null ? null : request.Mode switch
        {
            ChpaTransportModes.Proxy => new UcTransport(request.Mode, Host: request.IpAddress!.Trim(), Port: request.Port),
            ChpaTransportModes.TransportGateway => new UcTransport(request.Mode, Url: request.Url),
            _ => new UcTransport(ChpaTransportModes.Direct),
        };
    }

    private static SetTransportSettingsResponse Passed(SetTransportSettingsResponse answer, UcTransport now, bool changed) => answer with
    {
        ResponseCode = ChpaResponseCode.PASS,
        ResponseReason = ChpaResponseReason.chpaNoError,
        ResponseDescription = changed ? "transport settings changed" : "transport settings already held",
        Mode = now.Mode,
        Url = now.Url ?? "",
        IpAddress = now.Host ?? "",
        Port = now.Port,
        Changed = changed,
    };
}
