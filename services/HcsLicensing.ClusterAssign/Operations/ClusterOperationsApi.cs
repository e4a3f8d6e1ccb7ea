using HcsLicensing.ClusterAssign.Data;
using HcsLicensing.Contracts.ClusterAssignments;
using HcsLicensing.ServiceDefaults.Security;
using HcsLicensing.ServiceDefaults.Validation;
using MassTransit;
using HcsLicensing.ServiceDefaults.Outbox;
using Microsoft.Extensions.Options;

namespace HcsLicensing.ClusterAssign.Operations;

/// <summary>
/// The operator's entry points. Each single operation is the same ClusterAssignmentRequest another service would send;
/// the answer (after Verification) becomes 202 with the job's location, or a problem naming the reason. If Verification
/// takes longer than AnswerWait, 202 comes anyway: the job runs, and JobTracker shows how it ends. The job's requestedBy is
/// the caller the token names, never a body field.
/// </summary>
public static class ClusterOperationsApi
{
    public static IEndpointRouteBuilder MapClusterOperationsApi(this IEndpointRouteBuilder endpoints)
    {
        var clusters = endpoints.MapGroup("/clusters").WithTags("Cluster operations").RequirePermission(HcsPermissions.Operate);
        clusters.MapPost("/{clusterName}/assignment", Assign);
        clusters.MapPost("/{clusterName}/unassignment", Unassign);
        clusters.MapPost("/{clusterName}/reassignment", Reassign);
        endpoints.MapPost("/virtual-accounts/{smartAccountDomain}/{virtualAccount}/clusters", AssignBatch).WithTags("Cluster operations").RequirePermission(HcsPermissions.Operate);
        return endpoints;
    }

    private static Task<IResult> Assign(string clusterName, AssignmentBody? body, HttpContext http, IRequestClient<ClusterAssignmentRequest> client, JobLinks links, IOptions<ClusterAssignOptions> options, CancellationToken cancellationToken)
    {
        if (Target(clusterName, body) is { } invalid)
        {
            return Task.FromResult<IResult>(invalid);
        }

        var request = new ClusterAssignmentRequest
        {
            RequestId = RequestIdOf(body!.RequestId),
            ClusterName = clusterName.Trim(),
            SmartAccountDomain = body.SmartAccountDomain!.Trim(),
            VirtualAccountName = body.VirtualAccount!.Trim(),
            RequestedBy = CallerIdentity.Of(http.User),
        };
        return SubmitAsync(client, request, request.RequestId, request.ClusterName, ClusterOperationType.Assignment, links, options.Value, cancellationToken);
    }

    private static Task<IResult> Unassign(string clusterName, UnassignmentBody? body, HttpContext http, IRequestClient<ClusterUnassignmentRequest> client, JobLinks links, IOptions<ClusterAssignOptions> options, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        CheckCommon(clusterName, body?.RequestId, errors);
        if (errors.Count > 0)
        {
            return Task.FromResult<IResult>(TypedResults.ValidationProblem(errors));
        }

        var request = new ClusterUnassignmentRequest
        {
            RequestId = RequestIdOf(body?.RequestId),
            ClusterName = clusterName.Trim(),
            RequestedBy = CallerIdentity.Of(http.User),
        };
        return SubmitAsync(client, request, request.RequestId, request.ClusterName, ClusterOperationType.Unassignment, links, options.Value, cancellationToken);
    }

    private static Task<IResult> Reassign(string clusterName, AssignmentBody? body, HttpContext http, IRequestClient<ClusterReassignmentRequest> client, JobLinks links, IOptions<ClusterAssignOptions> options, CancellationToken cancellationToken)
    {
        if (Target(clusterName, body) is { } invalid)
        {
            return Task.FromResult<IResult>(invalid);
        }

        var request = new ClusterReassignmentRequest
        {
            RequestId = RequestIdOf(body!.RequestId),
            ClusterName = clusterName.Trim(),
            SmartAccountDomain = body.SmartAccountDomain!.Trim(),
            VirtualAccountName = body.VirtualAccount!.Trim(),
            RequestedBy = CallerIdentity.Of(http.User),
        };
        return SubmitAsync(client, request, request.RequestId, request.ClusterName, ClusterOperationType.Reassignment, links, options.Value, cancellationToken);
    }

