using HcsLicensing.Contracts.LicenseAudit;
using HcsLicensing.ServiceDefaults.Outbox;
using MassTransit;

namespace HcsLicensing.ClusterAssign.LicenseAudit;

/// <summary>
/// Runs license audits. A message with an audit id carries one this service already claimed (HTTP, the period, or a
/// message claimed here); one without comes from another service and is claimed first, or joins the running audit.
/// </summary>
[OwnTransactions("an audit runs for seconds to minutes: its phases must reach JobTracker while it runs, and it waits for CHPA's and SmartAccountSync's answers")]
public sealed class StartLicenseAuditConsumer(LicenseAuditClaim claim, LicenseAuditRunner runner, ILogger<StartLicenseAuditConsumer> logger) : IConsumer<StartLicenseAudit>
{
    public async Task Consume(ConsumeContext<StartLicenseAudit> context)
    {
        if (context.Message.AuditId is { } auditId)
        {
            await runner.RunAsync(auditId, context.CancellationToken);
            return;
        }

        var claimed = await claim.RequestAsync(context.Message.RequestedBy ?? "Message", context.CancellationToken);
        logger.LogInformation("License audit requested by message: {Outcome} {AuditId}", claimed.Joined ? "joins" : "started", claimed.AuditId);
    }
}
