using System.Security.Cryptography;
using HcsLicensing.Contracts.Jobs;
using HcsLicensing.Contracts.SmartAccounts;
using HcsLicensing.SmartAccountSync.Cssm;
using HcsLicensing.SmartAccountSync.Data;
using HcsLicensing.SmartAccountSync.Licenses;
using HcsLicensing.SmartAccountSync.SmartAccounts;
using HcsLicensing.SmartAccountSync.Transport;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Refit;

namespace HcsLicensing.SmartAccountSync.Sync;

/// <summary>
/// Runs a claimed sync as a job: Authentication, Fetch Virtual Accounts, Fetch Licenses, Update Virtual Accounts, each reported to
/// JobTracker. A CSSM failure (after the client's retries) fails the job with the reason (restartable from JobTracker:
/// the run then comes back here as the next attempt); a database failure is thrown so that the message is retried, and
/// the run stays claimed meanwhile. Until it stores its result, an operator's cancel stops it.
/// </summary>
public sealed class SyncRunner(
    SmartAccountSyncDbContext db,
    VirtualAccountSync sync,
    LicenseSync licenses,
    BearerTokenCache tokens,
    ClientSecretProtector secrets,
    CssmRouteSource routes,
    SyncCoordinator coordinator,
    SyncJobEvents jobs,
    IServiceScopeFactory scopes,
    IOptions<SyncOptions> options,
    TimeProvider clock,
    ILogger<SyncRunner> logger)
{
    public async Task RunAsync(Guid jobId, string? requestedBy, CancellationToken cancellationToken)
    {
        var run = await db.SyncRuns.AsNoTracking().SingleOrDefaultAsync(r => r.JobId == jobId, cancellationToken);
        if (run is not { Status: SyncRun.Running })
        {
            // Another delivery of the same request already finished it, or it belongs to another deployment.
            logger.LogDebug("Sync job {JobId} is not running here ({Status}); nothing to do", jobId, run?.Status ?? "unknown");
            return;
        }

        var attempt = run.Attempt;
        var account = await db.SmartAccounts.AsNoTracking().SingleAsync(a => a.Id == run.SmartAccountId, cancellationToken);
        if (attempt == 1)
        {
            await jobs.CreatedAsync(jobId, account.Name, requestedBy, cancellationToken);
        }

        var step = SyncJobEvents.Authentication;
        // The route the sync's calls take (the routing handler reads the same cached settings); named in the job.
        var route = await routes.GetAsync(account.Domain, cancellationToken);
        // The CSSM calls stop on an operator's cancel; storing the result (a short transaction) does not.
        using var canceled = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watcher = WatchForCancelAsync(jobId, canceled, watching.Token);
        try
        {
            // A restarted job's JobCreated is JobTracker's already: its first step tells that it may be canceled again.
            await jobs.StepAsync(jobId, attempt, step, JobStepStatus.Inprogress, null, cancellationToken, cancelable: attempt > 1 ? true : null);
            var credentials = secrets.CredentialsOf(account);
            await tokens.GetAsync(credentials, canceled.Token);
            await jobs.StepAsync(jobId, attempt, step, JobStepStatus.Pass,
                $"Authenticated at CSSM as API client {account.ClientId}, {route.Describe()} to {route.TokenUrl.GetLeftPart(UriPartial.Authority)}", cancellationToken);

            step = SyncJobEvents.FetchVirtualAccounts;
            await HeartbeatAsync(jobId, attempt, step, cancellationToken);
            var fetched = await sync.FetchAsync(account, credentials, canceled.Token);
            await jobs.StepAsync(jobId, attempt, step, JobStepStatus.Pass,
                $"{fetched.Active.Count + fetched.Satellite.Count} virtual accounts in CSSM, {fetched.Satellite.Count} synced via satellite (ignored)", cancellationToken);

            step = SyncJobEvents.FetchLicenses;
            await HeartbeatAsync(jobId, attempt, step, cancellationToken);
            var kept = fetched.Active.Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
            fetched = fetched with { Licenses = await licenses.FetchAsync(account, credentials, kept, canceled.Token) };
            await jobs.StepAsync(jobId, attempt, step, JobStepStatus.Pass,
                $"{fetched.Licenses.Count} license lines, {fetched.Licenses.Count(l => LicenseUsage.IsShort(l.Available, l.Status))} short", cancellationToken);

            await watching.CancelAsync();
            await watcher;
            canceled.Token.ThrowIfCancellationRequested();
            step = SyncJobEvents.UpdateVirtualAccounts;
            await HeartbeatAsync(jobId, attempt, step, cancellationToken, cancelable: false);
            // The data, the run's end and the job's events commit together: a crash cannot leave the job In Progress.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (await sync.StoreAsync(account, fetched, jobId, cancellationToken) is not { } counts)
            {
                logger.LogWarning("Sync job {JobId} of smart account {Domain} was closed as abandoned while it ran; its result is dropped", jobId, account.Domain);
                return;
            }

            await jobs.StepAsync(jobId, attempt, step, JobStepStatus.Pass,
                $"{counts.Added} added, {counts.Updated} updated, {counts.Removed} removed; {counts.LicenseLines} license lines " +
                $"({counts.LicenseChanges.Added} added, {counts.LicenseChanges.Changed} changed, {counts.LicenseChanges.Removed} removed)", cancellationToken);
            await jobs.SucceededAsync(jobId, attempt, account.Name, cancellationToken);
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
        catch (OperationCanceledException) when (canceled.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            await CancelAsync(jobId, attempt, step, account, cancellationToken);
        }
        catch (Exception exception) when (IsCssmFailure(exception) && !canceled.IsCancellationRequested)
        {
            var (error, action) = Explain(exception, route, step == SyncJobEvents.Authentication ? route.TokenUrl : route.SwapiBaseUrl);
            logger.LogWarning("Sync job {JobId} of smart account {Domain} failed at {Step}: {Error}", jobId, account.Domain, step, error);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (await coordinator.FailAsync(jobId, error, cancellationToken) > 0)
            {
                await jobs.StepAsync(jobId, attempt, step, JobStepStatus.Fail, error, cancellationToken);
                await jobs.FailedAsync(jobId, attempt, step, error, action, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            await watching.CancelAsync();
            await watcher;
        }
    }

    /// <summary>Closes the run as Canceled and tells JobTracker, together.</summary>
    private async Task CancelAsync(Guid jobId, int attempt, string step, SmartAccount account, CancellationToken cancellationToken)
    {
        var requestedBy = await db.SyncRuns.Where(r => r.JobId == jobId).Select(r => r.CancelRequestedBy).SingleAsync(cancellationToken);
        var reason = $"Canceled by {requestedBy ?? "an operator"} during {step}";
        logger.LogInformation("Sync job {JobId} of smart account {Domain}: {Reason}", jobId, account.Domain, reason);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await coordinator.CloseAsync(jobId, SyncRun.Canceled, reason, cancellationToken) > 0)
        {
            await jobs.CanceledAsync(jobId, attempt, reason, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Looks every <see cref="SyncOptions.CancelCheckInterval"/> whether the run was asked to cancel (on whichever
    /// instance the request arrived) and cancels <paramref name="canceled"/> when it was. Its own DbContext: the
    /// sync's is busy meanwhile.
    /// </summary>
    private async Task WatchForCancelAsync(Guid jobId, CancellationTokenSource canceled, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(options.Value.CancelCheckInterval, clock, stop);
                await using var scope = scopes.CreateAsyncScope();
                var runs = scope.ServiceProvider.GetRequiredService<SmartAccountSyncDbContext>();
                if (await runs.SyncRuns.AnyAsync(r => r.JobId == jobId && r.CancelRequested, stop))
                {
                    await canceled.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The sync got past the point where it can be canceled, or ended.
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A database hiccup must not fail the sync; the cancel is then missed, which the operator sees.
            logger.LogWarning(exception, "Sync job {JobId} stopped looking for a cancel request", jobId);
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

    private async Task HeartbeatAsync(Guid jobId, int attempt, string step, CancellationToken cancellationToken, bool? cancelable = null)
    {
        var now = clock.GetUtcNow();
        await db.SyncRuns.Where(r => r.JobId == jobId).ExecuteUpdateAsync(set => set.SetProperty(r => r.HeartbeatAt, now), cancellationToken);
        await jobs.StepAsync(jobId, attempt, step, JobStepStatus.Inprogress, null, cancellationToken, cancelable);
    }
}