    private static async Task<IResult> AssignBatch(
        string smartAccountDomain, string virtualAccount, BatchAssignmentBody? body, HttpContext http,
        TransactionalOutbox<ClusterAssignDbContext> outbox, ServiceDefaults.Messaging.EndpointAddresses addresses,
        JobLinks links, IOptions<ClusterAssignOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var clusters = body?.Clusters?.Select(c => c?.Trim() ?? "").ToList() ?? [];
        var errors = new Dictionary<string, string[]>();
        if (clusters.Count == 0)
        {
            errors["clusters"] = ["name at least one cluster"];
        }
        else if (clusters.Any(string.IsNullOrEmpty))
        {
            errors["clusters"] = ["a cluster name is empty"];
        }
        else if (clusters.Any(c => c.Length > InputLimits.ClusterName))
        {
            errors["clusters"] = [$"a cluster name is longer than {InputLimits.ClusterName} characters"];
        }
        else if (clusters.Count > settings.BatchLimit)
        {
            errors["clusters"] = [$"at most {settings.BatchLimit} clusters in one request"];
        }
        else if (clusters.GroupBy(c => c, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            errors["clusters"] = [$"{twice.Key} is named twice"];
        }

        if (body?.Concurrency is < 1 or > 64)
        {
            errors["concurrency"] = ["must be from 1 to 64"];
        }

        CheckLength(smartAccountDomain, "smartAccountDomain", InputLimits.SmartAccountDomain, errors);
        CheckLength(virtualAccount, "virtualAccount", InputLimits.VirtualAccountName, errors);
        CheckLength(body?.RequestId, "requestId", InputLimits.RequestId, errors);

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var requestId = RequestIdOf(body!.RequestId);
        var requestedBy = CallerIdentity.Of(http.User);
        var now = clock.GetUtcNow();
        // Every job is listed at once (queued), then C lanes start; each job's end starts the next of its lane. All of it
        // is one commit of the outbox: a 202 means every job and lane will go out, whether or not the client stays.
        foreach (var cluster in clusters)
        {
            await outbox.Publish.Publish(ClusterOperationFlow.Announce(cluster, requestId, smartAccountDomain, virtualAccount, now, requestedBy), cancellationToken);
        }

        var concurrency = Math.Min(body.Concurrency ?? settings.BatchConcurrency, clusters.Count);
        var saga = await outbox.Send.GetSendEndpoint(addresses.Queue(ClusterAssignQueues.Operations));
        for (var lane = 0; lane < concurrency; lane++)
        {
            var laneClusters = clusters.Where((_, i) => i % concurrency == lane).ToList();
            await saga.Send(new AssignClusterInBatch
            {
                RequestId = requestId,
                ClusterName = laneClusters[0],
                SmartAccountDomain = smartAccountDomain,
                VirtualAccountName = virtualAccount,
                RequestedBy = requestedBy,
                Remaining = laneClusters.Skip(1).ToList(),
            }, cancellationToken);
        }

        await outbox.SaveChangesAsync(cancellationToken);
        var jobs = clusters.Select(c => ClusterKeys.ForJob(requestId, c)).Zip(clusters, (job, c) => new BatchJob(c, job, links.For(job))).ToList();
        return TypedResults.Accepted((string?)null, new BatchAccepted(requestId, concurrency, jobs));
    }

    private static async Task<IResult> SubmitAsync<TRequest>(
        IRequestClient<TRequest> client, TRequest request, string requestId, string clusterName, ClusterOperationType operation,
        JobLinks links, ClusterAssignOptions options, CancellationToken cancellationToken)
        where TRequest : class
    {
        var jobId = ClusterKeys.ForJob(requestId, clusterName);
        try
        {
            // The request client would give the request a time-to-live equal to the wait, and a queue busier than that
            // would drop it after we answered 202 with its job id: the request must outlive the wait.
            var response = await client.GetResponse<ClusterAssignmentResp>(
                request,
                pipe => pipe.UseExecute(send => send.TimeToLive = null),
                cancellationToken,
                RequestTimeout.After(ms: (int)options.AnswerWait.TotalMilliseconds));
            return ClusterAnswers.ToResult(response.Message, links);
        }
        catch (RequestTimeoutException)
        {
            var url = links.For(jobId);
            return TypedResults.Accepted(url, new OperationAccepted(jobId, url, clusterName, operation.ToString(), requestId, Verified: false, Duplicate: false,
                "accepted; Verification has not answered yet: follow the job"));
        }
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ValidationProblem? Target(string clusterName, AssignmentBody? body)
    {
        var errors = new Dictionary<string, string[]>();
        CheckCommon(clusterName, body?.RequestId, errors);
        CheckLength(body?.SmartAccountDomain, "smartAccountDomain", InputLimits.SmartAccountDomain, errors);
        CheckLength(body?.VirtualAccount, "virtualAccount", InputLimits.VirtualAccountName, errors);
        if (string.IsNullOrWhiteSpace(body?.SmartAccountDomain))
        {
            errors["smartAccountDomain"] = ["is required, e.g. \"hcs-demo.example.com\""];
        }

        if (string.IsNullOrWhiteSpace(body?.VirtualAccount))
        {
            errors["virtualAccount"] = ["is required, e.g. \"HCS-DEMO\""];
        }

        return errors.Count > 0 ? TypedResults.ValidationProblem(errors) : null;
    }

    /// <summary>The fields every operation has: the cluster in the path and the request id (who asked is the caller's token).</summary>
    private static void CheckCommon(string clusterName, string? requestId, Dictionary<string, string[]> errors)
    {
        CheckLength(clusterName, "clusterName", InputLimits.ClusterName, errors);
        CheckLength(requestId, "requestId", InputLimits.RequestId, errors);
    }

    /// <summary>Every string is bounded by the column it ends up in (InputLimits); the value is not echoed.</summary>
    private static void CheckLength(string? value, string field, int max, Dictionary<string, string[]> errors)
    {
        if (value is not null && value.Trim().Length > max)
        {
            errors[field] = [$"must be at most {max} characters"];
        }
    }

    private static string RequestIdOf(string? requestId) => string.IsNullOrWhiteSpace(requestId) ? NewId.NextGuid().ToString() : requestId.Trim();
}
