using HcsLicensing.Contracts.Chpa;
using MassTransit;

namespace HcsLicensing.Chpa.LicensingRequests;

/// <summary>
/// A Verification for the license audit, on <see cref="ChpaEndpoint.LicenseAuditName"/>: the same work and answer as
/// <see cref="VerifyClusterConsumer"/>, only another queue (a consumer type binds to one endpoint).
/// </summary>
public sealed class LicenseAuditVerifyConsumer(VerifyClusterConsumer verify) : IConsumer<VerifyClusterRequest>
{
    public Task Consume(ConsumeContext<VerifyClusterRequest> context) => verify.Consume(context);
}
