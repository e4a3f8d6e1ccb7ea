using System.Security.Cryptography;
using HcsLicensing.Contracts.Jobs;
using HcsLicensing.Contracts.SmartAccounts;
using HcsLicensing.SmartAccountSync.Cssm;
using HcsLicensing.SmartAccountSync.Data;
using HcsLicensing.SmartAccountSync.SmartAccounts;
using HcsLicensing.SmartAccountSync.Transport;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Refit;

namespace HcsLicensing.SmartAccountSync.Sync;

/// <summary>
/// Runs a claimed sync as a job: Authentication, Fetch Virtual Accounts, Update Virtual Accounts, each reported to
/// JobTracker. A CSSM failure (after the client's retries) fails the job with the reason; a database failure is
/// thrown so that the message is retried, and the run stays claimed meanwhile.
/// </summary>
public sealed class SyncRunner(
    SmartAccountSyncDbContext db,
    VirtualAccountSync sync,
    BearerTokenCache tokens,
    ClientSecretProtector secrets,
    CssmRouteSource routes,
    SyncCoordinator coordinator,
    SyncJobEvents jobs,
    TimeProvider clock,
    ILogger<SyncRunner> logger)
{
    public async Task RunAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var run = await db.SyncRuns.AsNoTracking().SingleOrDefaultAsync(r => r.JobId == jobId, cancellationToken);
        if (run is not { Status: SyncRun.Running })
        {
            // Another delivery of the same request already finished it, or it belongs to another deployment.
            logger.LogDebug("Sync job {JobId} is not running here ({Status}); nothing to do", jobId, run?.Status ?? "unknown");
            return;
        }

        var account = await db.SmartAccounts.AsNoTracking().SingleAsync(a => a.Id == run.SmartAccountId, cancellationToken);
        await jobs.CreatedAsync(jobId, account.Name, cancellationToken);
        var step = SyncJobEvents.Authentication;
        // The route the sync's calls take (the routing handler reads the same cached settings); named in the job.
        var route = await routes.GetAsync(account.Domain, cancellationToken);
        try
        {
            await jobs.StepAsync(jobId, step, JobStepStatus.Inprogress, null, cancellationToken);
            var credentials = secrets.CredentialsOf(account);
            await tokens.GetAsync(credentials, cancellationToken);
            await jobs.StepAsync(jobId, step, JobStepStatus.Pass,
                $"Authenticated at CSSM as API client {account.ClientId}, {route.Describe()} to {route.TokenUrl.GetLeftPart(UriPartial.Authority)}", cancellationToken);

            step = SyncJobEvents.FetchVirtualAccounts;
            await HeartbeatAsync(jobId, step, cancellationToken);
            var fetched = await sync.FetchAsync(account, credentials, cancellationToken);
            await jobs.StepAsync(jobId, step, JobStepStatus.Pass,
                $"{fetched.Active.Count + fetched.Satellite.Count} virtual accounts in CSSM, {fetched.Satellite.Count} synced via satellite (ignored)", cancellationToken);

            step = SyncJobEvents.UpdateVirtualAccounts;
            await HeartbeatAsync(jobId, step, cancellationToken);
            // The data, the run's end and the job's events commit together: a crash cannot leave the job In Progress.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (await sync.StoreAsync(account, fetched, jobId, cancellationToken) is not { } counts)
            {
                logger.LogWarning("Sync job {JobId} of smart account {Domain} was closed as abandoned while it ran; its result is dropped", jobId, account.Domain);
                return;
            }

            await jobs.StepAsync(jobId, step, JobStepStatus.Pass, $"{counts.Added} added, {counts.Updated} updated, {counts.Removed} removed", cancellationToken);
            await jobs.SucceededAsync(jobId, account.Name, cancellationToken);
            await jobs.PublishAsync(jobId, new VirtualAccountsSynced
            {
                SmartAccountId = account.Id,
                SmartAccountDomain = account.Domain,
                SmartAccountName = account.Name,
                JobId = jobId,
                VirtualAccounts = counts.VirtualAccounts,
                Added = counts.Added,
                Updated = counts.Updated,
                Removed = counts.Removed,
                SkippedSatellite = counts.SkippedSatellite,
                CompletedAt = clock.GetUtcNow(),
            }, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            logger.LogInformation(
                "Synced smart account {Domain}: {VirtualAccounts} virtual accounts ({Added} added, {Updated} updated, {Removed} removed, {Satellite} via satellite ignored)",
                account.Domain, counts.VirtualAccounts, counts.Added, counts.Updated, counts.Removed, counts.SkippedSatellite);
        }
        catch (Exception exception) when (IsCssmFailure(exception) && !cancellationToken.IsCancellationRequested)
        {
            var (error, action) = Explain(exception, route, step == SyncJobEvents.Authentication ? route.TokenUrl : route.SwapiBaseUrl);
            logger.LogWarning("Sync job {JobId} of smart account {Domain} failed at {Step}: {Error}", jobId, account.Domain, step, error);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (await coordinator.FailAsync(jobId, error, cancellationToken) > 0)
            {
                await jobs.StepAsync(jobId, step, JobStepStatus.Fail, error, cancellationToken);
                await jobs.FailedAsync(jobId, step, error, action, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
    }

    private static bool IsCssmFailure(Exception exception) =>
        exception is CssmAuthenticationException or ApiException or CryptographicException || CssmErrors.IsUnavailable(exception);

    private static (string Error, string Action) Explain(Exception exception, CssmRoute route, Uri target) => RouteFailure.FromException(exception, route, target) switch
    {
        { Reason: RouteFailure.ProxyUnreachable or RouteFailure.ProxyAuthenticationRequired } failure =>
            (failure.Detail, "Correct the proxy in the transport settings (save with verification), then sync the smart account again"),
        { } failure => (failure.Detail, "Check the transport settings (route and URLs) and that CSSM is reachable, then sync the smart account again"),
        _ => Explain(exception, route),
    };

    private static (string Error, string Action) Explain(Exception exception, CssmRoute route) => exception switch
    {
        CssmAuthenticationException => (CssmErrors.Describe(exception), "Check the API client's Client ID and Client Secret in CSSM, then configure the smart account again"),
        CryptographicException => ("The stored client secret can no longer be decrypted (the Data Protection key ring changed)", "Configure the smart account again"),
        ApiException { StatusCode: System.Net.HttpStatusCode.Forbidden or System.Net.HttpStatusCode.NotFound } =>
            (CssmErrors.Describe(exception), "Check that the API client still has access to the smart account in CSSM"),
        _ => ($"{CssmErrors.Describe(exception)} ({route.Describe()})", "Check that CSSM is reachable (transport settings, proxy), then sync the smart account again"),
    };

    private async Task HeartbeatAsync(Guid jobId, string step, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await db.SyncRuns.Where(r => r.JobId == jobId).ExecuteUpdateAsync(set => set.SetProperty(r => r.HeartbeatAt, now), cancellationToken);
        await jobs.StepAsync(jobId, step, JobStepStatus.Inprogress, null, cancellationToken);
    }
}
