using HcsLicensing.ClusterAssign.Data;
using HcsLicensing.ClusterAssign.Operations;
using HcsLicensing.Contracts.ClusterAssignments;
using HcsLicensing.ServiceDefaults.Messaging;
using HcsLicensing.ServiceDefaults.Outbox;

namespace HcsLicensing.ClusterAssign.LicenseAudit;

/// <summary>
/// Starts the repair of a finding: its request to the ClusterOperation saga's queue as a row of the outbox, and the
/// job's id on the finding, both saved by the caller's next save. The request id is the finding's and its last
/// audit's, so a repeated request (or a bulk repair naming it again) finds the same job.
/// </summary>
public sealed class LicenseRepairStarter(TransactionalOutbox<ClusterAssignDbContext> outbox, EndpointAddresses addresses)
{
    /// <summary>The repair started, or why none was: a closed finding, or a type without a repair job.</summary>
    public async Task<(LicenseRepair? Repair, Guid JobId, string? Refusal, int Status)> StartAsync(LicenseFinding finding, string? requestedBy, CancellationToken cancellationToken)
    {
        if (finding.Status != LicenseFinding.Open)
        {
            return (null, Guid.Empty, $"finding {finding.Id} was closed at {finding.ClosedAt:u}: the last audit no longer saw it", StatusCodes.Status409Conflict);
        }

        if (LicenseRepairs.For(finding) is not { } repair)
        {
            return (null, Guid.Empty, LicenseRepairs.NoRepair(finding), StatusCodes.Status422UnprocessableEntity);
        }

        var requestId = $"license-repair-{finding.Id:N}-{finding.LastAuditId:N}";
        object request = repair.Operation == ClusterOperationType.Reassignment
            ? new ClusterReassignmentRequest { RequestId = requestId, ClusterName = finding.ClusterName, SmartAccountDomain = repair.SmartAccountDomain, VirtualAccountName = repair.VirtualAccount, RequestedBy = requestedBy, ReRegister = repair.ReRegister }
            : new ClusterAssignmentRequest { RequestId = requestId, ClusterName = finding.ClusterName, SmartAccountDomain = repair.SmartAccountDomain, VirtualAccountName = repair.VirtualAccount, RequestedBy = requestedBy };
        var saga = await outbox.Send.GetSendEndpoint(addresses.Queue(ClusterAssignQueues.Operations));
        await saga.Send(request, request.GetType(), cancellationToken);
        var jobId = ClusterKeys.ForJob(requestId, finding.ClusterName);
        finding.RepairJobId = jobId;
        return (repair, jobId, null, StatusCodes.Status202Accepted);
    }
}
