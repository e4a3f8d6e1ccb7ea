using HcsLicensing.Contracts.SmartAccounts;
using HcsLicensing.ServiceDefaults.Messaging;
using HcsLicensing.SmartAccountSync.Cssm;
using MassTransit;
using Microsoft.Extensions.Options;

namespace HcsLicensing.SmartAccountSync.Tokens;

/// <summary>
/// Answers GetRegistrationTokenRequest with RegistrationTokenIssued or a typed RegistrationTokenRefused. CSSM away
/// (5xx, throttling, unreachable, after the client's own retries) is waited out for Cssm:UnavailableWaitFor by trying
/// the request again later (<see cref="TryAgainLater"/>); the issuer looks up before it creates, so a later try never
/// makes a second token.
/// </summary>
public sealed class GetRegistrationTokenConsumer(RegistrationTokenIssuer issuer, IOptions<CssmOptions> cssm, TimeProvider clock, ILogger<GetRegistrationTokenConsumer> logger)
    : IConsumer<GetRegistrationTokenRequest>
{
    public async Task Consume(ConsumeContext<GetRegistrationTokenRequest> context)
    {
        var outcome = await issuer.IssueAsync(context.Message, context.CancellationToken);
        if (outcome.Issued is { } issued)
        {
            await context.RespondAsync(issued);
            return;
        }

        var refused = outcome.Refused!;
        if (refused.Reason == RegistrationTokenRefusalReason.CssmUnavailable
            && await TryAgainLater.SendAsync(context, cssm.Value.UnavailableWaitFor, clock) is { } later)
        {
            logger.LogInformation("Registration token for {Domain}/{VirtualAccount}: CSSM is unavailable ({Why}); trying again in {Pause} (waiting since {Since:u})",
                refused.SmartAccountDomain, refused.VirtualAccountName, refused.Detail, later.Pause, later.Since);
            return;
        }

        await context.RespondAsync(refused);
    }
}
