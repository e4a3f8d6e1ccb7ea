using HcsLicensing.Contracts.Jobs;
using HcsLicensing.JobTracker.Data;
using HcsLicensing.ServiceDefaults.Outbox;
using HcsLicensing.ServiceDefaults.Security;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HcsLicensing.JobTracker.Jobs;

/// <summary>HCM-F's Administration &gt; Jobs over HTTP: list, detail, restart, cancel. Errors are RFC 9457 problem details.</summary>
public static class JobsApi
{
    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder endpoints)
    {
        var jobs = endpoints.MapGroup("/jobs").WithTags("Jobs");
        jobs.MapGet("/", ListJobs).RequirePermission(HcsPermissions.Read);
        jobs.MapGet("/{id}", GetJob).RequirePermission(HcsPermissions.Read);
        jobs.MapPost("/{id}/restart", RestartJob).RequirePermission(HcsPermissions.Operate);
        jobs.MapPost("/{id}/cancel", CancelJob).RequirePermission(HcsPermissions.Operate);
        return endpoints;
    }

    private static async Task<Results<Ok<JobPageDto>, ValidationProblem>> ListJobs(
        string? status, string? entityName, string? page, string? pageSize, JobTrackerDbContext db, CancellationToken cancellationToken)
    {
        if (!JobListQuery.TryRead(status, entityName, page, pageSize, out var query, out var errors))
        {
            return TypedResults.ValidationProblem(errors);
        }

        var jobs = db.Jobs.AsNoTracking();
        if (query.Status is { } wanted)
        {
            jobs = jobs.Where(job => job.Status == wanted);
        }

        if (query.EntityName is { } entity)
        {
            jobs = jobs.Where(job => job.EntityName == entity);
        }

        var total = await jobs.CountAsync(cancellationToken);
        var items = await jobs
            .OrderByDescending(job => job.InitiatedAt).ThenByDescending(job => job.CorrelationId)
            .Skip((query.Page - 1) * query.PageSize).Take(query.PageSize) // bounded by Paging: no overflow
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new JobPageDto([.. items.Select(JobDto.From)], query.Page, query.PageSize, total));
    }

    private static async Task<Results<Ok<JobDto>, ProblemHttpResult, ValidationProblem>> GetJob(string id, JobTrackerDbContext db, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var jobId))
        {
            return MalformedId(id);
        }

        var job = await db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.CorrelationId == jobId, cancellationToken);
        return job is null ? NotFound(jobId) : TypedResults.Ok(JobDto.From(job));
    }

    private static Task<Results<Accepted<JobCommandAcceptedDto>, ProblemHttpResult, ValidationProblem>> RestartJob(
        string id, HttpContext http, JobTrackerDbContext db, TransactionalOutbox<JobTrackerDbContext> outbox, CancellationToken cancellationToken) =>
        SendCommand(id, db, JobRules.WhyNotRestartable, "cannot be restarted", jobId => outbox.Publish.Publish(new RestartJob { JobId = jobId, RequestedBy = CallerIdentity.Of(http.User) }, cancellationToken), outbox, JobRules.RestartCommand, cancellationToken);

    private static Task<Results<Accepted<JobCommandAcceptedDto>, ProblemHttpResult, ValidationProblem>> CancelJob(
        string id, HttpContext http, JobTrackerDbContext db, TransactionalOutbox<JobTrackerDbContext> outbox, CancellationToken cancellationToken) =>
        SendCommand(id, db, JobRules.WhyNotCancelable, "cannot be canceled", jobId => outbox.Publish.Publish(new CancelJob { JobId = jobId, RequestedBy = CallerIdentity.Of(http.User) }, cancellationToken), outbox, JobRules.CancelCommand, cancellationToken);

    /// <summary>
    /// Checks the job's current state to answer 404/409 at once, then publishes the command through the outbox (202
    /// once it is committed, so it will reach the saga): the saga checks again, since the job may change in between (it
    /// then publishes JobCommandRejected).
    /// </summary>
    private static async Task<Results<Accepted<JobCommandAcceptedDto>, ProblemHttpResult, ValidationProblem>> SendCommand(
        string id, JobTrackerDbContext db, Func<JobState, string?> whyNot, string refusal, Func<Guid, Task> publish, TransactionalOutbox<JobTrackerDbContext> outbox, string command, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var jobId))
        {
            return MalformedId(id);
        }

        var job = await db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.CorrelationId == jobId, cancellationToken);
        if (job is null)
        {
            return NotFound(jobId);
        }

        if (whyNot(job) is { } reason)
        {
            return TypedResults.Problem(title: $"Job {refusal}", detail: reason, statusCode: StatusCodes.Status409Conflict);
        }

        await publish(jobId);
        await outbox.SaveChangesAsync(cancellationToken);
        return TypedResults.Accepted($"/jobs/{jobId}", new JobCommandAcceptedDto(jobId, command));
    }

    private static ProblemHttpResult NotFound(Guid jobId) =>
        TypedResults.Problem(title: "Job not found", detail: $"job {jobId} not found", statusCode: StatusCodes.Status404NotFound);

    private static ValidationProblem MalformedId(string id) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = [$"'{id}' is not a job id (a GUID)"] });
}
