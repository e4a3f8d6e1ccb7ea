using HcsLicensing.Contracts.SmartAccounts;
using MassTransit;

namespace HcsLicensing.SmartAccountSync.Tokens;

/// <summary>Answers GetRegistrationTokenRequest with RegistrationTokenIssued or a typed RegistrationTokenRefused.</summary>
public sealed class GetRegistrationTokenConsumer(RegistrationTokenIssuer issuer) : IConsumer<GetRegistrationTokenRequest>
{
    public async Task Consume(ConsumeContext<GetRegistrationTokenRequest> context)
    {
        var outcome = await issuer.IssueAsync(context.Message, context.CancellationToken);
        if (outcome.Issued is { } issued)
        {
            await context.RespondAsync(issued);
        }
        else
        {
            await context.RespondAsync(outcome.Refused!);
        }
    }
}
