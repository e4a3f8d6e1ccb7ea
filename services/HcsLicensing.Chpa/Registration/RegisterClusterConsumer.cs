using HcsLicensing.Chpa.Inventory;
using HcsLicensing.Chpa.LicensingRequests;
using HcsLicensing.Chpa.UcApplications;
using HcsLicensing.Contracts.Chpa;
using MassTransit;

namespace HcsLicensing.Chpa.Registration;

/// <summary>
/// HLM's Registration. The state is read first, so that a register is never sent over one in flight, nor again
/// when its first outcome is unknown; then the register is sent once and the wait for the publisher's restart is
/// handed to <see cref="RegistrationWaits"/>: this consumer returns at once, and <see cref="PollRegistrationConsumer"/>
/// answers the requester when the cluster is registered, failed, or the deadline passed.
/// </summary>
public sealed class RegisterClusterConsumer(ClusterDirectory clusters, IUcApplicationClient uc, RegistrationWaits waits, UnreachablePublisherWait unreachable, ILogger<RegisterClusterConsumer> logger) : IConsumer<RegisterClusterRequest>
{
    public async Task Consume(ConsumeContext<RegisterClusterRequest> context)
    {
        var request = context.Message;
        var answer = new RegisterClusterResponse
        {
            ClusterName = request.ClusterName,
            SessionId = request.SessionId,
            ResponseCode = ChpaResponseCode.FAIL,
            ResponseReason = ChpaResponseReason.chpaInvalidRequest,
            ResponseDescription = "idToken is required",
        };
        if (string.IsNullOrWhiteSpace(request.IdToken))
        {
            await RespondAsync(context, answer);
            return;
        }

        if (await clusters.FindAsync(request.ClusterName, context.CancellationToken) is not { } target)
        {
            await RespondAsync(context, answer with { ResponseReason = ChpaResponseReason.chpaUnknownCluster, ResponseDescription = ChpaReasons.UnknownCluster(request.ClusterName) });
            return;
        }

        var status = await uc.GetStatusAsync(target, context.CancellationToken);
        if (!status.IsOk)
        {
            // Away: off the network, or restarting (maybe on an earlier attempt of this very request). Nothing was sent,
            // so the request is read again later, within UcApplications:UnreachableWaitFor: a restart of an earlier
            // attempt then shows as Inprogress or Registered. Not for a forced register, which would register again
            // over a Registered state: that one waits for the restart below.
            if ((status.Failure == UcFailure.Unreachable || (status.Failure == UcFailure.Restarting && !request.Force))
                && await unreachable.TryAgainLaterAsync(context, "RegisterCluster", request.ClusterName, status.Detail))
            {
                return;
            }

            if (status.Failure == UcFailure.Restarting)
            {
                // Still restarting when that wait is spent: wait for it as for a register whose outcome is unknown.
                await WaitAsync(context, outcomeUnknown: true, ChpaResponseReason.chpaClusterUnreachable, "publisher restarting");
                return;
            }

            await RespondAsync(context, answer with { ResponseReason = ChpaReasons.For(status.Failure), ResponseDescription = status.Detail });
            return;
        }

        var state = status.Value!;
        await clusters.RecordStatusAsync(request.ClusterName, state, context.CancellationToken);
        if (state.RegistrationState == UcRegistrationState.Registered && !request.Force)
        {
            await RespondAsync(context, AlreadyRegistered(answer, state));
            return;
        }

        if (state.RegistrationState == UcRegistrationState.Inprogress)
        {
            await WaitAsync(context, outcomeUnknown: false, null, "a registration is already in progress");
            return;
        }

        var register = await uc.RegisterAsync(target, request.IdToken, request.Force, context.CancellationToken);
        // 503 to the register itself, just after a status read that answered: the application was down and did not take
        // it (a publisher restarting on an earlier register answers the status read with 503 too, handled above). The
        // request is tried again later rather than waited on, within UcApplications:UnreachableWaitFor.
        if (register.Failure == UcFailure.Restarting && await unreachable.TryAgainLaterAsync(context, "RegisterCluster", request.ClusterName, register.Detail))
        {
            return;
        }

        switch (register)
        {
            case { IsOk: true }:
                await WaitAsync(context, outcomeUnknown: false, null, "register accepted; the publisher restarts");
                break;
            case { Failure: UcFailure.Refused, Error: "registration_in_progress" }:
                await WaitAsync(context, outcomeUnknown: false, null, "a registration started meanwhile");
                break;
            case { Failure: UcFailure.Refused, Error: "already_registered" }:
                await RespondAsync(context, AlreadyRegistered(answer, state));
                break;
            case { Failure: UcFailure.CredentialsRefused or UcFailure.Refused }:
                await RespondAsync(context, answer with { ResponseReason = ChpaReasons.For(register.Failure), ResponseDescription = register.Detail });
                break;
            default:
                // Timed out, dropped, 503 or unreadable: the publisher may or may not have taken the register. It is not
                // sent again; the polls read the state and tell.
                await WaitAsync(context, outcomeUnknown: true, ChpaReasons.For(register.Failure), register.Detail);
                break;
        }
    }

    private async Task WaitAsync(ConsumeContext<RegisterClusterRequest> context, bool outcomeUnknown, ChpaResponseReason? cause, string? why)
    {
        await waits.StartAsync(context, outcomeUnknown, cause);
        logger.LogInformation("RegisterCluster {ClusterName}: waiting for the publisher ({Why})", context.Message.ClusterName, why);
    }

    private Task RespondAsync(ConsumeContext<RegisterClusterRequest> context, RegisterClusterResponse response)
    {
        ChpaLog.Answered(logger, "RegisterCluster", response.ClusterName, response.ResponseCode, response.ResponseReason, response.ResponseDescription);
        return context.RespondAsync(response);
    }

    private static RegisterClusterResponse AlreadyRegistered(RegisterClusterResponse answer, UcLicensingStatus state) => answer with
    {
        ResponseCode = ChpaResponseCode.PASS,
        ResponseReason = ChpaResponseReason.chpaNoError,
        ResponseDescription = $"already registered in {state.SmartAccountDomain}/{state.VirtualAccount}",
        RegistrationState = state.RegistrationState,
        AuthorizationState = state.AuthorizationState,
        SmartAccountDomain = state.SmartAccountDomain,
        VirtualAccount = state.VirtualAccount,
        ProductInstanceId = state.ProductInstanceId,
        Changed = false,
    };
}
