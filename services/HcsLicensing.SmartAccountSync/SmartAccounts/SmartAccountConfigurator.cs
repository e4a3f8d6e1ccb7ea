using HcsLicensing.Contracts.Audit;
using HcsLicensing.Contracts.SmartAccounts;
using HcsLicensing.ServiceDefaults.Outbox;
using HcsLicensing.SmartAccountSync.Cssm;
using HcsLicensing.SmartAccountSync.Data;
using HcsLicensing.SmartAccountSync.Sync;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Refit;

namespace HcsLicensing.SmartAccountSync.SmartAccounts;

/// <summary>
/// Connects a smart account: CSSM must accept the credentials and grant the domain before anything is stored; the
/// Smart Account Name and type come from CSSM; the secret is stored encrypted; a sync starts at once.
/// </summary>
public sealed class SmartAccountConfigurator(
    SmartAccountSyncDbContext db,
    BearerTokenCache tokens,
    ISwapiApi swapi,
    ClientSecretProtector secrets,
    SyncCoordinator coordinator,
    IPublishEndpoint publish,
    TransactionalOutbox<SmartAccountSyncDbContext> outbox,
    TimeProvider clock,
    ILogger<SmartAccountConfigurator> logger)
{
    public async Task<ConfigureOutcome> ConfigureAsync(string domain, string clientId, string clientSecret, string? configuredBy, CancellationToken cancellationToken)
    {
        var credentials = new CssmCredentials(clientId, clientSecret, domain);
        SwapiAccount? granted;
        try
        {
            // A fresh token, not a cached one: this is the credentials check itself.
            await tokens.RequestAsync(credentials, cancellationToken);
            var accounts = await swapi.GetAccountsAsync(credentials, cancellationToken);
            granted = accounts.Accounts?.FirstOrDefault(a => string.Equals(a.AccountDomain, domain, StringComparison.OrdinalIgnoreCase));
        }
        catch (CssmAuthenticationException refused)
        {
            logger.LogWarning("CSSM refused the credentials of API client {ClientId} for {Domain}: {Error}", clientId, domain, refused.Error);
            return ConfigureOutcome.Refused("CSSM refused the client credentials", $"{refused.Error}: {refused.Description}", refused.Error ?? "invalid_client");
        }
        catch (Exception exception) when (exception is ApiException || CssmErrors.IsUnavailable(exception))
        {
            logger.LogWarning("CSSM could not check the credentials of API client {ClientId} for {Domain}: {Error}", clientId, domain, CssmErrors.Describe(exception));
            return ConfigureOutcome.Unavailable(CssmErrors.Describe(exception));
        }

        if (granted is null)
        {
            return ConfigureOutcome.Refused(
                "The API client has no access to this smart account",
                $"CSSM accepted the credentials, but API client {clientId} was not granted smart account {domain}", "domain_not_granted");
        }

        var account = await db.SmartAccounts.SingleOrDefaultAsync(a => a.Domain == domain, cancellationToken);
        var created = account is null;
        if (account is null)
        {
            account = new SmartAccount { Id = NewId.NextGuid(), Domain = domain };
            db.SmartAccounts.Add(account);
        }

        account.Name = granted.AccountName;
        account.AccountType = string.IsNullOrWhiteSpace(granted.AccountType) ? "CUSTOMER" : granted.AccountType.ToUpperInvariant();
        account.ClientId = clientId;
        account.ProtectedClientSecret = secrets.Protect(clientSecret);
        account.ConfiguredAt = clock.GetUtcNow();
        // The audit line commits with the account (the client id, never the secret).
        await outbox.Publish.Publish(new ConfigurationChanged
        {
            Service = "SmartAccountSync",
            EntityType = "Smart Account",
            EntityName = domain,
            Change = $"{(created ? "Smart account connected" : "Smart account credentials replaced")}: {account.Name}, API client {clientId}",
            ChangedBy = configuredBy ?? "(unknown)",
            ChangedAt = account.ConfiguredAt,
        }, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Smart account {Domain} ({Name}) configured with API client {ClientId}", domain, account.Name, clientId);

        var claim = await coordinator.RequestAsync(account, "Configuration", cancellationToken, requestedBy: configuredBy);
        await publish.Publish(new SmartAccountConfigured
        {
            SmartAccountId = account.Id,
            SmartAccountDomain = account.Domain,
            SmartAccountName = account.Name,
            SyncJobId = claim.JobId,
            ConfiguredAt = account.ConfiguredAt,
        }, cancellationToken);
        return ConfigureOutcome.Configured(account.Id, claim.JobId, created);
    }
}

/// <summary>How a configuration ended: stored (with its sync's job), refused by CSSM (with the reason), or CSSM unreachable.</summary>
public sealed record ConfigureOutcome(Guid? SmartAccountId, Guid? SyncJobId, bool Created, string? Title, string? Detail, string? Reason, bool CssmUnavailable)
{
    public static ConfigureOutcome Configured(Guid id, Guid jobId, bool created) => new(id, jobId, created, null, null, null, false);

    public static ConfigureOutcome Refused(string title, string detail, string reason) => new(null, null, false, title, detail, reason, false);

    public static ConfigureOutcome Unavailable(string detail) => new(null, null, false, "CSSM could not be reached", detail, "cssm_unavailable", true);
}
