using HcsLicensing.Chpa.Inventory;
using HcsLicensing.Chpa.UcApplications;
using HcsLicensing.Contracts.Chpa;
using MassTransit;

namespace HcsLicensing.Chpa.LicensingRequests;

/// <summary>
/// HLM's Verification: reachable, both credentials accepted (platform API for the version, licensing API for the
/// state), version 12.5 or later. The licensing state is reported whenever it was read, also on FAIL.
/// </summary>
public sealed class VerifyClusterConsumer(ClusterDirectory clusters, IUcApplicationClient uc, UnreachablePublisherWait unreachable, ILogger<VerifyClusterConsumer> logger) : IConsumer<VerifyClusterRequest>
{
    public async Task Consume(ConsumeContext<VerifyClusterRequest> context)
    {
        var response = await VerifyAsync(context.Message, context.CancellationToken);
        if (response.ResponseReason == ChpaResponseReason.chpaClusterUnreachable
            && await unreachable.TryAgainLaterAsync(context, "VerifyCluster", response.ClusterName, response.ResponseDescription))
        {
            return;
        }

        ChpaLog.Answered(logger, "VerifyCluster", response.ClusterName, response.ResponseCode, response.ResponseReason, response.ResponseDescription);
        await context.RespondAsync(response);
    }

    private async Task<VerifyClusterResponse> VerifyAsync(VerifyClusterRequest request, CancellationToken cancellationToken)
    {
        var answer = new VerifyClusterResponse
        {
            ClusterName = request.ClusterName,
            SessionId = request.SessionId,
            ResponseCode = ChpaResponseCode.FAIL,
            ResponseReason = ChpaResponseReason.chpaUnknownCluster,
            ResponseDescription = ChpaReasons.UnknownCluster(request.ClusterName),
        };
        if (await clusters.FindAsync(request.ClusterName, cancellationToken) is not { } target)
        {
            return answer;
        }

        var platform = await uc.GetPlatformVersionAsync(target, cancellationToken);
        if (!platform.IsOk)
        {
            return Failed(answer, platform.Failure, platform.Detail);
        }

        var status = await uc.GetStatusAsync(target, cancellationToken);
        if (!status.IsOk)
        {
            return Failed(answer, status.Failure, status.Detail);
        }

        var state = status.Value!;
        await clusters.RecordStatusAsync(request.ClusterName, state, cancellationToken);
        var version = platform.Value!.ActiveVersion;
        var supported = UcVersion.TryParse(version, out var parsed) && parsed >= UcVersion.SmartLicensingMinimum;
        return answer with
        {
            ResponseCode = supported ? ChpaResponseCode.PASS : ChpaResponseCode.FAIL,
            ResponseReason = supported ? ChpaResponseReason.chpaNoError : ChpaResponseReason.chpaVersionUnsupported,
            ResponseDescription = supported ? null : $"{request.ClusterName} runs {version}; Smart Licensing through HCM-F needs {UcVersion.SmartLicensingMinimum} or later",
            Reachable = true,
            CredentialsAccepted = true,
            ApplicationType = platform.Value.ProductType ?? state.ProductType,
            Version = version,
            VersionSupported = supported,
            LicenseMode = state.LicenseMode,
            TransportMode = state.Transport.Mode,
            RegistrationState = state.RegistrationState,
            AuthorizationState = state.AuthorizationState,
            SmartAccountDomain = state.SmartAccountDomain,
            VirtualAccount = state.VirtualAccount,
        };
    }

    private static VerifyClusterResponse Failed(VerifyClusterResponse answer, UcFailure? failure, string? detail) => answer with
    {
        ResponseReason = ChpaReasons.For(failure),
        ResponseDescription = detail,
        Reachable = ChpaReasons.Answered(failure),
    };
}
