namespace HcsLicensing.ClusterAssign.Operations;

// No requestedBy field: who asks is the caller the bearer token names (CallerIdentity), which a body cannot claim.

/// <summary>POST /clusters/{clusterName}/assignment and /reassignment.</summary>
public sealed record AssignmentBody(string? SmartAccountDomain, string? VirtualAccount, string? RequestId);

/// <summary>POST /clusters/{clusterName}/unassignment.</summary>
public sealed record UnassignmentBody(string? RequestId);

/// <summary>POST /virtual-accounts/{smartAccountDomain}/{virtualAccount}/clusters: several clusters, one job each.</summary>
public sealed record BatchAssignmentBody(IReadOnlyList<string>? Clusters, string? RequestId, int? Concurrency);

/// <summary>202 to a single operation: the job to follow in JobTracker.</summary>
public sealed record OperationAccepted(Guid JobId, string JobUrl, string ClusterName, string Operation, string RequestId, bool Verified, bool Duplicate, string? Description);

/// <summary>One cluster of a batch and its job.</summary>
public sealed record BatchJob(string ClusterName, Guid JobId, string JobUrl);

/// <summary>202 to a batch.</summary>
public sealed record BatchAccepted(string RequestId, int Concurrency, IReadOnlyList<BatchJob> Jobs);
